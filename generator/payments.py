"""Payments and open bills (issue 12): the logic of ``rosbill pay`` and ``rosbill report`` (docs/payments.md).

The per-user state is the ``rb{…}`` block in the User Manager comment (docs/comment-format.md), read and written as
the router's ``rbParseState``/``rbWriteState`` do by :mod:`generator.rbstate` (``parse``, ``render``, ``State``,
``BrokenState``, re-exported here); :func:`check` adds the router's patterns for the keys read here. Comments travel
as bytes and are handled here as Latin-1 text, so every byte the operator wrote comes back unchanged.

:func:`pay` computes the comment that records a payment (``paid``, ``owe``, ``pamt``, ``pday``); :func:`report_row`
what ``rosbill report`` shows of one user. Both refuse broken state with the reason instead of guessing.

The router steps at the end (:func:`record`, :func:`read_report`, :func:`run_enforce`) work on a connected
:class:`~generator.deploy.transport.Target` the CLI hands them; every v6/v7 difference (the User Manager menu, the
login field) comes from the router's :class:`~generator.dialects.Dialect`.

Must not: print, exit, connect or prompt (``generator/cli_pay.py`` does), or import the emulator.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.deploy.preflight import parse_version
from generator.deploy.transport import Refused, Target, TransportError
from generator.dialects import Dialect, for_version
from generator.errors import DeployError, RosbillError
from generator.rbstate import BrokenState as BrokenState
from generator.rbstate import State as State
from generator.rbstate import parse as parse
from generator.rbstate import render as render
from generator.render import SCRIPTS
from generator.simreport import invoice_label, money

EPOCH = dt.date(1970, 1, 1)
_PERIOD = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
_WHOLE = re.compile(r"0|[1-9][0-9]{0,17}")
_AMOUNT = re.compile(r"(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,2}))?")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: What each key this module reads may hold: the router's own patterns (rsc_templates/common/checks.rsc.j2 for the
#: bill, enforce_body.rsc.j2 for Enforce's keys, docs/comment-format.md), so a user the scripts handle is never called
#: broken here, and the reverse. ``pamt``/``pday`` are rosbill pay's (an amount in cents, a day number).
_CHECKS = {
    "per": r"[0-9]{4}-(0[1-9]|1[0-2])", "paid": r"[0-9]{4}-(0[1-9]|1[0-2])", "owe": r"[0-9]{4}-(0[1-9]|1[0-2])",
    "thp": r"[0-9]{4}-(0[1-9]|1[0-2])", "no": r"[0-9]{1,15}", "bprice": r"[0-9]{1,12}", "bdisc": r"[0-9]{1,12}",
    "thr": r"[0-9]{1,4}", "rsd": r"[0-9]{1,7}", "pamt": r"[0-9]{1,12}", "pday": r"[0-9]{1,7}",
}  # fmt: skip


class PaymentRefused(RosbillError):
    """``rosbill pay`` will not record this payment (the reason says what would be accepted); nothing was written."""


# --- the block ----------------------------------------------------------------------------------------------------


def check(state: State) -> None:
    """Refuses a block whose keys this module reads hold something they cannot (docs/comment-format.md)."""
    for key, pattern in _CHECKS.items():
        value = state.get(key)
        if value and not re.fullmatch(pattern, value):
            what = "a period (YYYY-MM)" if pattern.endswith("1[0-2])") else "a whole number"
            raise BrokenState(f'{key}="{value}" is not {what}')


# --- periods, days, money ----------------------------------------------------------------------------------------


def period(text: str) -> str:
    """``YYYY-MM`` (month 01 to 12), else :class:`ValueError`."""
    if not _PERIOD.fullmatch(text):
        raise ValueError(f'"{text}" is not a period; write it like "2026-11"')
    return text


def next_period(text: str) -> str:
    year, month = int(text[:4]), int(text[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def last_day(text: str) -> dt.date:
    """The last day of the period ``YYYY-MM``."""
    following = next_period(text)
    return dt.date(int(following[:4]), int(following[5:7]), 1) - dt.timedelta(days=1)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (as ``um=N/D`` and ``pday`` count)."""
    return (day - EPOCH).days


def date_of(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=number)


def router_date(text: str) -> dt.date:
    """``/system clock`` ``date``: ``2026-11-30`` (7.10 and later) or ``nov/30/2026`` (before); both are read, as
    MonthEnd reads both, so nothing here depends on the release."""
    found = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    try:
        if found:
            return dt.date(int(found[1]), int(found[2]), int(found[3]))
        found = re.fullmatch(r"([a-z]{3})/([0-9]{2})/([0-9]{4})", text.lower())
        if found and found[1] in _MONTHS:
            return dt.date(int(found[3]), _MONTHS.index(found[1]) + 1, int(found[2]))
    except ValueError:
        pass
    raise ValueError(f'the router\'s date "{text}" is not a date')


