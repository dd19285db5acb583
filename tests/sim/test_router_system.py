"""/system clock, identity, resource, package, script (run, permissions), environment, /log, /file and /import."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.contract import MenuCall, RouterOSError, RunContext
from emulator.router import Router
from emulator.values import NOTHING, Time
from emulator.version import RouterOSVersion
from sim.stubrunner import RecordingRunner

START = dt.datetime(2026, 11, 30, 23, 50, 7)


def syntax_error(ctx: RunContext) -> None:
    raise RouterOSError("syntax error (line 1 column 1)")


def make(version: str = "7.16.2", **kw: object) -> tuple[Router, RecordingRunner]:
    router = Router(RouterOSVersion.parse(version), runner_factory=RecordingRunner, start=START, **kw)  # type: ignore[arg-type]
    assert isinstance(router.runner, RecordingRunner)
    router.runner.port = router
    return router, router.runner


@pytest.mark.parametrize(
    ("version", "date"),
    [("6.49.10", b"nov/30/2026"), ("7.9", b"nov/30/2026"), ("7.10", b"2026-11-30"), ("7.16.2", b"2026-11-30")],
)
def test_clock_date_is_formatted_per_version(version: str, date: bytes) -> None:
    router, _ = make(version)
    assert router.invoke("/system clock", "get", {"value-name": "date"}) == date


def test_clock_time_is_a_time_value_that_follows_virtual_time() -> None:
    router, _ = make()
    assert router.invoke("/system clock", "get", {"value-name": "time"}) == Time.seconds(23 * 3600 + 50 * 60 + 7)
    router.advance(10 * 60)
    assert router.invoke("/system clock", "get", {"value-name": "date"}) == b"2026-12-01"
    assert router.invoke("/system clock", "get", {"value-name": "time"}) == Time.seconds(7)


def test_gmt_offset_is_seconds_and_wraps_to_unsigned_when_negative() -> None:
    east, _ = make(time_zone="Europe/Berlin")
    assert east.invoke("/system clock", "get", {"value-name": "gmt-offset"}) == 3600
    west, _ = make(time_zone="America/New_York")
    assert west.invoke("/system clock", "get", {"value-name": "gmt-offset"}) == 2**32 - 5 * 3600
    assert west.invoke("/system clock", "get", {"value-name": "time-zone-name"}) == b"America/New_York"
    assert west.gmt_offset() == -5 * 3600


def test_a_time_zone_changes_local_time_but_not_the_instant() -> None:
    router, _ = make()
    instant = router.now_ns()
    router.invoke("/system clock", "set", {"time-zone-name": "Asia/Tokyo"})
    assert router.now_ns() == instant
    assert router.invoke("/system clock", "get", {"value-name": "date"}) == b"2026-12-01"
    with pytest.raises(RouterOSError):
        router.invoke("/system clock", "set", {"time-zone-name": "Mars/Olympus"})


def test_setting_the_clock_forward_skips_the_runs_it_jumps_over_and_re_plans() -> None:
    router, runner = make()
    router.invoke(
        "/system scheduler", "add", {"name": "d", "start-time": "23:55:00", "interval": "1d", "on-event": "x"}
    )
    instant = router.clock.now
    router.invoke("/system clock", "set", {"time": "23:59:00"})
    assert router.clock.now == instant  # only what the router shows moved
    assert router.now() == dt.datetime(2026, 11, 30, 23, 59)
    assert runner.names() == []  # 23:55 was jumped over: it does not fire [INF]
    assert router.rows("/system scheduler")[0]["next-run"] == b"2026-12-01 23:55:00"
    router.advance(24 * 3600)
    assert runner.names() == ["d"]
    assert router.clock.wall(runner.runs[0].at_ns) == dt.datetime(2026, 12, 1, 23, 55)  # at_ns: the shown time


def test_identity_resource_and_packages() -> None:
    router, _ = make("6.49.10")
    assert router.invoke("/system identity", "get", {"value-name": "name"}) == b"MikroTik"
    assert router.invoke("/system resource", "get", {"value-name": "version"}) == b"6.49.10 (stable)"
    router.advance(90)
    assert router.invoke("/system resource", "get", {"value-name": "uptime"}) == Time.seconds(90)
    v6 = [r["name"] for r in router.rows("/system package")]
    assert b"user-manager" in v6 and b"routeros" not in v6
    v7, _ = make("7.16.2")
    assert [r["name"] for r in v7.rows("/system package")] == [b"routeros", b"user-manager"]


def test_script_run_uses_the_callers_policy() -> None:
    router, runner = make()
    router.invoke("/system script", "add", {"name": "Billing", "source": "body", "policy": "read,write"})
    router.invoke("/system script", "run", {"number": "Billing"}, policy=frozenset({"read", "write", "test"}))
    (run,) = runner.runs
    assert (run.name, run.path, run.policy) == ("Billing", "script:Billing", frozenset({"read", "write", "test"}))
    assert router.rows("/system script")[0]["run-count"] == 1


def test_a_script_whose_policy_exceeds_the_callers_is_refused() -> None:
    router, runner = make()
    router.invoke("/system script", "add", {"name": "Billing", "source": "body", "policy": "read,write,sensitive"})
    with pytest.raises(RouterOSError, match=r"not enough permissions \(9\)"):
        router.invoke("/system script", "run", {"number": "Billing"}, policy=frozenset({"read", "write"}))
    assert runner.runs == []


def test_dont_require_permissions_and_use_script_permissions_run_with_the_scripts_policy() -> None:
    router, runner = make("7.16.2")
    router.invoke("/system script", "add", {"name": "A", "source": "a", "policy": "read,write,sensitive",
                                            "dont-require-permissions": "yes"})  # fmt: skip
    router.invoke("/system script", "add", {"name": "B", "source": "b", "policy": "read"})
    router.invoke("/system script", "run", {"number": "A"}, policy=frozenset({"read"}))
    router.invoke("/system script", "run", {"number": "B"}, flags={"use-script-permissions"})
    assert [r.policy for r in runner.runs] == [frozenset({"read", "write", "sensitive"}), frozenset({"read"})]


def test_a_failing_called_script_raises_in_the_caller_and_passes_its_output_on() -> None:
    router, runner = make()
    router.invoke("/system script", "add", {"name": "Bad", "source": "bad"})

    def fail(ctx: RunContext) -> None:
        ctx.output.append(b"half way")
        raise RouterOSError("division by zero")

    runner.on("bad", fail)
    ctx = RunContext()
    with pytest.raises(RouterOSError, match="division by zero"):
        router.call(MenuCall(("system", "script"), "run", {"number": b"Bad"}), ctx)
    assert ctx.output == [b"half way"]
    assert router.run_script("Bad").ok is False


def test_environment_lists_and_removes_globals() -> None:
    router, _ = make()
    router.environment["billed"] = b"2026-11"
    router.environment["count"] = 3
    rows = router.invoke("/system script environment", "print", flags={"as-value"})
    assert [(r.get(b"name"), r.get(b"value")) for r in rows.values()] == [(b"billed", b"2026-11"), (b"count", b"3")]
    router.invoke(
        "/system script environment",
        "remove",
        {"numbers": router.invoke("/system script environment", "find", {"name": "billed"})},
    )
    assert list(router.environment) == ["count"]


def test_globals_do_not_survive_a_reboot() -> None:
    router, _ = make()
    router.environment["x"] = 1
    router.reboot()
    assert router.environment == {}


def test_log_from_scripts_and_menu() -> None:
    router, _ = make()
    router.log("info", b"billing done", RunContext())
    router.invoke("/log", "warning", {"message": "low balance"})
    assert [(e.topics, e.text) for e in router.logs.entries] == [
        (("script", "info"), "billing done"),
        (("script", "warning"), "low balance"),
    ]
    rows = router.invoke("/log", "print", flags={"as-value"}, where=lambda p: b"warning" in p["topics"])
    assert [r.get(b"message") for r in rows.values()] == [b"low balance"]
    assert rows.get(0).get(b"time") == b"2026-11-30 23:50:07"


def test_log_time_follows_the_version_date_format() -> None:
    router, _ = make("6.49.10")
    router.invoke("/log", "info", {"message": "x"})
    assert router.rows("/log")[0]["time"] == b"nov/30/2026 23:50:07"


def test_import_file_runs_the_file_in_import_mode() -> None:
    router, runner = make("7.16.2")
    result = router.import_file("/system identity set name=r1\n", name="billing.rsc")
    assert result.ok
    (run,) = runner.runs
    assert (run.mode, run.path, run.source) == ("import", "billing.rsc", b"/system identity set name=r1\n")
    router.import_file("x", name="check.rsc", dry_run=True)
    assert runner.runs[-1].mode == "import-dry-run"
    assert [r["name"] for r in router.rows("/file")] == [b"billing.rsc", b"check.rsc"]


def test_the_import_command_reads_an_uploaded_file_and_raises_on_failure_from_7_16() -> None:
    router, runner = make("7.16.2")
    router.files.put("bad.rsc", b"bad")
    runner.on("bad", syntax_error)
    with pytest.raises(RouterOSError, match="syntax error"):
        router.invoke("/", "import", {"file-name": "bad.rsc"})
    old, old_runner = make("7.15.3")
    old.files.put("bad.rsc", b"bad")
    old_runner.on("bad", syntax_error)
    assert old.invoke("/", "import", {"file-name": "bad.rsc"}) is NOTHING


def test_files_can_be_read_changed_and_removed() -> None:
    router, _ = make("6.49.10")
    router.files.put("note.txt", b"hello")
    assert router.invoke("/file", "get", {"number": "note.txt", "value-name": "size"}) == 5
    router.invoke("/file", "set", {"numbers": "note.txt", "contents": "bye"})
    assert router.files.read("note.txt") == b"bye"
    assert "creation-time" in router.rows("/file")[0]
    router.invoke("/file", "remove", {"numbers": "note.txt"})
    assert router.rows("/file") == []


def test_without_a_runner_running_a_script_is_an_error() -> None:
    router = Router(RouterOSVersion.parse("7.16.2"))
    router.invoke("/system script", "add", {"name": "A", "source": "x"})
    with pytest.raises(RouterOSError, match="no script runner"):
        router.invoke("/system script", "run", {"number": "A"})
