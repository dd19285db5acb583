"""Thirteen months with 50 users on RouterOS 6 and 7: every e-mail checked against an independent model.

The population (tests/billing/scenario.py) mixes packages, usage levels, discounts, users that never log off, a
broken comment and a disabled account. Usage is given per day in a fixed window, so for most users the expected
warnings and bills can be computed here in Python, independently of the scripts: which levels are mailed on which
night (never twice a month, nothing on the last day, when Billing runs instead), the MB and the amount on every
bill, one bill per month with consecutive invoice numbers. The mail ledger is also kept as a reviewed golden file
(``make golden`` regenerates it), and the v6 and v7 ledgers must be identical.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from billing.harness import simulation
from billing.scenario import PACKAGES, population
from emulator import simulate
from generator.config import load

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "scenario"
START = dt.datetime(2026, 1, 1, 0, 5)
PRICES = {
    "Lite": Decimal("199.00"),
    "Home": Decimal("349.00"),
    "Business": Decimal("899.00"),
    "Unlimited": Decimal("1299.00"),
}
LEVELS = (50, 75, 90, 100)


def run_scenario(version: str, users: int, months: int, tmp: Path) -> list:
    data = population(users, START, interim="15m")
    path = tmp / "users.yaml"
    path.write_text(yaml.safe_dump(data))
    config = load(ROOT / "config" / "billing.yaml")
    sim = simulation(config, version, path)
    timeline = simulate.run(sim, simulate.add_months(START, months))
    assert [e.text for e in timeline.of("log") if e.text.startswith("error")] == []
    return timeline.mails()


def ledger(mails) -> str:
    lines = []
    for mail in mails:
        subject = mail.subject.decode()
        lines.append(f"{mail.time:%Y-%m-%d %H:%M} {mail.to} | {subject}")
        for line in mail.body.decode().splitlines():
            if line.startswith(("Data used", "Amount due", "Discount", "You have used")) or ": NOT BILLED" in line:
                lines.append(f"    {line.strip()}")
    return "\n".join(lines) + "\n"


def months_of(months: int) -> list[tuple[int, int]]:
    out, year, month = [], START.year, START.month
    for _ in range(months):
        out.append((year, month))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def invoice_numbers(data: dict, months: int) -> dict[str, list[int]]:
    """One sequence for the router: each month's bills take the next numbers, in the user table's order."""
    billed = [u["name"] for u in data["users"] if not u.get("disabled") and "inv=x1" not in u["comment"]]
    return {name: [10001 + month * len(billed) + rank for month in range(months)] for rank, name in enumerate(billed)}


def expected_daily_user(
    entry: dict, index: int, months: int, numbers: list[int]
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(warnings as (date, subject), bills as (subject, data line, due line)) for a user with a daily window."""
    package, cap_mb = PACKAGES[index % 4]
    daily = _mb(entry["daily"]["download"]) + _mb(entry["daily"]["upload"])
    comment = entry["comment"]
    warnings, bills = [], []
    for number, (year, month) in enumerate(months_of(months)):
        last = calendar.monthrange(year, month)[1]
        stored = 0
        for day in range(1, last):  # UsageWarnings runs every night but the last
            used = daily * day * 10**6
            if cap_mb:
                percent = used * 100 // (cap_mb * 10**6)
                level = max([lv for lv in LEVELS if lv <= percent], default=0)
                if level > stored:
                    warnings.append(
                        (f"{year}-{month:02d}-{day:02d}", f"Example Wireless: {level}% of your {package} data used")
                    )
                    stored = level
        used_mb = daily * last
        price = PRICES[package]
        discount = Decimal(0)
        if "disc=10%" in comment:
            discount = (price * 10 / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        elif "disc=25.50" in comment:
            discount = Decimal("25.50")
        cap = f"{cap_mb} MB" if cap_mb else "unlimited"
        bills.append(
            (
                f"Example Wireless invoice EW-{numbers[number]} for {year}-{month:02d}",
                f"Data used:    {used_mb} MB of {cap}",
                f"Amount due    R {price - discount:.2f}",
            )
        )
    return warnings, bills


def _mb(text: str) -> int:
    assert text.endswith("MB")
    return int(text[:-2])


def check_against_model(mails, users: int, months: int) -> None:
    data = population(users, START, interim="15m")
    numbers = invoice_numbers(data, months)
    for index, entry in enumerate(data["users"]):
        address = f"{entry['name']}@example.net"
        mine = [m for m in mails if m.to == address]
        broken = "inv=x1" in entry["comment"]
        if entry.get("disabled") or broken:
            assert mine == [], entry["name"]
            continue
        bills = [m for m in mine if "invoice" in m.subject.decode()]
        assert [m.subject.decode() for m in bills] == [
            f"Example Wireless invoice EW-{numbers[entry['name']][n]} for {y}-{mo:02d}"
            for n, (y, mo) in enumerate(months_of(months))
        ], entry["name"]
        if "daily" not in entry:  # online all the time: amounts exact, usage checked elsewhere
            continue
        warnings, expected_bills = expected_daily_user(entry, index, months, numbers[entry["name"]])
        got_warnings = [(f"{m.time:%Y-%m-%d}", m.subject.decode()) for m in mine if "invoice" not in m.subject.decode()]
        assert got_warnings == warnings, entry["name"]
        for mail, (subject, data_line, due_line) in zip(bills, expected_bills, strict=True):
            body = mail.body.decode().splitlines()
            assert mail.subject.decode() == subject
            assert data_line in body, (entry["name"], subject, data_line)
            assert due_line in body, (entry["name"], subject, due_line)
    reports = [m for m in mails if "Billing report" in m.subject.decode()]
    assert len(reports) == months
    broken = [u["name"] for u in data["users"] if "inv=x1" in u["comment"]]
    for report in reports:
        for name in broken:
            assert (
                f"{name}: NOT BILLED for " in report.body.decode()
                and "inv=x1 in the comment is not valid" in report.body.decode()
            )


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ROSBILL_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs from the reviewed ledger; review, then `make golden`"


def test_two_months_with_twelve_users_match_the_model(tmp_path):
    for version in ("6.49", "7.16"):
        mails = run_scenario(version, 12, 2, tmp_path)
        check_against_model(mails, 12, 2)


@pytest.mark.slow
def test_thirteen_months_with_fifty_users_on_v6_and_v7(tmp_path):
    ledgers = {}
    for version in ("6.49", "7.16"):
        mails = run_scenario(version, 50, 13, tmp_path)
        check_against_model(mails, 50, 13)
        ledgers[version] = ledger(mails)
    check_golden("ledger-13-months-50-users.txt", ledgers["7.16"])
    assert ledgers["6.49"] == ledgers["7.16"]
