"""One exception tree, the diagnostic record and the exit codes shared by every stage.

Stages raise these (or return Diagnostic values); only the CLI turns them into text and an exit code.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    OK = 0
    CHANGES_PENDING = 1  # deploy --dry-run found changes
    USAGE = 2  # bad command line or bad config
    LINT = 3  # the generated scripts have lint findings
    SIMULATION = 4  # a script failed on the emulated router
    DEPLOY = 5  # deploy failed (the router was restored where possible)
    BUSY = 6  # a rosbill run is active on the router: nothing was written (rosbill pay)


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    line: int  # from 1
    column: int  # from 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding with a stable code. ``message`` says what the router will do, not only what is wrong."""

    location: Location
    code: str
    severity: str  # "error" | "warning" | "information" | "hint"
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.severity}: {self.message}"


class RosbillError(Exception):
    """Base of every error rosbill reports to the user. ``exit_code`` says how the CLI exits."""

    exit_code: ExitCode = ExitCode.USAGE


class ConfigError(RosbillError):
    """One or more problems in the operator's YAML file, each with its location."""

    exit_code = ExitCode.USAGE

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    location: Location
    key: str  # dotted path, e.g. "packages.Gold.cap"
    message: str  # what is wrong and what would be right
    severity: str = "error"  # "error" (the config is refused) or "warning" (it loads; the CLI shows the warning)

    def __str__(self) -> str:
        text = self.message if self.severity == "error" else f"{self.severity}: {self.message}"
        return f"{self.location}: {self.key}: {text}" if self.key else f"{self.location}: {text}"


class RenderError(RosbillError):
    """A template tried to emit something the encoder did not produce, or referenced an unknown name."""

    exit_code = ExitCode.USAGE


class LintFailed(RosbillError):
    exit_code = ExitCode.LINT

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


class ScriptError(RosbillError):
    """A RouterOS script failed on the emulated router (syntax error at load, or an uncaught runtime error)."""

    exit_code = ExitCode.SIMULATION

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}" if location else message)


class DeployError(RosbillError):
    exit_code = ExitCode.DEPLOY