def cents(text: str) -> int:
    """An amount in the config's currency, ``199``, ``199.5`` or ``199.00`` (at most two decimals), in cents."""
    found = _AMOUNT.fullmatch(text)
    if not found:
        raise ValueError(f'"{text}" is not an amount; write it like "199" or "199.00" (at most two decimals)')
    return int(found[1]) * 100 + int((found[2] or "0").ljust(2, "0"))


# --- rosbill pay -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Payment:
    """What the operator asked for: the period (None: the last bill's) and the amount in cents (None: what is due)."""

    period: str | None = None
    amount: int | None = None
    partial: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What :func:`pay` decided. ``comment`` is the new comment (None: nothing to write, ``already_paid``)."""

    kind: str  # "paid" | "partial" | "already_paid"
    period: str
    amount: int | None
    due: int | None  # the amount due for ``period`` when the router knows it (the last bill's), else None
    comment: str | None
    changes: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def due_of(state: State) -> int | None:
    """The amount due for the last bill (``per``): ``bprice − bdisc``, or None when the block does not say."""
    if not state.get("bprice"):
        return None
    return max(0, int(state.get("bprice")) - int(state.get("bdisc") or "0"))


def pay(state: State, payment: Payment, day: int, *, currency: str = "") -> Outcome:
    """The comment that records ``payment`` on day ``day`` (days since 1970), or why not (:class:`PaymentRefused`).

    * The period defaults to the last bill (``per``); a period later than ``per`` is refused (there is no bill).
    * A period at or before ``paid`` is already paid: nothing to write (``kind="already_paid"``).
    * The amount defaults to what is due for the last bill; it must be given for an earlier period (the router keeps
      only the last bill's amount). Less than is due is refused unless ``partial``: then only ``pamt``/``pday`` are
      written and the period stays unpaid.
    * A full payment writes ``paid=P`` and, in the same write, ``owe=`` the month after P when ``per`` is later
      than P, else removes ``owe``; ``pamt`` (cents) and ``pday`` (the day) record the payment.
    """
    check(state)
    last = state.get("per")
    if not last:
        raise PaymentRefused("no bill is recorded for this user yet (no per= in its comment); nothing to pay")
    chosen = payment.period or last
    if chosen > last:
        raise PaymentRefused(
            f"period {chosen} is later than the user's last bill ({last}); pay a billed period (--period {last} or "
            "earlier)"
        )
    due = due_of(state) if chosen == last else None
    paid = state.get("paid")
    if paid and chosen <= paid:
        return Outcome("already_paid", chosen, payment.amount, due, None,
                       notes=(f"every bill up to {paid} is recorded as paid already",))  # fmt: skip
    amount = payment.amount if payment.amount is not None else due
    if amount is None:
        what = "the router keeps only the amount of the last bill" if chosen != last else "the bill has no bprice="
        raise PaymentRefused(f"the amount due for {chosen} is not known ({what}); give it with --amount X")
    shown = f"{money(amount)}{' ' + currency if currency else ''}"
    notes: list[str] = []
    if payment.partial:
        if due is not None and amount >= due:
            raise PaymentRefused(
                f"--partial with {shown}, which covers the {money(due)} due: leave --partial out to mark {chosen} paid"
            )
        changes = {"pamt": str(amount), "pday": str(day)}
        notes.append(f"partial payment: {chosen} stays unpaid" + (f" ({money(due - amount)} short)" if due else ""))
        return Outcome("partial", chosen, amount, due, render(state, changes), changes, tuple(notes))
    if due is not None and amount < due:
        raise PaymentRefused(
            f"{shown} is less than the {money(due)} due for {chosen}"
            + (f" (invoice {state.get('no')})" if state.get("no") else "")
            + "; give --partial to record it without marking the period paid"
        )
    if due is not None and amount > due:
        notes.append(f"{money(amount - due)} more than due")
    owe = state.get("owe")
    if owe and owe < chosen:
        notes.append(f"also marks the unpaid periods from {owe} on as paid (every bill up to {chosen})")
    changes = {"paid": chosen, "owe": next_period(chosen) if last > chosen else "", "pamt": str(amount),
               "pday": str(day)}  # fmt: skip
    return Outcome("paid", chosen, amount, due, render(state, changes), changes, tuple(notes))


# --- rosbill report ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One user in ``rosbill report``. ``problem`` is set (and the rest empty) for a user whose state is broken."""

    user: str
    invoice: str = ""  # the last bill's invoice id as the mails show it, when that bill is unpaid
    period: str = ""  # the last bill's period, when unpaid
    due: int | None = None  # its amount due, in cents
    unpaid_since: str = ""  # ``owe`` (or the last bill's period before Enforce has set ``owe``)
    due_date: str = ""  # the last day of ``unpaid_since`` plus the grace days (YYYY-MM-DD)
    days_overdue: int = 0
    restricted: bool = False
    restricted_since: str = ""  # the day ``rsd`` (YYYY-MM-DD)
    throttled: str = ""  # ``thr``: the fair-use level in percent
    paid: str = ""  # the newest paid period
    last_payment: int | None = None  # ``pamt``, in cents
    last_payment_day: str = ""  # ``pday`` (YYYY-MM-DD)
    problem: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "user": self.user, "invoice": self.invoice or None, "period": self.period or None,
            "amount_due_cents": self.due, "unpaid_since": self.unpaid_since or None, "due_date": self.due_date or None,
            "days_overdue": self.days_overdue, "restricted": self.restricted,
            "restricted_since": self.restricted_since or None, "throttled_percent": int(self.throttled) if
            self.throttled else None, "paid_through": self.paid or None, "last_payment_cents": self.last_payment,
            "last_payment_day": self.last_payment_day or None, "problem": self.problem or None,
        }  # fmt: skip


