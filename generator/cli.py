"""The command line: with ``cli_sim.py`` and ``cli_deploy.py``, the only modules that print, prompt or exit.

Every command returns an :class:`~generator.errors.ExitCode`. Errors rosbill knows about are printed as located
one-line messages; an unexpected exception prints one line and a hint to rerun with ``--debug`` for the traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import __version__
from generator import build as build_stage
from generator.dialects import RouterOSVersion, VersionError
from generator.errors import ConfigError, ConfigProblem, ExitCode, LintFailed, RosbillError
from generator.yamlmarks import shown

DEFAULT_CONFIG = "config/billing.yaml"
DEFAULT_OUT = "build"

Command = Callable[[argparse.Namespace], int]


def one_line(text: str) -> str:
    """``text`` with every character that could break the line or mislead the reader (control and format characters
    such as bidirectional overrides, line separators, lone surrogates from a non-UTF-8 argument) escaped, so a message
    stays one line and reads as written."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text
    )


def _err(message: str) -> None:
    """One line on stderr (every message rosbill prints there is one line)."""
    print(one_line(message), file=sys.stderr)


def print_warnings(warnings: Sequence[ConfigProblem]) -> None:
    """Config warnings (``file:line:col: key: warning: ...``) on stderr; they never change the exit code."""
    for warning in warnings:
        _err(str(warning))


# --- argument types: a bad value is a usage error (exit 2) naming the option and what would be right ---------------


def version_text(text: str) -> str:
    """A RouterOS version rosbill supports, written exactly, e.g. ``7.16``."""
    try:
        if text != text.strip() or not text.isprintable():
            raise VersionError(f'{shown(text)} is not a RouterOS version; write it like "6.49", "7.9" or "7.16.2"')
        RouterOSVersion.parse(text)
    except VersionError as error:
        raise argparse.ArgumentTypeError(one_line(str(error))) from None
    return text


MAX_SECONDS = 86400.0


def seconds(text: str) -> float:
    """A positive, finite number of seconds, at most a day."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise argparse.ArgumentTypeError(
            f'{shown(text)} is not a number of seconds; write e.g. "15" or "2.5" (more than 0, at most {MAX_SECONDS:g})'
        )
    return value


class BoundedInt:
    """An argument type: a whole number from ``low`` to ``high`` (``what`` names it in the message)."""

    def __init__(self, low: int, high: int, what: str) -> None:
        self.low, self.high, self.what = low, high, what
        self.__name__ = what  # argparse names a type by it in some messages

    def __call__(self, text: str) -> int:
        if not re.fullmatch(r"[+-]?[0-9]{1,12}", text) or not self.low <= int(text) <= self.high:
            raise argparse.ArgumentTypeError(
                f"{shown(text)} is not {self.what}; write a whole number from {self.low} to {self.high}"
            )
        return int(text)


#: The years rosbill's emulated router is run in.
FIRST_YEAR, LAST_YEAR = 1970, 2099


def moment(text: str) -> dt.datetime:
    """A router clock reading, ``2026-11-30``, ``2026-11-30 23:50`` or ``2026-11-30 23:50:00``."""
    for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            found = dt.datetime.strptime(text, form)
        except ValueError:
            continue
        if FIRST_YEAR <= found.year <= LAST_YEAR:
            return found
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is outside the years the emulated router runs in ({FIRST_YEAR} to {LAST_YEAR})"
        )
    raise argparse.ArgumentTypeError(f'{shown(text)} is not a date; write "2026-11-30" or "2026-11-30 23:50:00"')


_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\]")


def host_port(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:25`` for an IPv6 address): a host name or address and a port from 1 to 65535."""
    host, _, port = text.rpartition(":")
    if not host or not _HOST.fullmatch(host) or not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(
            f'{shown(text)} is not HOST:PORT; write e.g. "127.0.0.1:2525", "mail.example.net:25" or "[::1]:25"'
        )
    return host.strip("[]"), int(port)


def login_name(text: str) -> str:
    """A RouterOS user name: 1 to 64 printable characters, no spaces at either end."""
    if not text or len(text) > 64 or text != text.strip() or not text.isprintable():
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not a user name; write 1 to 64 printable characters, e.g. admin"
        )
    return text


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", default=DEFAULT_CONFIG, metavar="PATH", help=f"billing config (default {DEFAULT_CONFIG})"
    )


