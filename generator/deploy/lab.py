"""An emulated router to deploy to: the emulator of ``generator/sim`` with the script interpreter as its runner and a
user fixture loaded, for ``rosbill router serve``, ``rosbill demo``, the deploy tests and the benchmark.

Must not: print, or reach anything but loopback (serving is ``generator.api``'s job; this only builds the router).
"""

from __future__ import annotations

from pathlib import Path

from generator.dialects import RouterOSVersion
from generator.sim import fixture
from generator.sim.fixture_usage import build_router
from generator.sim.interp import Interpreter
from generator.sim.router import Router

DEFAULT_USERS = Path("config/users.demo.yaml")


def emulated_router(version: RouterOSVersion, users: Path | None = None, *, user_manager: bool = True) -> Router:
    """A router of ``version`` running scripts with the interpreter; with ``users``, that fixture's clock start,
    e-mail settings, profiles, users and traffic (docs/simulator.md "User fixtures")."""
    if users is not None:
        return build_router(fixture.load(users), version, runner_factory=Interpreter)
    router = Router(version, runner_factory=Interpreter, user_manager=user_manager)
    if user_manager and version.user_manager_v7:
        # A fresh v7 User Manager is installed but disabled; a router in service has it enabled.
        router.invoke("/user-manager", "set", {"enabled": b"yes"})
    return router
