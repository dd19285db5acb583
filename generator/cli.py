"""The command line: with ``cli_sim.py`` and ``cli_deploy.py``, the only modules that print, prompt or exit.

Every command returns an :class:`~generator.errors.ExitCode`. Errors rosbill knows about are printed as located
one-line messages; an unexpected exception prints one line and a hint to rerun with ``--debug`` for the traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import __version__
from generator import build as build_stage
from generator.errors import ConfigError, ExitCode, LintFailed, RosbillError

DEFAULT_CONFIG = "config/billing.yaml"
DEFAULT_OUT = "build"

Command = Callable[[argparse.Namespace], int]


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", default=DEFAULT_CONFIG, metavar="PATH", help=f"billing config (default {DEFAULT_CONFIG})"
    )


def _add_router(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--router", action="append", metavar="NAME", help="only this router (repeatable; default all)")


# --------------------------------------------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    config, digest = build_stage.load(args.config)
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
    config, digest = build_stage.load(args.config)
    names = build_stage.select(config, args.router, args.config)
    if args.write_schema:
        from generator.lint_schema import schema_for

        Path(args.write_schema).mkdir(parents=True, exist_ok=True)
        for router in config.routers:
            target = Path(args.write_schema) / f"routeros-{router.version}.json"
            target.write_text(schema_for(router.version), encoding="utf-8")
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

    from generator import cli_deploy, cli_sim

    cli_sim.register(sub)
    cli_deploy.register(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
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
        _err(str(error))
        return ExitCode.LINT
    except RosbillError as error:
        _err(f"rosbill: {error}")
        return int(error.exit_code)
    except KeyboardInterrupt:
        _err("rosbill: interrupted")
        return 130
    except Exception as error:  # a bug: say so in one line, the traceback only on request
        if args.debug:
            traceback.print_exc()
        _err(f"rosbill: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)")
        return 70