def report_row(user: str, comment: str, today: dt.date, *, grace_days: int | None, invoice_format: str = "",
               router: str = "") -> ReportRow:  # fmt: skip
    """What the report shows of one user; broken state gives a row with ``problem`` and nothing else."""
    try:
        state = parse(comment, today)
        check(state)
    except BrokenState as broken:
        return ReportRow(user, problem=f"state not readable: {broken}")
    last, paid = state.get("per"), state.get("paid")
    open_bill = bool(last) and (not paid or last > paid)
    owe = state.get("owe") or (last if open_bill else "")
    due_date, overdue = "", 0
    if owe:
        due = last_day(owe) + dt.timedelta(days=grace_days or 0)
        due_date, overdue = due.isoformat(), max(0, (today - due).days)
    invoice = ""
    if open_bill and state.get("no"):
        invoice = invoice_label(invoice_format, int(state.get("no")), router=router, user=user, period=last)
    return ReportRow(
        user,
        invoice=invoice,
        period=last if open_bill else "",
        due=due_of(state) if open_bill else None,
        unpaid_since=owe,
        due_date=due_date,
        days_overdue=overdue,
        restricted=bool(state.get("rsd")),
        restricted_since=date_of(int(state.get("rsd"))).isoformat() if state.get("rsd") else "",
        throttled=state.get("thr"),
        paid=paid,
        last_payment=int(state.get("pamt")) if state.get("pamt") else None,
        last_payment_day=date_of(int(state.get("pday"))).isoformat() if state.get("pday") else "",
    )


COLUMNS = ("user", "invoice", "period", "amount due", "unpaid since", "days overdue", "restricted", "throttled",
           "last payment", "note")  # fmt: skip
CSV_COLUMNS = ("user", "invoice", "period", "amount_due", "unpaid_since", "due_date", "days_overdue", "restricted",
               "restricted_since", "throttled_percent", "paid_through", "last_payment", "last_payment_day",
               "problem")  # fmt: skip


def _payment_text(row: ReportRow) -> str:
    if row.last_payment is None:
        return ""
    return f"{money(row.last_payment)} on {row.last_payment_day}" if row.last_payment_day else money(row.last_payment)


def table_cells(row: ReportRow) -> tuple[str, ...]:
    """The row as the text table shows it (the column titles: :data:`COLUMNS`)."""
    if row.problem:
        return (row.user, "", "", "", "", "", "", "", "", row.problem)
    return (
        row.user, row.invoice, row.period, money(row.due) if row.due is not None else "", row.unpaid_since,
        str(row.days_overdue) if row.unpaid_since else "", f"since {row.restricted_since}" if row.restricted else "",
        f"{row.throttled}%" if row.throttled else "", _payment_text(row), "",
    )  # fmt: skip


