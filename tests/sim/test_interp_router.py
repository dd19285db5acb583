"""The interpreter driving the emulated router (emulator/router/) through the contract only."""

from __future__ import annotations

import pytest

from emulator.interp import Interpreter
from emulator.version import RouterOSVersion

router_module = pytest.importorskip("emulator.router")


def make(version: str):  # type: ignore[no-untyped-def]
    return router_module.Router(RouterOSVersion.parse(version), runner_factory=Interpreter)


@pytest.mark.parametrize(
    ("version", "date"), [("6.49.10", b"nov/25/2026"), ("7.9", b"nov/25/2026"), ("7.16.2", b"2026-11-25")]
)
def test_clock_date_format_follows_the_version(version: str, date: bytes) -> None:
    result = make(version).run(":put [/system clock get date]\n:put [:typeof [/system clock get time]]")
    assert (result.ok, result.output) == (True, [date, b"time"])


def test_scheduled_script_keeps_a_global_counter() -> None:
    router = make("7.16.2")
    setup = (
        ":global Runs 0\n"
        '/system script add name=count source=":global Runs; :set Runs (\\$Runs + 1)"\n'
        "/system scheduler add name=daily interval=1d start-time=00:00:00 on-event=count"
    )
    assert router.run(setup).ok
    router.advance(3 * 86400)
    assert router.environment["Runs"] == 3


def test_user_manager_menu_of_the_other_dialect_does_not_load() -> None:
    assert make("6.49.10").run("/user-manager user print").error.startswith("bad command name user-manager")
    assert make("7.16.2").run("/tool user-manager user print").error.startswith("bad command name user-manager")


def test_import_runs_line_by_line() -> None:
    router = make("7.16.2")
    result = router.import_file(
        "/system identity set name=r1\n:local a 1\n:put [:typeof $a]\n:put [/system identity get name]"
    )
    assert (result.ok, result.output) == (True, [b"nothing", b"r1"])


def test_permissions_are_the_routers_to_refuse() -> None:
    router = make("7.16.2")
    result = router.run("/system identity set name=x", policy=frozenset({"read"}))
    assert (result.ok, result.error) == (False, "not enough permissions (9)")


def test_log_lines_reach_the_router_log() -> None:
    router = make("7.16.2")
    assert router.run(':log info "billing done"\n:put [:len [/log find where message="billing done"]]').output == [b"1"]
