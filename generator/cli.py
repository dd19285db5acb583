"""The command line: with ``cli_sim.py`` and ``cli_deploy.py``, the only modules that print, prompt or exit.

Every command returns an :class:`~generator.errors.ExitCode`. Errors rosbill knows about are printed as located
one-line messages; an unexpected exception prints one line and a hint to rerun with ``--debug`` for the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import stat
import sys
import tempfile
import textwrap
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from generator import __version__, lintformat
from generator import build as build_stage
from generator import cli_options as opts

# Re-exported: the argument types' historic home (tests and the other CLI modules import them from here).
from generator.cli_options import DEFAULT_CONFIG as DEFAULT_CONFIG
from generator.cli_options import DEFAULT_OUT as DEFAULT_OUT
from generator.cli_options import FIRST_YEAR as FIRST_YEAR
from generator.cli_options import LAST_YEAR as LAST_YEAR
from generator.cli_options import MAX_SECONDS as MAX_SECONDS
from generator.cli_options import BoundedInt as BoundedInt
from generator.cli_options import host_port as host_port
from generator.cli_options import login_name as login_name
from generator.cli_options import moment as moment
from generator.cli_options import seconds as seconds
from generator.cli_options import version_text as version_text
from generator.errors import ConfigError, ConfigProblem, ExitCode, LintFailed, RosbillError

Command = Callable[[argparse.Namespace], int]


def one_line(text: str) -> str:
    """``text`` with every character that could break the line or mislead the reader (control and format characters
    such as bidirectional overrides, line separators, lone surrogates from a non-UTF-8 argument) escaped, so a message
    stays one line and reads as written."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text
    )


def _err(message: str, colour: str | None = None) -> None:
    """One line on stderr (every message rosbill prints there is one line), in ``colour`` on a colour terminal."""
    text = one_line(message)
    print(opts.paint(text, colour, sys.stderr) if colour else text, file=sys.stderr)


def progress(message: str) -> None:
    """A step of a long command, on stderr: shown with ``-v``, or on a terminal unless ``-q`` (never in pipes, so
    scripts reading stderr see only messages)."""
    out = opts.OUTPUT
    if out.verbose or (not out.quiet and sys.stderr.isatty()):
        _err(message, "dim")


def info(message: str) -> None:
    """A line of a command's text report on stdout (left out with ``-q`` unless it is the result)."""
    if not opts.OUTPUT.quiet:
        print(one_line(message))


def _severity_colour(severity: str) -> str:
    return "red" if severity == "error" else "yellow"


def print_warnings(warnings: Sequence[ConfigProblem]) -> None:
    """Config warnings (``file:line:col: key: warning: ...``) on stderr; they never change the exit code."""
    for warning in warnings:
        _err(str(warning), "yellow")


def report(args: argparse.Namespace) -> dict[str, Any]:
    """The ``--json`` document a command fills (the hook of deploy, rollback and simulate): ``main`` adds
    ``version``, ``command`` and ``exit_code`` and prints it. Commands run without ``--json`` get a dict nobody
    reads."""
    found = getattr(args, "report", None)
    if not isinstance(found, dict):
        found = {}
        args.report = found
    return found


