"""The emulated RouterOS router: values, interpreter, menus, User Manager, e-mail, clock and scheduler.

A package of its own beside the product (``generator/``), shipped in the same wheel. This module is its ONE public
surface, the contract the product uses; the CLI entry modules (``generator/cli_sim.py``, ``cli_deploy.py``,
``cli_demo.py``) import nothing else of ``emulator`` (``tests/test_layout.py`` holds this):

* a router: :class:`Router` of a :class:`RouterOSVersion`, :func:`emulated_router` (with the interpreter and a user
  fixture), :func:`read_fixture`, :class:`Mail` (what the router sent);
* an interpreter: :class:`Interpreter` (the ``ScriptRunner`` a router runs scripts with), :func:`exec_file`;
* an API server: :func:`start_server` (in-process), :func:`serve` (``rosbill router serve``), :class:`Credentials`,
  :class:`ServerInfo`, :class:`ServerError`;
* a scenario runner: :func:`prepare` (a build's files on a fresh router), :func:`run` (advance the clock, collect a
  :class:`Timeline` of :class:`Entry`), :func:`read_build`, :func:`add_months`, :func:`deliver`.

It takes BUILD OUTPUT (the files ``rosbill build`` wrote, name → bytes) and never renders. Which few product modules
it may import is listed in docs/architecture.md "Import rules". Tests may also use the submodules directly.
"""

from emulator.api import Credentials, RunningServer, ServerError, ServerInfo, serve, start_server
from emulator.contract import EmulatorRefusal, RouterOSError, RunResult
from emulator.fixture import Fixture, FixtureError
from emulator.interp import Interpreter
from emulator.lab import DEFAULT_USERS, FixtureProblem, emulated_router, read_fixture
from emulator.router import Mail, Router
from emulator.simulate import (
    BuildProblem,
    Entry,
    ExecResult,
    Simulation,
    Timeline,
    add_months,
    deliver,
    exec_file,
    prepare,
    read_build,
    run,
)
from emulator.version import RouterOSVersion, VersionError

__all__ = [
    "DEFAULT_USERS",
    "BuildProblem",
    "Credentials",
    "EmulatorRefusal",
    "Entry",
    "ExecResult",
    "Fixture",
    "FixtureError",
    "FixtureProblem",
    "Interpreter",
    "Mail",
    "Router",
    "RouterOSError",
    "RouterOSVersion",
    "RunResult",
    "RunningServer",
    "ServerError",
    "ServerInfo",
    "Simulation",
    "Timeline",
    "VersionError",
    "add_months",
    "deliver",
    "emulated_router",
    "exec_file",
    "prepare",
    "read_build",
    "read_fixture",
    "run",
    "serve",
    "start_server",
]