def csv_cells(row: ReportRow) -> tuple[str, ...]:
    """The row as ``--csv`` writes it (the header: :data:`CSV_COLUMNS`); amounts in currency units, ``199.00``."""
    return (
        row.user, row.invoice, row.period, money(row.due) if row.due is not None else "", row.unpaid_since,
        row.due_date, str(row.days_overdue), "yes" if row.restricted else "no", row.restricted_since, row.throttled,
        row.paid, money(row.last_payment) if row.last_payment is not None else "", row.last_payment_day, row.problem,
    )  # fmt: skip


# --- the run lock ------------------------------------------------------------------------------------------------


def lock_holder(value: str) -> str | None:
    """Who holds the global ``rosbillLock`` (``"<script> <day> <seconds>"``, rsc_templates/common/lock_take.rsc.j2),
    in words, or None when it is free (empty)."""
    value = value.strip('"')  # a string global may be shown quoted (docs/assumptions.md)
    if value == "":
        return None
    parts = value.split(" ")
    if len(parts) == 3 and _WHOLE.fullmatch(parts[1]) and _WHOLE.fullmatch(parts[2]) and int(parts[1]) > 0:
        seconds = int(parts[2])
        started = f"{date_of(int(parts[1])).isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}"
        return f"{parts[0]}, since {started}"
    return parts[0] or value


# --- on the router -----------------------------------------------------------------------------------------------

#: The script ``rosbill pay --now`` runs (it takes the run lock itself and does nothing while a run is active).
ENFORCE = "Enforce"
LOCK_GLOBAL = "rosbillLock"
#: The scripts whose running job means a rosbill run is active (Oversight waits for the clock before it takes the
#: lock, so the lock alone does not show every run).
RUN_SCRIPTS = frozenset({name for _, name, _ in SCRIPTS} | {ENFORCE, "BillingNotify"})
_SCRIPT = "/system/script"


class RunActive(DeployError):
    """A rosbill run is active on the router (the lock is held or one of its scripts is running): nothing written."""


class WriteConflict(DeployError):
    """The user's comment changed between rosbill's read and its write, or right after it (read back)."""


@dataclass(frozen=True, slots=True)
class Router:
    """What every command learns first: the router's release as it printed it, its dialect and its date."""

    version_text: str
    dialect: Dialect
    today: dt.date

    @property
    def users_menu(self) -> str:
        return "/" + "/".join(self.dialect.um_path) + "/user"


def _text(value: bytes) -> str:
    return value.decode("latin-1")  # one character per byte: the comment goes back byte for byte


def look(target: Target) -> Router:
    """Reads ``/system resource`` (the release, hence the dialect) and ``/system clock`` (the router's date)."""
    resource = target.print("/system/resource", ("version",))
    version_text = resource[0].get("version", b"").decode("utf-8", "replace") if resource else ""
    dialect = for_version(parse_version(version_text))
    clock = target.print("/system/clock", ("date",))
    date_text = clock[0].get("date", b"").decode("utf-8", "replace") if clock else ""
    try:
        today = router_date(date_text)
    except ValueError as bad:
        raise DeployError(f"{target.label}: {bad}") from None
    return Router(version_text, dialect, today)


def run_active(target: Target) -> tuple[str | None, tuple[str, ...]]:
    """Why a write now could lose a running rosbill run's update (None: no run seen), and notes on what could not be
    checked. The lock is the global ``rosbillLock`` (``/system script environment``); running scripts are
    ``/system script job`` rows whose ``script`` is one of rosbill's."""
    notes: list[str] = []
    rows = target.print("/system/script/environment", None, {"name": LOCK_GLOBAL.encode()})
    for row in rows:
        holder = lock_holder(_text(row.get("value", b"")))
        if holder is not None:
            return f"a rosbill run holds the lock ({holder})", ()
    try:
        jobs = target.print("/system/script/job")
    except Refused as refused:
        if not refused.missing:
            raise
        jobs = []
        notes.append("this router lists no /system script job, so only the run lock was checked")
    running = sorted({_text(j.get("script", b"")) for j in jobs} & RUN_SCRIPTS)
    if running:
        return f"rosbill's {', '.join(running)} is running", tuple(notes)
    return None, tuple(notes)


@dataclass(frozen=True, slots=True)
class UserEntry:
    item_id: str
    name: str
    comment: bytes


