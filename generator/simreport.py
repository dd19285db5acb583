"""The billing report of ``rosbill simulate``: who was billed what, folded log lines, usage charts, HTML and CSV.

Takes plain data (the CLI copies the emulator's timeline into :class:`Event` and :class:`Sample`) and returns text,
an HTML page or CSV. What a bill was is read from the billing state the scripts wrote into each user's comment
(docs/comment-format.md: ``per``, ``no``, ``use``, ``bpkg``, ``bcap``, ``bprice``, ``bdisc``, ``um``, ``am``), so
the table shows what the router recorded, not what rosbill expected.

Must not: print, exit, or import the emulator (tests/test_layout.py); the CLI (generator/cli_sim.py) does both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generator import rbstate

_MAIL_STATE = re.compile(r"(\d+)/(\d+)")
_MB = 1_000_000


@dataclass(frozen=True, slots=True)
class Event:
    """One line of the run: a mail, a change of a user's comment, or a script log line."""

    at: dt.datetime
    kind: str  # "mail" | "state" | "log"
    text: str
    user: str = ""
    before: str = ""
    after: str = ""


@dataclass(frozen=True, slots=True)
class Sample:
    """A user's counter total (download + upload bytes) and comment at one moment (the end of a day)."""

    at: dt.datetime
    user: str
    total: int
    comment: str


@dataclass(frozen=True, slots=True)
class Plan:
    """What the config says, where it is known (``simulate --build`` knows less): package caps, warning levels."""

    caps: Mapping[str, int | None] = field(default_factory=dict)  # package -> cap in bytes (None: unlimited)
    levels: tuple[int, ...] = ()
    user_packages: Mapping[str, str] = field(default_factory=dict)  # user -> the fixture's package
    invoice_format: str = ""  # e.g. "EW-{number}"; empty: the bare number
    router: str = ""
    currency: str = ""
    #: The notify channels that need a token (a simulation gives each a stand-in one, as deploy would write the real).
    notify_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Bill:
    period: str
    user: str
    package: str
    used_bytes: int
    cap: str  # MB or "unlimited", as billed
    number: int
    invoice: str
    price_cents: int
    discount_cents: int
    user_mail: str  # "yes" | "not yet" | "no (N failed)"
    accounts_mail: str

    @property
    def due_cents(self) -> int:
        return self.price_cents - self.discount_cents


@dataclass(frozen=True, slots=True)
class Folded:
    """A log line and how often it was logged: nightly warnings repeat every run."""

    text: str
    count: int
    first: dt.datetime
    last: dt.datetime


@dataclass(frozen=True, slots=True)
class Series:
    """One user's usage over one period: (moment, bytes used this period) points, the cap and warning levels."""

    user: str
    period: str
    package: str
    cap_bytes: int | None
    levels: tuple[int, ...]
    points: tuple[tuple[dt.datetime, int], ...]
    cap_known: bool = True  # False: neither a bill nor the config says (``simulate --build`` before a bill)


@dataclass(frozen=True, slots=True)
class Report:
    bills: tuple[Bill, ...]
    folded: tuple[Folded, ...]
    series: tuple[Series, ...]
    currency: str = ""
    title: str = "rosbill simulate"
    #: Enforce's changes, in order: (when, user, what), from the comment keys thr= and rsd= (docs/enforce.md).
    enforcement: tuple[tuple[dt.datetime, str, str], ...] = ()


def state(comment: str) -> dict[str, str]:
    """The keys of a comment's ``rb{…}`` block as the router reads them (:func:`generator.rbstate.parse`, as
    ``rbParseState``); empty when there is none, when it is broken (the router bills no such user) or when the comment
    holds the original scripts' packed digits (they say when the old scripts billed, not what this run did)."""
    try:
        return dict(rbstate.parse(comment).keys)
    except rbstate.BrokenState:
        return {}