def _add_router(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--router", action="append", metavar="NAME", help="only this router (repeatable; default all)")


# --------------------------------------------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    config, digest, warnings = build_stage.load_with_warnings(args.config)
    print_warnings(warnings)
    names = build_stage.select(config, args.router, args.config)
    results = build_stage.build(config, digest, args.out, names)
    status = ExitCode.OK
    for built in results:
        folder = build_stage.write(built, args.out)
        failing = built.failing
        for diagnostic in built.diagnostics:
            _err(str(diagnostic))
        if failing:
            status = ExitCode.LINT
            _err(f"{folder}: {len(failing)} lint finding(s); do not deploy this build")
        else:
            scripts = ", ".join(n for n in built.rendered.files if n.endswith(".rsc"))
            print(
                f"{folder}: {scripts} (RouterOS {built.rendered.router.version}, "
                f"{built.rendered.dialect.name}); lint clean"
            )
    return status


def cmd_lint(args: argparse.Namespace) -> int:
    config, digest, warnings = build_stage.load_with_warnings(args.config)
    print_warnings(warnings)
    names = build_stage.select(config, args.router, args.config)
    if args.write_schema:
        from generator.lint_schema import schema_for

        for router in config.routers:
            target = Path(args.write_schema) / f"routeros-{router.version}.json"
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(schema_for(router.version), encoding="utf-8")
            except OSError as error:
                raise build_stage.OutputProblem(
                    f"--write-schema {target}: cannot write it: {error.strerror or error}"
                ) from None
            print(
                f"{target}: command database for RouterOS {router.version} (use: routeros-lsp check --schema {target})"
            )
    results = build_stage.build(config, digest, args.out, names)
    status = ExitCode.OK
    for built in results:
        for diagnostic in built.diagnostics:
            print(str(diagnostic))
        failing = built.failing
        checked = sum(1 for n in built.rendered.files if n.endswith(".rsc"))
        print(
            f"{built.rendered.router.name}: checked {checked} files, {len(failing)} error(s) or warning(s)",
            file=sys.stderr,
        )
        if failing:
            status = ExitCode.LINT
    return status


# --------------------------------------------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="rosbill", description="Billing scripts for MikroTik User Manager: build, lint, emulate, deploy."
    )
    top.add_argument("--version", action="version", version=f"rosbill {__version__}")
    top.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="render and lint the scripts into build/<router>/")
    _add_config(p)
    _add_router(p)
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help=f"output folder (default {DEFAULT_OUT})")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("lint", help="check the scripts the config produces (routeros-lsp --strict + project rules)")
    _add_config(p)
    _add_router(p)
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help="folder named in findings (nothing is written)")
    p.add_argument("--write-schema", metavar="DIR", help="also write the command database per router version")
    p.set_defaults(func=cmd_lint)

    from generator import cli_deploy, cli_probe, cli_sim

    cli_sim.register(sub)
    cli_deploy.register(sub)
    cli_probe.register(sub)
    return top


def _tolerant_streams() -> None:
    """Output never fails on a character the terminal cannot encode (a path from a non-UTF-8 argument): it is shown
    escaped instead."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    top = parser()
    args = top.parse_args(argv)
    if not getattr(args, "command", None):
        top.print_help(sys.stderr)
        return ExitCode.USAGE
    try:
        return int(args.func(args))
    except ConfigError as error:
        for problem in error.problems:
            _err(str(problem))
        return ExitCode.USAGE
    except LintFailed as error:
        for diagnostic in error.diagnostics:
            _err(str(diagnostic))
        return ExitCode.LINT
    except RosbillError as error:
        _err(f"rosbill: {error}")
        return int(error.exit_code)
    except KeyboardInterrupt:
        _err("rosbill: interrupted")
        return 130
    except OSError as error:
        if error.filename is None:
            return _internal(error, args.debug)
        # The environment (a file that vanished, or cannot be read or written), not a bug: no traceback.
        _err(f"rosbill: {error.filename}: {error.strerror or type(error).__name__}")
        return ExitCode.USAGE
    except Exception as error:  # a bug: say so in one line, the traceback only on request
        return _internal(error, args.debug)


def _internal(error: BaseException, debug: bool) -> int:
    if debug:
        traceback.print_exception(error)
    _err(f"rosbill: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)")
    return 70
