"""MonthEnd against Python's calendar: every day, both clock formats (nov/30/2026 before 7.10, 2026-11-30 from 7.10)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from billing.harness import SHIPPED
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.version import RouterOSVersion as EmulatedVersion
from generator.config import loads
from generator.dialects import RouterOSVersion
from generator.render import render_scripts

POLICY = frozenset({"read", "write", "test"})


def month_end_runner(version: str):
    config = loads(SHIPPED)
    v = RouterOSVersion.parse(version)
    source = render_scripts(config, config.routers[0].model_copy(update={"version": v}))["monthend.rsc"]
    router = Router(EmulatedVersion.parse(version), runner_factory=Interpreter, start=dt.datetime(2026, 1, 1, 12, 0))

    def run(day: dt.date) -> dict:
        router.set_wall_clock(dt.datetime.combine(day, dt.time(23, 50)))
        result = router.run_source(source, name="MonthEnd", path="MonthEnd", policy=POLICY)
        assert result.ok, (day, result)
        return router.environment

    return router, run


FLOOR = dt.date(2026, 1, 1)


def expected(day: dt.date) -> tuple[bool, bytes, bytes, bytes, int, bool]:
    """found, today, period, month, day number, and whether the clock is trusted (not before the build's floor)."""
    last = calendar.monthrange(day.year, day.month)[1]
    found = day.day == last
    if found:
        period = f"{day.year:04d}-{day.month:02d}"
    elif day.month == 1:
        period = f"{day.year - 1:04d}-12"
    else:
        period = f"{day.year:04d}-{day.month - 1:02d}"
    month = f"{day.year:04d}-{day.month:02d}".encode()
    number = (day - dt.date(1970, 1, 1)).days
    return found, day.isoformat().encode(), period.encode(), month, number, day >= FLOOR


def published(env: dict) -> tuple[bool, bytes, bytes, bytes, int, bool]:
    return (env["found"], env["rosbillToday"], env["rosbillPeriod"], env["rosbillMonth"], env["rosbillDay"],
            env["rosbillClock"] == b"ok")  # fmt: skip


def check_days(version: str, first: dt.date, last: dt.date) -> int:
    _, run = month_end_runner(version)
    day, count = first, 0
    while day <= last:
        env = run(day)
        assert published(env) == expected(day), (version, day)
        day += dt.timedelta(days=1)
        count += 1
    return count


SPECIAL = [
    dt.date(2000, 2, 28),
    dt.date(2000, 2, 29),
    dt.date(2100, 2, 28),
    dt.date(1900, 2, 28),
    dt.date(2024, 2, 29),
    dt.date(2026, 2, 28),
    dt.date(2026, 11, 30),
    dt.date(2026, 12, 31),
    dt.date(2027, 1, 1),
    dt.date(2026, 4, 30),
    dt.date(2026, 4, 29),
]


@pytest.mark.parametrize("version", ["7.9", "7.16", "6.49"])
def test_leap_years_follow_the_gregorian_rule(version):
    _, run = month_end_runner(version)
    for day in SPECIAL:
        env = run(day)
        assert published(env) == expected(day), day
    assert run(dt.date(2000, 2, 28))["found"] is False  # 2000 is a leap year
    assert run(dt.date(2100, 2, 28))["found"] is True  # 2100 is not


@pytest.mark.parametrize("version", ["7.9", "7.16"])
def test_three_years_of_days(version):
    assert check_days(version, dt.date(2024, 1, 1), dt.date(2026, 12, 31)) == 1096


@pytest.mark.slow
@pytest.mark.parametrize("version", ["7.9", "7.16"])
def test_every_day_from_1900_to_2100(version):
    assert check_days(version, dt.date(1900, 1, 1), dt.date(2100, 12, 31)) == 73414


def test_the_clock_format_really_differs_between_the_versions():
    old, _ = month_end_runner("7.9")
    new, _ = month_end_runner("7.16")
    old.set_wall_clock(dt.datetime(2026, 11, 30, 23, 50))
    new.set_wall_clock(dt.datetime(2026, 11, 30, 23, 50))
    assert old.run(":put [/system clock get date]").output == [b"nov/30/2026"]
    assert new.run(":put [/system clock get date]").output == [b"2026-11-30"]


def test_an_unreadable_date_fails_loudly_and_finds_nothing():
    router, _ = month_end_runner("7.16")
    config = loads(SHIPPED)
    source = render_scripts(config, config.routers[0])["monthend.rsc"].replace(
        b"[/system clock get date]", b'"30.11.2026"'
    )
    result = router.run_source(source, name="MonthEnd", path="MonthEnd", policy=POLICY)
    assert not result.ok and "unreadable date" in result.error
    assert router.environment["found"] is False
    assert any(b"cannot read the date" in e.message for e in router.logs.entries)


@pytest.mark.parametrize("version", ["6.49", "7.16"])
def test_a_1970_boot_clock_is_not_trusted_for_billing(version):
    _, run = month_end_runner(version)
    env = run(dt.date(1970, 1, 2))
    assert env["rosbillClock"] == b"the clock says 1970-01-02, before this build of rosbill (2026-01-01)"
    assert run(dt.date(2026, 11, 30))["rosbillClock"] == b"ok"