def enforcement(before: str, after: str) -> list[str]:
    """What Enforce changed for a user between two comments, as the timeline says it: a fair-use step taken or lifted
    (``thr=``/``thp=``), a restriction for an unpaid bill applied or lifted (``rsd=``, ``owe=``). Empty when neither
    changed."""
    old, new = state(before), state(after)
    out: list[str] = []
    if old.get("thr") != new.get("thr"):
        if new.get("thr"):
            out.append(f"fair use: throttled at the {new['thr']}% step (period {new.get('thp', '?')})")
        else:
            out.append("fair use: normal rate again (the period was billed)")
    if bool(old.get("rsd")) != bool(new.get("rsd")):
        if new.get("rsd"):
            out.append(f"unpaid: restricted (owes since period {new.get('owe', '?')})")
        else:
            out.append("unpaid: restriction lifted (payment recorded)")
    return out


def _enforcement(events: Iterable[Event]) -> tuple[tuple[dt.datetime, str, str], ...]:
    return tuple((e.at, e.user, what) for e in events if e.kind == "state" for what in enforcement(e.before, e.after))


def _whole(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def mail_state(value: str | None) -> str:
    """``um``/``am`` in words: ``ok`` is delivered; ``N/D`` is N failed attempts so far (``0/D``: not tried yet)."""
    if value == "ok":
        return "yes"
    found = _MAIL_STATE.fullmatch(value or "")
    if found is None:
        return "unknown"
    failed = int(found.group(1))
    return "not yet" if failed == 0 else f"no ({failed} failed)"


def invoice_label(template: str, number: int, *, router: str, user: str, period: str) -> str:
    """The invoice id as the mails show it (billing.invoice.format's placeholders), or the bare number."""
    if not template:
        return str(number)
    year, _, month = period.partition("-")
    values = {"number": str(number), "router": router, "username": user, "period": period, "year": year}
    values["month"] = month
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def bills(events: Iterable[Event], plan: Plan) -> tuple[Bill, ...]:
    """Every bill the run made (a new ``per``/``no`` in a comment), with its mail states as they were at the end."""
    found: dict[tuple[str, str, int], Bill] = {}
    for event in events:
        if event.kind != "state":
            continue
        after, before = state(event.after), state(event.before)
        number, period = _whole(after.get("no")), after.get("per", "")
        if number is None or not period:
            continue
        key = (event.user, period, number)
        made_now = (before.get("per"), _whole(before.get("no"))) != (period, number)
        if key not in found and not made_now:
            continue  # a bill made before the run (its mail state changed): not this run's
        found[key] = Bill(
            period=period,
            user=event.user,
            package=after.get("bpkg", ""),
            used_bytes=_whole(after.get("use")) or 0,
            cap=after.get("bcap", ""),
            number=number,
            invoice=invoice_label(plan.invoice_format, number, router=plan.router, user=event.user, period=period),
            price_cents=_whole(after.get("bprice")) or 0,
            discount_cents=_whole(after.get("bdisc")) or 0,
            user_mail=mail_state(after.get("um")),
            accounts_mail=mail_state(after.get("am")),
        )
    return tuple(sorted(found.values(), key=lambda b: (b.period, b.number)))


def fold(events: Iterable[Event]) -> tuple[Folded, ...]:
    """The log lines, each text once with its count and first and last time, in order of first appearance."""
    seen: dict[str, list[dt.datetime]] = {}
    for event in events:
        if event.kind == "log":
            seen.setdefault(event.text, []).append(event.at)
    return tuple(Folded(text, len(times), times[0], times[-1]) for text, times in seen.items())


def series(samples: Iterable[Sample], plan: Plan) -> tuple[Series, ...]:
    """Each user's usage per calendar-month period: counters minus the comment's ``base`` (docs/comment-format.md;
    a total below ``base`` counts from 0, as Billing does). On the day a period is billed the point is the billed
    ``use``, so the chart ends where the bill does."""
    points: dict[tuple[str, str], list[tuple[dt.datetime, int]]] = {}
    billed: dict[tuple[str, str], dict[str, str]] = {}
    for sample in samples:
        keys = state(sample.comment)
        period = f"{sample.at:%Y-%m}"
        if keys.get("per") == period:
            billed[(sample.user, period)] = keys
            used = _whole(keys.get("use")) or 0
        else:
            base = _whole(keys.get("base")) or 0
            used = sample.total - base if sample.total >= base else sample.total
        points.setdefault((sample.user, period), []).append((sample.at, used))
    out: list[Series] = []
    for (user, period), pts in sorted(points.items()):
        if len(pts) < 2:
            continue  # the run ended minutes into a period: nothing to draw
        bill = billed.get((user, period), {})
        package = bill.get("bpkg") or plan.user_packages.get(user, "")
        cap_bytes, known = plan.caps.get(package), package in plan.caps
        if "bcap" in bill:
            cap_bytes = None if bill["bcap"] == "unlimited" else (_whole(bill["bcap"]) or 0) * _MB
            known = True
        out.append(Series(user, period, package, cap_bytes, plan.levels, tuple(pts), known))
    return tuple(out)


def build(events: Sequence[Event], samples: Sequence[Sample], plan: Plan, *, title: str = "") -> Report:
    return Report(
        bills(events, plan), fold(events), series(samples, plan), plan.currency, title or "rosbill simulate",
        _enforcement(events),
    )  # fmt: skip


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def megabytes(used: int) -> str:
    """Whole MB (10^6 bytes) rounded down, as the invoice mails show them."""
    return str(used // _MB)


COLUMNS = ("period", "user", "package", "MB used", "invoice", "price", "discount", "amount due", "mail delivered")


def rows(report: Report) -> list[tuple[str, ...]]:
    """The table's rows: one per bill, then a total per period (and a grand total over several periods)."""
    out: list[tuple[str, ...]] = []
    periods = sorted({b.period for b in report.bills})
    for period in periods:
        of = [b for b in report.bills if b.period == period]
        for b in of:
            out.append(
                (b.period, b.user, b.package, megabytes(b.used_bytes), b.invoice, money(b.price_cents),
                 money(b.discount_cents), money(b.due_cents), b.user_mail)
            )  # fmt: skip
        out.append(_total(f"total {period}", of))
    if len(periods) > 1:
        out.append(_total("total", list(report.bills)))
    return out


def _total(label: str, of: Sequence[Bill]) -> tuple[str, ...]:
    delivered = sum(1 for b in of if b.user_mail == "yes")
    return (
        label, f"{len(of)} bills", "", megabytes(sum(b.used_bytes for b in of)), "",
        money(sum(b.price_cents for b in of)), money(sum(b.discount_cents for b in of)),
        money(sum(b.due_cents for b in of)), f"{delivered} of {len(of)}",
    )  # fmt: skip


def text(report: Report) -> list[str]:
    """The report as lines for the terminal: the repeated log lines folded, then the table."""
    lines: list[str] = []
    repeated = [f for f in report.folded if f.count > 1]
    if repeated:
        lines.append("# log lines logged more than once (each shown once above):")
        for f in repeated:
            lines.append(f"#   {f.count}x {f.first:%Y-%m-%d} to {f.last:%Y-%m-%d}  {f.text}")
    if report.enforcement:
        lines.append("# fair use and unpaid accounts (Enforce):")
        for at, user, what in report.enforcement:
            lines.append(f"#   {at:%Y-%m-%d %H:%M}  {user}: {what}")
    if not report.bills:
        lines.append("# no bills were made in this run")
        return lines
    money_note = f" (amounts in {report.currency})" if report.currency else ""
    lines.append(f"# bills{money_note}:")
    table = [COLUMNS, *rows(report)]
    widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS))]
    numeric = {3, 5, 6, 7}
    for r in table:
        cells = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        lines.append("# " + "  ".join(cells).rstrip())
    return lines


def to_csv(report: Report) -> str:
    """One row per bill for accounting (no total rows; amounts in major units with two decimals, MB whole)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["period", "user", "package", "mb_used", "cap_mb", "invoice", "price", "discount", "amount_due",
                     "currency", "user_mail_delivered", "accounts_copy_delivered"])  # fmt: skip
    for b in report.bills:
        writer.writerow([_cell(b.period), _cell(b.user), _cell(b.package), megabytes(b.used_bytes), _cell(b.cap),
                         _cell(b.invoice), money(b.price_cents), money(b.discount_cents), money(b.due_cents),
                         _cell(report.currency), b.user_mail, b.accounts_mail])  # fmt: skip
    return out.getvalue()


def _cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP "CSV Injection": a leading = + - @ tab or CR)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
