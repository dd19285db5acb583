"""Commands of the emulator: ``rosbill exec`` and ``rosbill simulate`` (part of the CLI: may print and exit).

A CLI entry module: it builds (``generator.build``, rendering and lint, as ``rosbill build`` does) and hands the build
output to the emulator's public surface (``import emulator``); the emulator never renders.
"""

from __future__ import annotations

import argparse
import json
import smtplib
import socket
import stat
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator import cli_options as opts
from generator import simreport, simreport_html
from generator.cli import BoundedInt, command, host_port, moment, one_line, print_warnings
from generator.cli import report as json_report
from generator.config import Config, RouterConfig
from generator.dialects import RouterOSVersion
from generator.errors import ConfigError, ConfigProblem, ExitCode, LintFailed, Location, RosbillError
from generator.simreport import Plan

if TYPE_CHECKING:
    from generator.build import Built

DEFAULT_USERS = "config/users.yaml"
#: ``rosbill exec`` refuses bigger files (the largest generated script is ~16 kB).
MAX_SCRIPT_BYTES = 1024 * 1024
MAX_MONTHS = 120
SMTP_TIMEOUT = 10.0


class EnvironmentProblem(RosbillError):
    """Something outside rosbill is not as the command needs it (a file, the SMTP server): exit 2."""


def cmd_exec(args: argparse.Namespace) -> int:
    from emulator import exec_file

    _script_file(Path(args.file))
    try:
        done = exec_file(args.file, version=args.version, date=args.date, imported=args.imported)
    except OSError as error:
        raise EnvironmentProblem(f"{args.file}: {error.strerror or error}") from None
    for value in done.result.output:
        print(value.decode("utf-8", "backslashreplace"))
    for line in done.logs:
        print(one_line(f"log {line}"), file=sys.stderr)
    if not done.result.ok:
        pos = done.result.pos
        where = f"{pos.path}:{pos.line}:{pos.column}" if pos is not None else str(args.file)
        print(one_line(f"{where}: {done.result.error}"), file=sys.stderr)
        return ExitCode.SIMULATION
    return ExitCode.OK