# --------------------------------------------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    config, digest, warnings = build_stage.load_with_warnings(args.config)
    print_warnings(warnings)
    if args.one:
        names = [r.name for r in opts.routers(config, args.router, args.config, command="build --one", single=True)]
    else:
        names = build_stage.select(config, args.router, args.config)
    status = ExitCode.OK
    routers = report(args).setdefault("routers", [])
    for name in names:
        progress(f"{name}: rendering and linting")
        (built,) = build_stage.build(config, digest, args.out, [name])
        folder = build_stage.write(built, args.out)
        failing = built.failing
        for diagnostic in built.diagnostics:
            _err(str(diagnostic), _severity_colour(diagnostic.severity))
        scripts = [n for n in built.rendered.files if n.endswith(".rsc")]
        routers.append({"router": name, "folder": str(folder), "routeros": str(built.rendered.router.version),
                        "dialect": built.rendered.dialect.name, "files": sorted(built.rendered.files),
                        "lint_clean": not failing,
                        "diagnostics": [lintformat.diagnostic_dict(d) for d in built.diagnostics]})  # fmt: skip
        if failing:
            status = ExitCode.LINT
            _err(f"{folder}: {len(failing)} lint finding(s); do not deploy this build", "red")
        else:
            clean = opts.paint("lint clean", "green", sys.stdout)
            print(
                f"{one_line(str(folder))}: {', '.join(scripts)} (RouterOS {built.rendered.router.version}, "
                f"{built.rendered.dialect.name}); {clean}"
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
            _err(f"{target}: command database for RouterOS {router.version} (routeros-lsp check --schema {target})")
    checked = []
    for name in names:
        progress(f"{name}: rendering and linting")
        (built,) = build_stage.build(config, digest, args.out, [name])
        count = sum(1 for n in built.rendered.files if n.endswith(".rsc"))
        checked.append(lintformat.Checked(name, count, tuple(built.diagnostics), len(built.failing)))
    status = ExitCode.LINT if any(c.failing for c in checked) else ExitCode.OK
    if args.format == "json":
        report(args)["routers"] = lintformat.routers_json(checked)
    elif args.format == "text" and opts.OUTPUT.colour_on(sys.stdout):
        for c in checked:
            for d in c.diagnostics:
                print(opts.paint(one_line(str(d)), _severity_colour(d.severity), sys.stdout))
    else:
        sys.stdout.write(lintformat.render(args.format, checked, int(status)))
    for c in checked:
        colour = "red" if c.failing else "green"
        _err(f"{c.router}: checked {c.checked_files} files, {c.failing} error(s) or warning(s)", colour)
    return status


def cmd_schema(args: argparse.Namespace) -> int:
    from generator import schema

    text = schema.text()
    if args.output is None:
        sys.stdout.write(text)
        return ExitCode.OK
    _write_file(Path(args.output), text, "--output")
    _err(f"{args.output}: JSON Schema of the billing config (point editors at it: # yaml-language-server: "
         f"$schema={args.output})")  # fmt: skip
    return ExitCode.OK


def _write_file(path: Path, text: str, option: str) -> None:
    """Writes ``text`` to ``path`` atomically; a target that is not a regular file is refused, never replaced."""
    try:
        info = path.stat()
    except FileNotFoundError:
        pass
    except OSError as error:
        raise build_stage.OutputProblem(f"{option} {path}: {error.strerror or error}") from None
    else:
        if not stat.S_ISREG(info.st_mode):
            raise build_stage.OutputProblem(f"{option} {path}: not a regular file; give a file name")
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise build_stage.OutputProblem(f"{option} {path}: cannot write it: {error.strerror or error}") from None


# --------------------------------------------------------------------------------------------------------------------

EXIT_CODES = (
    "0 ok; 1 changes pending (deploy/rollback --dry-run) or a probed assumption differs; 2 usage, config or "
    "environment error; 3 lint findings; 4 a script failed on the emulated router; 5 deploy failed (the router "
    "restored from its backup where writing had begun); 6 a rosbill run is active on the router (pay: nothing "
    "written, try again later); 70 a bug in rosbill (rerun with --debug for the traceback)"
)

TOP_EPILOG = f"""\
commands in the order an operator uses them:
  rosbill build      render and lint the scripts into build/<router>/
  rosbill simulate   a month of billing on an emulated router (nothing deployed)
  rosbill deploy     push the build to the router over the RouterOS API
  `rosbill COMMAND --help` shows each command's options, defaults, an example and its exit codes;
  docs/cli.md has them all, with the --json shapes.

exit codes:
  {EXIT_CODES}

environment: ROSBILL_PASSWORD_<ROUTER> / ROSBILL_PASSWORD (router API), ROSBILL_SMTP_PASSWORD, NO_COLOR
"""


def command(sub: argparse._SubParsersAction, name: str, summary: str, description: str, example: str,  # type: ignore[type-arg]
            exits: str) -> argparse.ArgumentParser:  # fmt: skip
    """A subcommand's parser with a one-line ``summary`` (in ``rosbill --help``), a ``description``, an example and
    its exit codes (in ``rosbill NAME --help``)."""
    description = textwrap.fill(description, 100)
    return sub.add_parser(name, help=summary, description=description, epilog=opts.epilog(example, exits),  # type: ignore[no-any-return]
                          formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="rosbill",
        description="Billing scripts for MikroTik User Manager: build, lint, emulate, deploy.",
        epilog=TOP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"rosbill {__version__}",
                     help="print rosbill's own version and exit (the RouterOS version is --routeros)")  # fmt: skip
    top.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    p = command(sub, "build", "render and lint the scripts into build/<router>/",
                "Render the billing scripts for each router of the config, lint them (routeros-lsp --strict and the "
                "project's rules) and write them with a manifest.json into OUT/<router>/. Lint findings go to stderr; "
                "a build with findings is written but must not be deployed.",
                "rosbill build --config config/billing.yaml --router core1",
                "0 built and lint clean; 2 config or usage error; 3 lint findings")  # fmt: skip
    opts.add_config(p)
    opts.add_router(p)
    opts.add_out(p, "output folder")
    p.add_argument("--one", action="store_true",
                   help="exactly one router: the one --router names, or the only one (make deploy)")  # fmt: skip
    opts.add_json(p)
    opts.add_output(p)
    p.set_defaults(func=cmd_build)

    p = command(sub, "lint", "check the scripts the config produces (routeros-lsp --strict + project rules)",
                "Render the scripts in memory and report every lint finding; nothing is written (except the "
                "command databases with --write-schema). --format picks text (file:line:col: code severity: message), "
                "json (docs/cli.md), sarif (SARIF 2.1.0 for code scanning) or github (GitHub Actions annotations).",
                "rosbill lint --format sarif > rosbill.sarif",
                "0 no findings; 2 config or usage error; 3 lint findings")  # fmt: skip
    opts.add_config(p)
    opts.add_router(p)
    opts.add_out(p, "folder named in findings (nothing is written)")
    p.add_argument("--write-schema", metavar="DIR", help="also write the command database per router version")
    p.add_argument("--format", choices=lintformat.FORMATS, default="text",
                   help="how findings are printed on stdout (default text); --json is --format json")  # fmt: skip
    opts.add_json(p)
    opts.add_output(p)
    p.set_defaults(func=cmd_lint)

    p = command(sub, "schema", "print the JSON Schema of the billing config (for editors and CI)",
                "Print the JSON Schema (draft 2020-12) of config/billing.yaml, generated from the config models, or "
                "write it to --output. The repository keeps a copy in schema/billing.schema.json; the config's first "
                "line `# yaml-language-server: $schema=...` points editors with the YAML language server at it.",
                "rosbill schema --output schema/billing.schema.json",
                "0 written; 2 the file cannot be written")  # fmt: skip
    p.add_argument("--output", metavar="OUTFILE", help="write the schema to this file instead of stdout")
    opts.add_output(p)
    p.set_defaults(func=cmd_schema)

    from generator import cli_deploy, cli_pay, cli_probe, cli_sim

    cli_sim.register(sub)
    cli_deploy.register(sub)
    cli_probe.register(sub)
    cli_pay.register(sub)
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
    if getattr(args, "format", None) == "json":
        args.json = True
    elif getattr(args, "json", None) is True and hasattr(args, "format"):
        args.format = "json"  # lint --json is lint --format json
    output = opts.configure(args)
    args.report = {}
    if not output.json:
        return _dispatch(args)
    # --json: the text report goes to stderr, stdout holds the one document.
    stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        code = _dispatch(args)
    words = [args.command] + ([args.router_command] if getattr(args, "router_command", None) else [])
    document = {"version": opts.JSON_VERSION, "command": " ".join(words), **args.report, "exit_code": code}
    stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
    return code


def _dispatch(args: argparse.Namespace) -> int:
    errors = report(args).setdefault("errors", [])
    try:
        return int(args.func(args))
    except ConfigError as error:
        for problem in error.problems:
            errors.append(str(problem))
            _err(str(problem), "red")
        return ExitCode.USAGE
    except LintFailed as error:
        for diagnostic in error.diagnostics:
            errors.append(str(diagnostic))
            _err(str(diagnostic), "red")
        return ExitCode.LINT
    except RosbillError as error:
        errors.append(str(error))
        _err(f"rosbill: {error}", "red")
        return int(error.exit_code)
    except KeyboardInterrupt:
        _err("rosbill: interrupted")
        return 130
    except OSError as error:
        if error.filename is None:
            return _internal(error, args.debug)
        # The environment (a file that vanished, or cannot be read or written), not a bug: no traceback.
        errors.append(f"{error.filename}: {error.strerror or type(error).__name__}")
        _err(f"rosbill: {error.filename}: {error.strerror or type(error).__name__}", "red")
        return ExitCode.USAGE
    except Exception as error:  # a bug: say so in one line, the traceback only on request
        return _internal(error, args.debug)


def _internal(error: BaseException, debug: bool) -> int:
    if debug:
        traceback.print_exception(error)
    _err(f"rosbill: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)")
    return 70