def users(target: Target, router: Router, name: str | None = None) -> list[UserEntry]:
    """The User Manager users (``name``: only that login), in the router's order."""
    field_name = router.dialect.login_field
    query = {field_name: name.encode("utf-8")} if name is not None else None
    rows = target.print(router.users_menu, (".id", field_name, "comment"), query)
    return [
        UserEntry(
            r.get(".id", b"").decode("ascii", "replace"),
            r.get(field_name, b"").decode("utf-8", "replace"),
            bytes(r.get("comment", b"")),
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class Recorded:
    """What ``rosbill pay`` did on the router."""

    router: Router
    user: str
    outcome: Outcome
    before: bytes
    after: bytes  # the comment read back after the write (``before`` when nothing was written)
    notes: tuple[str, ...] = ()


def record(target: Target, user: str, payment: Payment, *, currency: str = "") -> Recorded:
    """Records ``payment`` for ``user``: refuses while a run is active (:class:`RunActive`), computes the new comment,
    reads the comment again right before the write (a change in between: :class:`WriteConflict`, nothing written),
    writes it with ``set`` and reads it back (a difference: :class:`WriteConflict`, the write may be lost)."""
    router = look(target)
    why, notes = run_active(target)
    if why:
        raise RunActive(f"{target.label}: {why}; nothing written: pay again when the run has ended")
    entry = _one_user(target, router, user)
    try:
        state = parse(_text(entry.comment), router.today)
        outcome = pay(state, payment, day_number(router.today), currency=currency)
    except BrokenState as broken:
        raise PaymentRefused(
            f"user {user}: the rb{{}} state in its comment is broken ({broken}); fix the comment on the router "
            "(docs/comment-format.md); nothing written"
        ) from None
    if outcome.comment is None:
        return Recorded(router, user, outcome, entry.comment, entry.comment, notes)
    new = outcome.comment.encode("latin-1")
    again = _one_user(target, router, user)
    if again.comment != entry.comment or again.item_id != entry.item_id:
        raise WriteConflict(f"{target.label}: user {user}'s comment changed while the payment was worked out; "
                            "nothing written: pay again")  # fmt: skip
    why, _ = run_active(target)
    if why:
        raise RunActive(f"{target.label}: {why} (it started just now); nothing written: pay again when it has ended")
    try:
        target.set(router.users_menu, entry.item_id, {"comment": new})
    except TransportError as lost:
        raise TransportError(
            f"{lost}; whether the payment was written is not known: run the same rosbill pay again (it says already "
            "paid when it was)"
        ) from None
    after = _one_user(target, router, user).comment
    if after != new:
        raise WriteConflict(
            f"{target.label}: user {user}'s comment read back differs from what was written (someone or a rosbill "
            "run changed it at the same moment); check it with rosbill report and pay again if the payment is not "
            "shown (a payment that stayed is reported as already paid)"
        )
    why, _ = run_active(target)
    if why:
        raise RunActive(
            f"{target.label}: the payment was written and read back, but {why}, started during the write: if it read "
            "this user before the write it writes the old state back; run the same rosbill pay again after it ends "
            "(it says already paid when the payment stayed)"
        )
    return Recorded(router, user, outcome, entry.comment, after, notes)


def _one_user(target: Target, router: Router, user: str) -> UserEntry:
    found = users(target, router, user)
    exact = [u for u in found if u.name == user]
    if not exact:
        raise PaymentRefused(f"no User Manager user {user!r} on {target.label}")
    return exact[0]


@dataclass(frozen=True, slots=True)
class Enforced:
    installed: bool
    restricted_after: bool | None = None  # the user's ``rsd`` after the run (None: not read)


def run_enforce(target: Target, router: Router, user: str) -> Enforced:
    """Runs ``Enforce`` (``/system script run``, synchronous: P §4.3) and reads whether the user is still
    restricted; ``installed=False`` when the router has no such script."""
    scripts = target.print(_SCRIPT, (".id", "name"), {"name": ENFORCE.encode()})
    if not scripts:
        return Enforced(False)
    target.command(_SCRIPT, "run", {".id": scripts[0].get(".id", b"")})
    entry = _one_user(target, router, user)
    try:
        state = parse(_text(entry.comment), router.today)
    except BrokenState:
        return Enforced(True, None)
    return Enforced(True, bool(state.get("rsd")))


def read_report(target: Target, *, grace_days: int | None, invoice_format: str = "",
                router_name: str = "") -> tuple[Router, list[ReportRow]]:  # fmt: skip
    """Every user's row, by login name; only ``print`` commands (the report writes nothing)."""
    router = look(target)
    rows = [
        report_row(
            u.name,
            _text(u.comment),
            router.today,
            grace_days=grace_days,
            invoice_format=invoice_format,
            router=router_name,
        )
        for u in users(target, router)
    ]
    return router, sorted(rows, key=lambda r: r.user)
