"""/system scheduler: entries fire at the right virtual times with their own policy (platform.md §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.contract import RouterOSError, RunContext
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.version import RouterOSVersion
from sim.stubrunner import RecordingRunner

START = dt.datetime(2026, 11, 28, 12, 0, 0)
BILLING = frozenset({"read", "write", "test"})


def make(version: str = "7.16.2", start: dt.datetime = START, **kw: object) -> tuple[Router, RecordingRunner]:
    router = Router(RouterOSVersion.parse(version), runner_factory=RecordingRunner, start=start, **kw)  # type: ignore[arg-type]
    runner = router.runner
    assert isinstance(runner, RecordingRunner)
    runner.port = router
    return router, runner


def fired_at(router: Router, runner: RecordingRunner) -> list[dt.datetime]:
    """Local wall times the runs started at, as the router showed them (``at_ns`` is ``now_ns()``: shown time)."""
    return [router.clock.wall(r.at_ns) for r in runner.runs]


def add(router: Router, **args: str) -> None:
    router.invoke("/system scheduler", "add", {k.replace("_", "-"): v for k, v in args.items()})


def test_a_daily_entry_at_23_50_fires_every_day_at_23_50() -> None:
    router, runner = make()
    add(router, name="Daily", start_time="23:50:00", interval="1d", on_event="run-billing", policy="read,write,test")
    router.advance_to(dt.datetime(2026, 12, 2, 0, 0))
    assert fired_at(router, runner) == [dt.datetime(2026, 11, d, 23, 50) for d in (28, 29, 30)] + [
        dt.datetime(2026, 12, 1, 23, 50)
    ]
    assert {r.policy for r in runner.runs} == {BILLING}
    assert {r.source for r in runner.runs} == {b"run-billing"}
    entry = router.rows("/system scheduler")[0]
    assert entry["run-count"] == 4
    assert entry["next-run"] == b"2026-12-02 23:50:00"


def test_next_run_is_printed_in_the_version_date_format() -> None:
    router, _ = make("6.49.10")
    add(router, name="Daily", start_time="23:50:00", interval="1d", on_event="x")
    assert router.rows("/system scheduler")[0]["next-run"] == b"nov/28/2026 23:50:00"
    assert router.rows("/system scheduler")[0]["start-date"] == b"nov/28/2026"


def test_a_start_in_the_past_only_sets_the_phase() -> None:
    router, runner = make()
    add(router, name="Hourly", start_date="2020-01-01", start_time="00:15:00", interval="1h", on_event="x")
    router.advance_to(dt.datetime(2026, 11, 28, 14, 30))
    assert fired_at(router, runner) == [dt.datetime(2026, 11, 28, 12, 15), dt.datetime(2026, 11, 28, 13, 15),
                                        dt.datetime(2026, 11, 28, 14, 15)]  # fmt: skip


def test_v6_takes_the_old_date_format_and_refuses_iso() -> None:
    router, runner = make("6.49.10")
    add(router, name="Once", start_date="nov/29/2026", start_time="08:00:00", on_event="x")
    with pytest.raises(RouterOSError):
        add(router, name="Iso", start_date="2026-11-29", start_time="08:00:00", on_event="x")
    router.advance_to(dt.datetime(2026, 11, 30))
    assert fired_at(router, runner) == [dt.datetime(2026, 11, 29, 8, 0)]


def test_interval_zero_runs_once_in_the_future_and_never_in_the_past() -> None:
    router, runner = make()
    add(router, name="Later", start_date="2026-11-28", start_time="18:00:00", on_event="later")
    add(router, name="Gone", start_date="2026-11-28", start_time="06:00:00", on_event="gone")
    router.advance(3 * 86400)
    assert [(r.source, router.clock.wall(r.at_ns)) for r in runner.runs] == [
        (b"later", dt.datetime(2026, 11, 28, 18, 0))
    ]


def test_startup_with_interval_zero_runs_3s_after_every_boot() -> None:
    router, runner = make()
    add(router, name="Boot", start_time="startup", on_event="boot")
    router.advance(60)
    assert runner.runs == []  # added after this boot
    router.reboot()
    router.advance(60)
    assert fired_at(router, runner) == [dt.datetime(2026, 11, 28, 12, 1, 3)]
    assert router.rows("/system scheduler")[0]["run-count"] == 1


def test_startup_with_an_interval_first_runs_one_interval_after_boot() -> None:
    router, runner = make()
    add(router, name="Tick", start_time="startup", interval="10m", on_event="tick")
    router.reboot()
    router.advance(25 * 60)
    assert fired_at(router, runner) == [dt.datetime(2026, 11, 28, 12, 10), dt.datetime(2026, 11, 28, 12, 20)]


def test_disabled_entries_do_not_fire_and_enabling_re_plans() -> None:
    router, runner = make()
    add(router, name="Daily", start_time="23:50:00", interval="1d", on_event="x", disabled="yes")
    router.advance_to(dt.datetime(2026, 11, 29, 12, 0))
    assert runner.runs == [] and "next-run" not in router.rows("/system scheduler")[0]
    router.invoke("/system scheduler", "enable", {"numbers": "Daily"})
    router.advance_to(dt.datetime(2026, 11, 30, 0, 0))
    assert fired_at(router, runner) == [dt.datetime(2026, 11, 29, 23, 50)]


def test_changing_or_removing_an_entry_re_plans_it() -> None:
    router, runner = make()
    add(router, name="Daily", start_time="23:50:00", interval="1d", on_event="x")
    router.invoke("/system scheduler", "set", {"numbers": "Daily", "start-time": "13:00:00"})
    router.advance_to(dt.datetime(2026, 11, 28, 14, 0))
    router.invoke("/system scheduler", "remove", {"numbers": "Daily"})
    router.advance(3 * 86400)
    assert fired_at(router, runner) == [dt.datetime(2026, 11, 28, 13, 0)]


def test_the_entry_policy_defaults_to_the_adding_users_policy() -> None:
    router, runner = make()
    router.invoke("/system scheduler", "add", {"name": "D", "start-time": "12:30:00", "on-event": "x"}, policy=BILLING)
    router.advance(3600)
    assert runner.runs[0].policy == BILLING
    assert router.rows("/system scheduler")[0]["policy"] == b"read,write,test"


def test_a_bare_script_name_runs_that_script_with_the_entry_policy() -> None:
    router, runner = make()
    router.invoke("/system script", "add", {"name": "Oversight", "source": "oversight", "policy": "read,write"})
    add(router, name="Daily", start_time="23:50:00", interval="1d", on_event="Oversight", policy="read,write,test")
    router.advance_to(dt.datetime(2026, 11, 29))
    (run,) = runner.runs
    assert (run.name, run.source, run.policy) == ("Oversight", b"oversight", BILLING)
    assert router.rows("/system script")[0]["run-count"] == 1


def test_a_script_needing_more_than_the_entry_policy_is_refused_and_logged() -> None:
    router, runner = make()
    router.invoke("/system script", "add", {"name": "Greedy", "source": "g", "policy": "read,write,sensitive"})
    add(router, name="Daily", start_time="23:50:00", interval="1d", on_event="Greedy", policy="read,write,test")
    router.advance_to(dt.datetime(2026, 11, 29))
    assert runner.runs == []
    assert router.logs.messages("error") == [
        "executing script Greedy from scheduler (Daily) failed, please check it manually",
        "(scheduler:Daily) not enough permissions (9)",
    ]


def test_a_failing_on_event_is_logged_and_the_entry_keeps_running() -> None:
    router, runner = make()

    def fail(ctx: RunContext) -> None:
        raise RouterOSError("no such item")

    runner.on("/system script run Missing", fail)
    add(router, name="Daily", start_time="23:50:00", interval="1d", on_event="/system script run Missing")
    router.advance_to(dt.datetime(2026, 11, 30, 0, 0))
    assert len(runner.runs) == 2
    assert router.logs.messages("error").count("(scheduler:Daily) no such item") == 2


def test_a_delay_inside_a_scheduled_script_lets_other_events_happen_meanwhile() -> None:
    router, runner = make()
    order: list[str] = []

    def slow(ctx: RunContext) -> None:
        order.append("slow starts")
        router.sleep(120 * 10**9, ctx)
        order.append("slow ends")

    runner.on("slow", slow)
    runner.on("quick", lambda ctx: order.append("quick"))
    add(router, name="Slow", start_time="13:00:00", on_event="slow")
    add(router, name="Quick", start_time="13:01:00", on_event="quick")
    router.advance(2 * 3600)
    assert order == ["slow starts", "quick", "slow ends"]
    assert router.now() == dt.datetime(2026, 11, 28, 14, 0)


def test_wall_time_in_a_time_zone_with_daylight_saving() -> None:
    router, runner = make(start=dt.datetime(2026, 10, 24, 12, 0), time_zone="Europe/Berlin")
    add(router, name="Daily", start_time="23:50:00", interval="1d", on_event="x")
    router.advance_to(dt.datetime(2026, 10, 27))
    # 25 Oct 2026 is the change to winter time: the entry keeps its 23:50 wall time [INF].
    assert fired_at(router, runner) == [dt.datetime(2026, 10, d, 23, 50) for d in (24, 25, 26)]


def test_days_limit_runs_to_weekdays_from_7_24() -> None:
    router, runner = make("7.24")
    add(router, name="Weekdays", start_time="09:00:00", interval="1d", on_event="x", days="mon,tue,wed,thu,fri")
    router.advance_to(dt.datetime(2026, 12, 5))  # Sat 28 Nov … Fri 4 Dec
    assert [d.day for d in fired_at(router, runner)] == [30, 1, 2, 3, 4]
    with pytest.raises(RouterOSError):
        add(router, name="Bad", start_time="09:00:00", interval="1d", on_event="x", days="someday")


def test_a_startup_entry_still_runs_when_the_clock_jumps_right_after_boot() -> None:
    """NTP may set the clock before the startup entry's 3 s have passed (a router without a battery clock boots on
    1970-01-02): the entry still runs once, 3 s after boot ([DOC] S10)."""
    from emulator.router.behaviour import Behaviour

    router = Router(
        RouterOSVersion.parse("7.16"), runner_factory=Interpreter, start=dt.datetime(2026, 11, 30, 23, 0),
        behaviour=Behaviour(boot_clock="1970", ntp_sync_delay_s=0.0),
    )  # fmt: skip
    router.invoke("/system ntp client", "set", {"enabled": "yes"})
    router.invoke("/system scheduler", "add", {"name": "boot", "start-time": "startup", "on-event": ':log info "up"'})
    router.cut_power()
    router.restore_power(60)
    router.advance(10)
    assert router.logs.messages("script") == ["up"]
