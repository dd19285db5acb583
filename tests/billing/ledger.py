"""The billing invariants, checked from what the mail server received and what the router holds afterwards.

Independent of the scripts: the expected usage and amounts come from the fixture (traffic in daytime windows, so a
period's usage is exact whatever time of night the bill was made), prices from the config. ``check`` returns counts for
the test to print; it asserts:

* every user has exactly one bill per period (one invoice number), with the right usage, price, discount and amount;
* no invoice number belongs to two different bills (user or period), across everything the router sent;
* a bill mail that arrived more than once is the same invoice with the same amount, every copy after the first
  marked as a re-send; the same for the lines of the accounts digests;
* every bill reached accounts (a digest line or an accounts copy);
* a user without a bill for a period was reported (NOT BILLED) in a report that reached accounts;
* no user is left disabled (the reset lock) and no comment holds an unfinished reset (rst=).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from emulator.router.mail import Mail

SUBJECT = re.compile(r"^(?:Re-sent: )?Example Wireless invoice EW-(\d+) for (\d{4}-\d{2})$")
DATA = re.compile(r"^Data used: +(\d+) MB of ")
DUE = re.compile(r"^Amount due +R (\d+\.\d\d)$")
DIGEST_LINE = re.compile(r"^(\(re-sent\) )?EW-(\d+) (\d{4}-\d{2}) (\S+) \(.*due R (\d+\.\d\d)$")
PRICES = {"Lite": Decimal("199.00"), "Home": Decimal("349.00"), "Business": Decimal("899.00"),
          "Unlimited": Decimal("1299.00")}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Expect:
    """What one user's bill for one period must say."""

    user: str
    period: str
    used_mb: int | None  # None: not exact (a user online across the bill), checked by conservation instead
    due: Decimal


@dataclass(slots=True)
class Counts:
    bills: int = 0
    resent: int = 0  # delivered bill mails marked as re-sends
    duplicates_unmarked: int = 0
    digest_lines: int = 0
    digest_resent: int = 0
    failed_or_lost: int = 0
    extra: Counter[str] = field(default_factory=Counter)


def delivered(mails: list[Mail]) -> list[Mail]:
    return [m for m in mails if m.status == "succeeded"]


def check(mails: list[Mail], expected: list[Expect], *, disabled: dict[str, bool], comments: dict[str, str],
          skipped: dict[str, str] | None = None) -> Counts:  # fmt: skip
    counts = Counts()
    got = [m for m in delivered(mails) if m.to != "accounts@example.net"]
    counts.failed_or_lost = sum(1 for m in mails if m.status != "succeeded")
    by_key: dict[tuple[str, str], list[tuple[int, int, Decimal, bool]]] = defaultdict(list)
    owner: dict[int, tuple[str, str]] = {}
    for mail in got:
        subject = mail.subject.decode()
        found = SUBJECT.match(subject)
        if not found:
            continue  # warnings
        number, period = int(found.group(1)), found.group(2)
        user = mail.to.split("@")[0]
        lines = mail.body.decode().splitlines()
        used = next(int(m.group(1)) for m in map(DATA.match, lines) if m)
        due = Decimal(next(m.group(1) for m in map(DUE.match, lines) if m))
        resent = subject.startswith("Re-sent: ")
        by_key[(user, period)].append((number, used, due, resent))
        assert owner.setdefault(number, (user, period)) == (user, period), f"EW-{number} is two bills"
    for (user, period), copies in by_key.items():
        assert len({c[0] for c in copies}) == 1, f"{user} {period}: more than one invoice number {copies}"
        assert len({(c[1], c[2]) for c in copies}) == 1, f"{user} {period}: copies differ {copies}"
        counts.bills += 1
        counts.resent += sum(1 for c in copies if c[3])
        counts.duplicates_unmarked += sum(1 for c in copies[1:] if not c[3])
    assert counts.duplicates_unmarked == 0, "a duplicate bill mail was not marked as a re-send"
    # The accounts side: every bill in a delivered digest (or its own copy), duplicates marked.
    accounts: dict[int, list[bool]] = defaultdict(list)
    for mail in delivered(mails):
        if mail.to != "accounts@example.net":
            continue
        subject = mail.subject.decode()
        if subject.startswith(("Invoice EW-", "Re-sent: Invoice EW-")):
            number = int(subject.split("EW-")[1].split(":")[0])
            accounts[number].append(subject.startswith("Re-sent: "))
            continue
        for text in mail.body.decode().splitlines():
            found = DIGEST_LINE.match(text)
            if found:
                number = int(found.group(2))
                assert owner.setdefault(number, (found.group(4), found.group(3))) == (found.group(4), found.group(3))
                accounts[number].append(bool(found.group(1)))
    for number, marks in accounts.items():
        counts.digest_lines += 1
        counts.digest_resent += len(marks) - 1
        assert all(marks[1:]), f"EW-{number}: the accounts copy came twice without a re-send mark"
    reported = "\n".join(m.body.decode() for m in delivered(mails) if m.to == "accounts@example.net")
    for want in expected:
        copies = by_key.get((want.user, want.period))
        if copies is None:
            reason = (skipped or {}).get(want.user)
            assert reason, f"{want.user} {want.period}: no bill reached the user"
            assert f"{want.user}: NOT BILLED for {want.period}" in reported or want.user in reported, (want, reason)
            continue
        number, used, due, _ = copies[0]
        assert due == want.due, (want, copies)
        if want.used_mb is not None:
            assert used == want.used_mb, (want, copies)
        assert number in accounts, f"{want.user} {want.period}: EW-{number} never reached accounts"
    assert not any(disabled.values()), f"users left disabled: {disabled}"
    assert not any(re.search(r"[{;]rst=", c) for c in comments.values()), comments
    return counts
