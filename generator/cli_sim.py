"""Commands of the emulator: ``rosbill exec`` and ``rosbill simulate`` (part of the CLI: may print and exit)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from generator.errors import ConfigError, ConfigProblem, ExitCode, Location

DEFAULT_USERS = "config/users.yaml"


def _moment(text: str) -> dt.datetime:
    for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, form)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f'"{text}" is not a date; write "2026-11-30" or "2026-11-30 23:50:00"')


def _hostport(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f'"{text}" is not HOST:PORT')
    return host, int(port)


def cmd_exec(args: argparse.Namespace) -> int:
    from generator.sim.simulate import exec_file

    try:
        done = exec_file(args.file, version=args.version, date=args.date, imported=args.imported)
    except OSError as error:
        print(f"rosbill: {args.file}: {error.strerror or error}", file=sys.stderr)
        return ExitCode.USAGE
    for value in done.result.output:
        print(value.decode("utf-8", "backslashreplace"))
    for line in done.logs:
        print(f"log {line}", file=sys.stderr)
    if not done.result.ok:
        pos = done.result.pos
        where = f"{pos.path}:{pos.line}:{pos.column}" if pos is not None else str(args.file)
        print(f"{where}: {done.result.error}", file=sys.stderr)
        return ExitCode.SIMULATION
    return ExitCode.OK


def cmd_simulate(args: argparse.Namespace) -> int:
    from generator import build as build_stage
    from generator.sim import simulate

    config, _ = build_stage.load(args.config)
    routers = {r.name: r for r in config.routers}
    name = args.router or config.routers[0].name
    if name not in routers:
        raise ConfigError([ConfigProblem(Location(args.config, 1, 1), "routers", f'no router named "{name}"')])
    router = simulate.target(routers[name], args.version)
    sim = simulate.prepare(config, router, args.users, start=args.start)
    begin = sim.router.now()
    until = simulate.add_months(begin, args.months)
    print(
        f"# emulated RouterOS {router.version} ({sim.rendered.dialect.name}), {args.users}, "
        f"{begin:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M}; install.rsc imported"
    )

    def show(entry: simulate.Entry) -> None:
        stamp = f"{entry.at:%Y-%m-%d %H:%M:%S}"
        if entry.mail is not None:
            print(f"{stamp}  MAIL  to {entry.mail.to}  subject: {_text(entry.mail.subject)}")
            if not args.brief:
                for line in _text(entry.mail.body).rstrip("\n").split("\n"):
                    print(f"{'':21}| {line}")
            if args.smtp:
                simulate.deliver(entry.mail, *args.smtp)
        elif entry.kind == "state":
            print(f"{stamp}  STATE {entry.user}: {entry.before!r} -> {entry.after!r}")
        else:
            print(f"{stamp}  LOG   {entry.text}")

    timeline = simulate.run(sim, until, on_entry=show)
    mails = len(timeline.mails())
    errors = sum(1 for e in timeline.of("log") if e.text.startswith("error"))
    print(f"# {mails} mails, {len(timeline.of('state'))} state changes, {errors} script errors")
    return ExitCode.SIMULATION if errors else ExitCode.OK


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else value


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds the emulator's subcommands."""
    p = sub.add_parser("exec", help="run one .rsc file on a fresh emulated router and print its output")
    p.add_argument("file", metavar="FILE.rsc")
    p.add_argument("--version", default="7.16", help="emulated RouterOS version (default 7.16)")
    p.add_argument("--date", type=_moment, help='router clock at start, e.g. "2026-11-30 23:50:00"')
    p.add_argument(
        "--import",
        dest="imported",
        action="store_true",
        help="run as /import does (each top-level line its own scope) instead of as a script",
    )
    p.set_defaults(func=cmd_exec)

    p = sub.add_parser("simulate", help="install the built scripts on an emulated router and run months of billing")
    p.add_argument("--config", default="config/billing.yaml", metavar="PATH")
    p.add_argument("--router", metavar="NAME", help="which router of the config (default: the first)")
    p.add_argument("--users", default=DEFAULT_USERS, metavar="FILE", help=f"user fixture (default {DEFAULT_USERS})")
    p.add_argument(
        "--from", dest="start", type=_moment, metavar="DATE", help="router clock at start (default: the fixture's)"
    )
    p.add_argument("--months", type=int, default=1, help="how long to run (default 1)")
    p.add_argument("--version", help="emulate this RouterOS version instead of the config's")
    p.add_argument("--smtp", type=_hostport, metavar="HOST:PORT", help="also deliver every mail to this SMTP server")
    p.add_argument("--brief", action="store_true", help="mail subjects only, no bodies")
    p.set_defaults(func=cmd_simulate)
