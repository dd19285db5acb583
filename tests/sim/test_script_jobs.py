"""``/system script job`` on the emulated router (a row per running script: started by the scheduler, by another
script's ``run``, over the API), and the two API-visibility switches of docs/assumptions.md rows 35 and 36."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from emulator.contract import EmulatorRefusal, MenuCall, RunContext
from emulator.router import Router
from emulator.router.behaviour import Behaviour
from emulator.values import Array
from emulator.version import RouterOSVersion

interp = pytest.importorskip("emulator.interp")

START = dt.datetime(2026, 11, 30, 23, 0, 0)
VERSIONS = ("6.49.10", "7.16")


def router_with(version: str, behaviour: Behaviour | None = None) -> Router:
    router = Router(RouterOSVersion.parse(version), runner_factory=interp.Interpreter, start=START,
                    behaviour=behaviour or Behaviour())  # fmt: skip
    add = {"policy": "read,write,test"}
    # Outer runs Inner; Inner sets a global and waits, so the clock can look at the jobs meanwhile.
    router.invoke("/system script", "add", {"name": "Outer", "source": "/system script run Inner", **add})
    router.invoke("/system script", "add",
                  {"name": "Inner", "source": ':global rosbillLock "Inner 1 2"\n:delay 60s\n:set rosbillLock ""',
                   **add})  # fmt: skip
    router.invoke("/system scheduler", "add", {"name": "Nightly", "start-time": "23:50:00", "interval": "1d",
                                               "on-event": "Outer", **add})  # fmt: skip
    return router


def jobs(router: Router, *, api: bool) -> list[dict[str, object]]:
    found = router.call(MenuCall(("system", "script", "job"), "print", {}, frozenset({"as-value"})),
                        RunContext(api=api))  # fmt: skip
    assert isinstance(found, Array)
    return [{k.decode(): v for k, v in row.keyed.items()} for row in found.items if isinstance(row, Array)]


def lock(router: Router, *, api: bool) -> list[object]:
    found = router.call(MenuCall(("system", "script", "environment"), "print", {}, frozenset({"as-value"})),
                        RunContext(api=api))  # fmt: skip
    assert isinstance(found, Array)
    rows = [row.keyed for row in found.items if isinstance(row, Array)]
    return [row[b"value"] for row in rows if row[b"name"] == b"rosbillLock"]


def seen_during_the_run(router: Router, **look: bool) -> dict[str, Any]:
    """Advances past the scheduler's 23:50 run and looks 30 s into it (Inner is waiting in its :delay)."""
    seen: dict[str, Any] = {}

    def look_now() -> None:
        seen["jobs"] = jobs(router, **look)
        seen["lock"] = lock(router, **look)

    router.clock.at(router.clock.from_local(dt.datetime(2026, 11, 30, 23, 50, 30)), "look", look_now)
    router.advance_to(dt.datetime(2026, 11, 30, 23, 55))
    return seen


@pytest.mark.parametrize("version", VERSIONS)
def test_every_running_script_is_a_job_while_it_runs(version: str) -> None:
    router = router_with(version)
    assert jobs(router, api=False) == []
    seen = seen_during_the_run(router, api=False)
    rows = seen["jobs"]
    assert [r["script"] for r in rows] == [b"Outer", b"Inner"]  # the scheduler's, and the one Outer runs
    started = b"2026-11-30 23:50:00" if version.startswith("7") else b"nov/30/2026 23:50:00"
    for row in rows:
        assert row["type"] == b"script" and row["owner"] == b"admin" and row["started"] == started
        assert row["policy"] == b"read,write,test"
    assert jobs(router, api=False) == []  # gone when the run ends
    assert seen["lock"] == [b"Inner 1 2"]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_api_sees_the_jobs_and_globals_by_default(version: str) -> None:
    seen = seen_during_the_run(router_with(version), api=True)
    assert [r["script"] for r in seen["jobs"]] == [b"Outer", b"Inner"]
    assert seen["lock"] == [b"Inner 1 2"]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_switches_hide_the_run_from_the_api_only(version: str) -> None:
    behaviour = Behaviour(api_globals="hidden", api_script_jobs="hidden")
    seen = seen_during_the_run(router_with(version, behaviour), api=True)
    assert seen == {"jobs": [], "lock": []}
    # scripts and the console still see both
    seen = seen_during_the_run(router_with(version, behaviour), api=False)
    assert len(seen["jobs"]) == 2 and seen["lock"] == [b"Inner 1 2"]


def test_a_script_run_over_the_api_is_its_own_visible_job() -> None:
    behaviour = Behaviour(api_script_jobs="hidden")
    router = router_with("7.16", behaviour)
    router.invoke("/system script", "add", {"name": "Peek", "policy": "read,write,test", "source": (
        ':global seen [:len [/system script job find where script="Peek"]]')})  # fmt: skip
    item = router.scripts.lookup("Peek")
    router.call(MenuCall(("system", "script"), "run", {"number": f"*{item:X}".encode()}), RunContext(api=True))
    assert router.environment["seen"] == 1
    assert router.scripts.jobs.started_by == {}


def test_a_job_ends_when_its_script_fails() -> None:
    router = router_with("7.16")
    router.invoke("/system script", "add", {"name": "Bad", "source": ":error boom", "policy": "read"})
    assert not router.run_script("Bad").ok
    assert jobs(router, api=False) == []


def test_stopping_a_job_is_not_modelled() -> None:
    router = router_with("7.16")
    with pytest.raises(EmulatorRefusal, match="not modelled"):
        router.invoke("/system script job", "remove", {"numbers": "*1"})
