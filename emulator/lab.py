"""An emulated router to deploy to: the router with the script interpreter as its runner and a user fixture loaded,
for ``rosbill router serve``, ``rosbill demo``, ``rosbill simulate``, the deploy tests and the benchmark.

Must not: print, or reach anything but loopback (serving is ``emulator.api``'s job; this only builds the router).
A fixture file that is missing or not a fixture is a :class:`FixtureProblem` naming the file, never a traceback.
"""

from __future__ import annotations

import stat
from pathlib import Path

import yaml

from emulator import fixture
from emulator.fixture_usage import build_router
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.version import RouterOSVersion
from generator.errors import RosbillError  # allowed: docs/architecture.md "Import rules"

DEFAULT_USERS = Path("config/users.demo.yaml")
#: A user fixture larger than this is refused (the shipped ones are ~3 kB; a 1000-user bench fixture ~300 kB).
MAX_FIXTURE_BYTES = 16 * 1024 * 1024


class FixtureProblem(RosbillError):
    """The user fixture file is missing, unreadable or not a fixture (exit 2)."""


def read_fixture(path: Path) -> fixture.Fixture:
    """The fixture in ``path``, or :class:`FixtureProblem` naming the file and what is wrong with it."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise FixtureProblem(f"{path}: is a directory; give a user fixture file (e.g. config/users.yaml)")
        if not stat.S_ISREG(info.st_mode):
            raise FixtureProblem(f"{path}: not a regular file (a pipe or a device); give a user fixture file")
        with path.open("rb") as handle:
            data = handle.read(MAX_FIXTURE_BYTES + 1)
    except OSError as error:
        raise FixtureProblem(f"{path}: {error.strerror or error}") from None
    if len(data) > MAX_FIXTURE_BYTES:
        raise FixtureProblem(f"{path}: over {MAX_FIXTURE_BYTES // (1024 * 1024)} MB; is it a user fixture?")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FixtureProblem(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    try:
        return fixture.load(text)
    except fixture.FixtureError as error:
        where = f"{path}:{error.line}:{error.column}" if error.line else str(path)
        raise FixtureProblem(f"{where}: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        raise FixtureProblem(f"{where}: not valid YAML ({getattr(error, 'problem', None) or 'syntax error'})") from None
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
        # Shapes the fixture reader does not check itself (e.g. ``users: 5``): the file, not rosbill, is wrong.
        raise FixtureProblem(
            f'{path}: not a user fixture (docs/simulator.md "User fixtures"; {type(error).__name__})'
        ) from None


def emulated_router(version: RouterOSVersion, users: Path | None = None, *, user_manager: bool = True) -> Router:
    """A router of ``version`` running scripts with the interpreter; with ``users``, that fixture's clock start,
    e-mail settings, profiles, users and traffic (docs/simulator.md "User fixtures")."""
    if users is not None:
        return build_router(read_fixture(users), version, runner_factory=Interpreter)
    router = Router(version, runner_factory=Interpreter, user_manager=user_manager)
    if user_manager and version.user_manager_v7:
        # A fresh v7 User Manager is installed but disabled; a router in service has it enabled.
        router.invoke("/user-manager", "set", {"enabled": b"yes"})
    return router