def _script_file(path: Path) -> None:
    """Refuses what is not a readable regular file of at most MAX_SCRIPT_BYTES (a pipe or /dev/zero would never end)."""
    try:
        info = path.stat()
    except OSError as error:
        raise EnvironmentProblem(f"{path}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise EnvironmentProblem(f"{path}: is a directory; give a .rsc file")
    if not stat.S_ISREG(info.st_mode):
        raise EnvironmentProblem(f"{path}: not a regular file (a pipe or a device); give a .rsc file")
    if info.st_size > MAX_SCRIPT_BYTES:
        raise EnvironmentProblem(f"{path}: {info.st_size} bytes; rosbill exec runs files of at most 1 MB")


def target(router: RouterConfig, version: str | None) -> RouterConfig:
    """The router config, with its RouterOS version replaced when ``--version`` is given."""
    if not version:
        return router
    return router.model_copy(update={"version": RouterOSVersion.parse(version)})


def build_for(config: Config, router: RouterConfig, config_sha256: str, out_dir: str = "build") -> Built:
    """What ``rosbill build`` would build for ``router`` (rendered and linted; the manifest records the config's real
    hash). A build with failing lint findings is refused (:class:`LintFailed`), as nothing would deploy it."""
    from generator import build as build_stage

    only = config.model_copy(update={"routers": [router]})
    (built,) = build_stage.build(only, config_sha256, out_dir, [router.name])
    if built.failing:
        raise LintFailed(built.failing)
    return built


def _from_config(args: argparse.Namespace) -> tuple[dict[str, bytes], str, str, Plan]:
    """Builds the config's router (``--router``, ``--version``) as ``rosbill build`` does: files, version, dialect,
    and what the report needs to know of the config (caps, warning levels, the invoice format)."""
    from generator import build as build_stage

    config, digest, warnings = build_stage.load_with_warnings(args.config)
    print_warnings(warnings)
    routers = {r.name: r for r in config.routers}
    picked = opts.routers(config, args.router, args.config, command="simulate", single=True) if args.router else None
    name = picked[0].name if picked else config.routers[0].name
    if name not in routers:
        known = ", ".join(routers)
        problem = ConfigProblem(
            Location(args.config, 1, 1), "routers", f'no router named "{name}"; the config has {known}'
        )
        raise ConfigError([problem])
    router = target(routers[name], args.version)
    built = build_for(config, router, digest)
    plan = Plan(
        caps={name: package.cap_bytes for name, package in config.packages.items()},
        levels=config.warnings.levels,
        invoice_format=config.billing.invoice.format,
        router=router.name,
        currency=config.company.currency,
        notify_keys=tuple(n for n, c in config.notify.channels.items() if c.token_env) if config.notify else (),
    )
    return built.rendered.files, str(router.version), built.rendered.dialect.name, plan


def _from_build(folder: Path) -> tuple[dict[str, bytes], str, str, Plan]:
    """The files ``rosbill build`` wrote in ``folder`` and the version and dialect its manifest.json names."""
    import emulator

    files = emulator.read_build(folder)
    try:
        manifest = json.loads(files["manifest.json"])
        version, dialect = str(manifest["routeros_version"]), str(manifest["dialect"])
        RouterOSVersion.parse(version)
    except (KeyError, TypeError, ValueError):
        raise EnvironmentProblem(
            f"{folder}: no readable manifest.json naming the RouterOS version; give a folder `rosbill build` wrote"
        ) from None
    return files, version, dialect, Plan(router=str(manifest.get("router", "")))


def cmd_simulate(args: argparse.Namespace) -> int:
    import emulator

    if args.build is not None and (args.router is not None or args.version is not None):
        raise EnvironmentProblem("--build runs a build as it was built: leave out --router and --routeros")
    files, version, dialect, plan = _from_config(args) if args.build is None else _from_build(Path(args.build))
    users = emulator.read_fixture(Path(args.users))  # a located message for a fixture that is missing or not one
    if args.smtp:
        _smtp_ready(*args.smtp)
    for option in ("html", "csv"):
        if getattr(args, option):
            _writable(getattr(args, option), f"--{option}")
    # Stand-in notify tokens, as deploy would write the real ones (docs/notify.md): the messages show in the timeline.
    keys = "".join(f"# key {name}=simulated-token\n" for name in plan.notify_keys)
    scripts = {"BillingNotifyKeys": keys} if keys else None
    sim = emulator.prepare(files, emulator.RouterOSVersion.parse(version), users, start=args.start, scripts=scripts)
    begin = sim.router.now()
    until = emulator.add_months(begin, args.months)
    print(
        f"# emulated RouterOS {version} ({dialect}), {args.users}, "
        f"{begin:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M}; install.rsc imported"
    )

    delivered = [0]
    logged: set[str] = set()

    def show(entry: emulator.Entry) -> None:
        stamp = f"{entry.at:%Y-%m-%d %H:%M:%S}"
        if entry.mail is not None:
            print(f"{stamp}  MAIL  to {entry.mail.to}  subject: {_text(entry.mail.subject)}")
            if not args.brief:
                for line in _text(entry.mail.body).rstrip("\n").split("\n"):
                    print(f"{'':21}| {line}")
            if args.smtp:
                try:
                    emulator.deliver(entry.mail, *args.smtp)
                except (OSError, smtplib.SMTPException) as error:
                    host, port = args.smtp
                    raise EnvironmentProblem(
                        f"--smtp {host}:{port}: the server stopped taking mail at {stamp} ({_smtp_reason(error)}); "
                        f"{delivered[0]} mail(s) were delivered"
                    ) from None
                delivered[0] += 1
        elif entry.kind == "state":
            print(f"{stamp}  STATE {entry.user}: {entry.before!r} -> {entry.after!r}")
            for what in simreport.enforcement(entry.before, entry.after):
                print(f"{stamp}  RATE  {entry.user}: {what}")
        elif entry.kind == "message":
            print(f"{stamp}  MSG   {entry.text}")
        elif entry.text not in logged:  # the nightly runs log the same warning every night: once, counted below
            logged.add(entry.text)
            print(f"{stamp}  LOG   {entry.text}")

    timeline = emulator.run(sim, until, on_entry=show, usage=True)
    plan = replace(plan, user_packages={u.name: u.package for u in users.users if u.package})
    title = f"rosbill simulate: {plan.router or dialect}, RouterOS {version}, {begin:%Y-%m-%d} to {until:%Y-%m-%d}"
    report = simreport.build(
        [simreport.Event(e.at, e.kind, e.text, e.user, e.before, e.after) for e in timeline.entries],
        [simreport.Sample(u.at, u.user, u.total, u.comment) for u in timeline.usage],
        plan,
        title=title,
    )
    for line in simreport.text(report):
        print(line)
    if args.html:
        _write(args.html, "--html", simreport_html.page(report))
    if args.csv:
        _write(args.csv, "--csv", simreport.to_csv(report))
    mails = len(timeline.mails())
    errors = sum(1 for e in timeline.of("log") if e.text.startswith("error"))
    print(f"# {mails} mails, {len(timeline.of('state'))} state changes, {errors} script errors")
    json_report(args).update(routeros=version, dialect=dialect, users=str(args.users), start=f"{begin:%Y-%m-%d %H:%M}",
                             until=f"{until:%Y-%m-%d %H:%M}", mails=mails, state_changes=len(timeline.of("state")),
                             script_errors=errors, bills=[_bill_json(b) for b in report.bills],
                             folded_warnings=[{"text": f.text, "count": f.count} for f in report.folded])  # fmt: skip
    return ExitCode.SIMULATION if errors else ExitCode.OK


def _bill_json(bill: simreport.Bill) -> dict[str, object]:
    """One bill of ``simulate --json`` (docs/cli.md): the fields of :class:`generator.simreport.Bill`."""
    return {name: getattr(bill, name) for name in bill.__dataclass_fields__}


def _writable(path: str, option: str) -> None:
    """Refuses a report file that cannot be written before the run, not after a month of it."""
    target = Path(path)
    if target.is_dir():
        raise EnvironmentProblem(f"{option} {path}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise EnvironmentProblem(f"{option} {path}: the folder {target.parent} does not exist")


def _write(path: str, option: str, content: str) -> None:
    try:
        Path(path).write_text(content, encoding="utf-8", newline="")
    except OSError as error:
        raise EnvironmentProblem(f"{option} {path}: {error.strerror or error}") from None


def _smtp_ready(host: str, port: int) -> None:
    """Says hello to the SMTP server before the run, so a wrong --smtp fails at once and not at the first mail."""
    try:
        with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT) as client:
            code, _ = client.noop()
            if code != 250:
                raise smtplib.SMTPResponseException(code, b"refused NOOP")
    except (OSError, smtplib.SMTPException) as error:
        reason = _smtp_reason(error)
        raise EnvironmentProblem(
            f"--smtp {host}:{port}: no SMTP server takes mail there ({reason}); start it or leave --smtp out"
        ) from None


def _smtp_reason(error: BaseException) -> str:
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the host: {error.strerror}"
    if isinstance(error, TimeoutError):
        return f"no answer within {SMTP_TIMEOUT:g} s"
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        recipient, (code, refusal) = next(iter(error.recipients.items()))
        return f"it refused {recipient}: {code} {refusal.decode('utf-8', 'replace')}"
    if isinstance(error, smtplib.SMTPResponseException):
        said = error.smtp_error
        return f"it answered {error.smtp_code} {said.decode('utf-8', 'replace') if isinstance(said, bytes) else said}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "it closed the connection"
    if isinstance(error, OSError):
        return (error.strerror or type(error).__name__).lower()
    return type(error).__name__


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else value


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds the emulator's subcommands (options from ``generator.cli_options``)."""
    p = command(sub, "exec", "run one .rsc file on a fresh emulated router and print its output",
                "Run one RouterOS script file on a fresh emulated router: its :put output on stdout, its log lines "
                "on stderr. What the emulator does not model is refused with a message saying so.",
                'rosbill exec --routeros 6.49 --date "2026-11-30 23:50" test.rsc',
                "0 the script ran; 2 usage error or an unreadable file; 4 the script failed")  # fmt: skip
    p.add_argument("file", metavar="FILE.rsc", help="the script to run (at most 1 MB)")
    opts.add_routeros(p, "emulated RouterOS version", dest="version", default="7.16")
    p.add_argument("--date", type=moment, help='router clock at start, e.g. "2026-11-30 23:50:00"')
    p.add_argument(
        "--import",
        dest="imported",
        action="store_true",
        help="run as /import does (each top-level line its own scope) instead of as a script",
    )
    opts.add_output(p)
    p.set_defaults(func=cmd_exec)

    p = command(sub, "simulate", "install the built scripts on an emulated router and run months of billing",
                "Build the config's router as `rosbill build` does (or take a folder it wrote, --build), install the "
                "scripts on an emulated router with the users of a fixture and run its clock for --months: every "
                "mail, state change and log line, then the report. Nothing is deployed.",
                "rosbill simulate --router core1 --months 2 --brief",
                "0 no script failed; 2 usage, config or fixture error; 3 lint findings; 4 a script failed")  # fmt: skip
    opts.add_config(p)
    opts.add_router(p, "which router of the config (once; default: the first)")
    p.add_argument(
        "--build",
        metavar="DIR",
        help="run the files `rosbill build` wrote in DIR (build/<router>) instead of building the config",
    )
    p.add_argument("--users", default=DEFAULT_USERS, metavar="FILE", help=f"user fixture (default {DEFAULT_USERS})")
    p.add_argument(
        "--from", dest="start", type=moment, metavar="DATE", help="router clock at start (default: the fixture's)"
    )
    p.add_argument("--months", type=BoundedInt(1, MAX_MONTHS, "a number of months"), default=1, metavar="N",
                   help=f"how long to run (default 1, at most {MAX_MONTHS})")  # fmt: skip
    opts.add_routeros(p, "emulate this RouterOS version instead of the config's", dest="version")
    p.add_argument("--smtp", type=host_port, metavar="HOST:PORT", help="also deliver every mail to this SMTP server")
    p.add_argument("--brief", action="store_true", help="mail subjects only, no bodies")
    p.add_argument(
        "--html", metavar="OUTFILE", help="also write the report as a self-contained HTML page with usage charts"
    )
    p.add_argument("--csv", metavar="OUTFILE", help="also write the bills as CSV for accounting (one row per bill)")
    opts.add_json(p)
    opts.add_output(p)
    p.set_defaults(func=cmd_simulate)
