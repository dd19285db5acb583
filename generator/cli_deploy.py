"""Commands of the deploy stage: ``rosbill deploy``, ``rosbill rollback``, ``rosbill router serve``, ``rosbill demo``.

Part of the CLI: it prints, prompts and returns exit codes; the work is in ``generator/deploy/``. Passwords are read
with ``cli_options.api_password`` (environment, else a prompt on a terminal) and handed on as ``Secret``; they are
never printed.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator import build as build_stage
from generator import cli_options as opts
from generator.cli import BoundedInt, command, login_name, one_line, print_warnings, report
from generator.deploy import backup as backup_stage
from generator.deploy import desired as desired_stage
from generator.deploy import fleet
from generator.deploy.credentials import smtp_password
from generator.deploy.plan import Plan, describe
from generator.deploy.transport import Endpoint
from generator.errors import ExitCode, RosbillError

if TYPE_CHECKING:
    from emulator import Mail

DEFAULT_CONFIG = "config/billing.yaml"
DEFAULT_OUT = "build"
#: Where ``rosbill router serve`` takes its API password from (or ``--password-file``), never the command line.
SERVE_PASSWORD_VARIABLE = "ROSBILL_SERVE_PASSWORD"
MAX_PASSWORD_FILE = 4096
_print_lock = threading.Lock()


def _say(line: str, *, err: bool = False) -> None:
    with _print_lock:
        print(line, file=sys.stderr if err else sys.stdout, flush=True)


def _step(line: str) -> None:
    """A step of a long command (demo, probe): shown unless -q."""
    if not opts.OUTPUT.quiet:
        _say(line)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds the deploy stage's subcommands (options from ``generator.cli_options``; help texts with an example and the
    exit codes)."""
    p = command(sub, "deploy", "push the built scripts to routers over the RouterOS API (plan, backup, verify)",
                "Compare the build in OUT/<router>/ with what the router holds, show the plan, back the router's "
                "entries up into OUT/backups/<router>/, write, read back and verify; on any failure the backup is "
                "restored. The build must be current (`rosbill build` first). Passwords come from "
                "ROSBILL_PASSWORD_<ROUTER> or ROSBILL_PASSWORD, else a prompt on a terminal.",
                "rosbill deploy --router core1 --dry-run",
                "0 applied or up to date; 1 changes pending (--dry-run); 2 usage, config or stale build; "
                "5 deploy failed (restored from the backup where writing had begun)")  # fmt: skip
    _common(p)
    which = p.add_mutually_exclusive_group()
    opts.add_router(which, "the router to deploy to (repeatable; optional when the config has one router)")
    which.add_argument("--all", action="store_true", help="every router of the config, concurrently")
    p.add_argument(
        "--dry-run", action="store_true", help="print the plan; exit 1 when changes are pending, 0 when none"
    )
    p.add_argument("--yes", action="store_true", help="apply without asking")
    p.add_argument("--no-diff", action="store_true", help="leave script diffs out of the plan")
    p.add_argument("--diff", action="store_true", help="show a created script's every line, not its size and hash")
    p.add_argument("--adopt", action="store_true",
                   help="take over unmanaged entries with the wanted names (shown and backed up first)")  # fmt: skip
    opts.add_json(p)
    opts.add_output(p)
    p.set_defaults(func=cmd_deploy)

    p = command(sub, "rollback", "restore the entries of a deploy backup (build/backups/<router>/)",
                "Put back the entries a deploy backup holds (default: the state before the last deploy), with the "
                "same plan, confirmation and verification as deploy. `rosbill backups` lists the backups.",
                "rosbill rollback --router core1 --steps 1 --dry-run",
                "0 restored or nothing to do; 1 changes pending (--dry-run); 2 usage, config or no backup; "
                "5 the restore failed")  # fmt: skip
    _common(p)
    opts.add_router(p, "the router to restore (once; optional when the config has one router)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--backup", metavar="FILE", type=Path, help="the backup file (.json or .rsc)")
    which.add_argument("--to", metavar="ID", help="the backup with this id (`rosbill backups` lists them)")
    which.add_argument("--steps", type=BoundedInt(1, 1000, "a number of steps"), metavar="N",
                       help="the state N deploys back (default 1: before the last deploy)")  # fmt: skip
    p.add_argument("--dry-run", action="store_true", help="print what the restore would change")
    p.add_argument("--yes", action="store_true", help="restore without asking")
    p.add_argument("--no-diff", action="store_true", help="leave script diffs out of the plan")
    p.add_argument("--diff", action="store_true", help="show a created script's every line, not its size and hash")
    opts.add_json(p)
    opts.add_output(p)
    p.set_defaults(func=cmd_rollback)

    p = command(sub, "backups", "list a router's deploy backups (build/backups/<router>/)",
                "List the backups deploys and rollbacks made of a router, oldest first, with the --steps or --to that "
                "restores each. Reads only files; no router is contacted.",
                "rosbill backups --router core1",
                "0 listed (also when there are none); 2 usage or config error")  # fmt: skip
    opts.add_config(p)
    opts.add_out(p)
    opts.add_router(p, "the router whose backups to list (once; optional when the config has one router)")
    opts.add_output(p)
    p.set_defaults(func=cmd_backups)

    router = sub.add_parser("router", help="the emulated router", description="The emulated router.")
    router_sub = router.add_subparsers(dest="router_command", metavar="COMMAND", required=True)
    p = command(router_sub, "serve", "serve an emulated router on loopback over the RouterOS API",
                f"Serve an emulated router on loopback over the RouterOS API. The API password comes from "
                f"--password-file, else the environment variable {SERVE_PASSWORD_VARIABLE}, else it is empty (like a "
                "new RouterOS); it is never taken from the command line, where other users see it in ps.",
                "rosbill router serve --routeros 6.49 --tls --port 0",
                "0 stopped with Ctrl-C; 2 usage error, a taken port or an unreadable password file")  # fmt: skip
    opts.add_routeros(p, "RouterOS version to emulate", dest="routeros", default="7.16")
    p.add_argument("--users", type=Path, metavar="FILE", help="user fixture (default config/users.demo.yaml)")
    p.add_argument("--no-users", action="store_true", help="start without users (User Manager still enabled)")
    p.add_argument("--port", type=BoundedInt(0, 65535, "a port"), metavar="N",
                   help="port (default 8728, or 8729 with --tls; 0 picks one)")  # fmt: skip
    p.add_argument("--tls", action="store_true", help="api-ssl with a fresh self-signed certificate")
    p.add_argument("--user", default="admin", type=login_name, help="API login name (default admin)")
    p.add_argument(
        "--password-file",
        type=Path,
        metavar="PATH",
        help=f"file holding the API password on its first line (else ${SERVE_PASSWORD_VARIABLE})",
    )
    p.add_argument("--password", nargs="?", action=_RefusedPassword, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)

    p = command(sub, "demo", "build, deploy to an emulated router over the API, run a month end, show the mails",
                "The whole system with no hardware (make demo): build the config for an emulated router served on "
                "loopback over api-ssl, deploy to it as to a real one (twice: the second writes nothing), run its "
                "clock through the month end and print the mails it sent. Writes only under OUT/demo/.",
                "rosbill demo --config config/billing.yaml",
                "0 done; 2 usage or config error; 3 lint findings; 5 the deploy failed")  # fmt: skip
    opts.add_config(p, type=Path)
    p.add_argument("--users", default=Path("config/users.demo.yaml"), type=Path, metavar="FILE",
                   help="user fixture (default config/users.demo.yaml)")  # fmt: skip
    opts.add_out(p, "build folder; the demo uses DIR/demo/", type=Path)
    opts.add_output(p)
    p.set_defaults(func=cmd_demo)


def _common(p: argparse.ArgumentParser) -> None:
    opts.add_config(p)
    opts.add_out(p)
    opts.add_timeouts(
        p,
        "one router",
        one="a router",
        after="; a router past it fails (exit 5), restored from the "
        "backup if writing had begun (the restore gets as long again)",
    )


# --- deploy and rollback ----------------------------------------------------------------------------------------------


def cmd_deploy(args: argparse.Namespace) -> int:
    config, digest, warnings = build_stage.load_with_warnings(args.config)
    print_warnings(warnings)
    routers = opts.routers(config, args.router, args.config, command="deploy", every=args.all)
    out = Path(args.out)
    smtp = smtp_password(config, os.environ)
    jobs = []
    for router in routers:
        desired_stage.check_fresh(config, digest, out, router)
        build = desired_stage.load(out / router.name, config, router, smtp_password=smtp)
        endpoint = Endpoint.of(router, args.timeout)
        password = opts.api_password(router)
        jobs.append(fleet.deploy_job(build, endpoint, password, out / "backups", dry_run=args.dry_run,
                                     deadline=args.deadline, adopt=args.adopt))  # fmt: skip
    return _run(jobs, args, verb="deploy")


def cmd_rollback(args: argparse.Namespace) -> int:
    config, _, warnings = build_stage.load_with_warnings(args.config)
    print_warnings(warnings)
    router = opts.one_router(config, args.router, args.config)
    folder = Path(args.out) / "backups" / router.name
    if args.backup is not None:
        path = Path(args.backup)
        saved = backup_stage.load(path)  # refuses a path without a file name before it is taken apart
        ident = backup_stage.backup_id(path)
    else:
        chosen = backup_stage.choose(folder, steps=args.steps, to=args.to)
        path, ident, saved = chosen.path, chosen.id, chosen.backup
    if saved.router != router.name:
        _say(one_line(f"rosbill: {path}: a backup of router {saved.router}, not {router.name}"), err=True)
        return ExitCode.USAGE
    _say(f"{router.name}: restoring backup {ident} (taken {saved.taken_at} from RouterOS {saved.routeros_version}, "
         f"{backup_stage.origin(saved)})")  # fmt: skip
    endpoint = Endpoint.of(router, args.timeout)
    password = opts.api_password(router)
    job = fleet.rollback_job(saved, endpoint, password, Path(args.out) / "backups", dry_run=args.dry_run,
                             deadline=args.deadline, backup_id=ident)  # fmt: skip
    return _run([job], args, verb="rollback")


def _run(jobs: list[fleet.Job], args: argparse.Namespace, *, verb: str) -> int:
    started = time.monotonic()
    many = len(jobs) > 1
    confirm = None if args.dry_run else _confirmer(args.yes, not args.no_diff, args.diff)

    def progress(router: str, message: str) -> None:
        if not opts.OUTPUT.quiet:  # the long steps, on stderr (stdout keeps the plan and the results)
            _say(f"[{time.monotonic() - started:6.2f}s] {router}: {message}", err=True)

    results = fleet.deploy_many(jobs, progress=progress, confirm=confirm)
    report(args)["routers"] = [_result_json(r) for r in results]  # the --json document (docs/cli.md)
    for result in results:
        # With changes the plan was shown before confirming; a dry run or a conflict shows it here.
        if result.plan is not None and (args.dry_run or result.plan.conflicts):
            for line in describe(result.router, result.plan, diffs=not args.no_diff, create_diffs=args.diff):
                _say(line)
        for note in result.notes:
            _say(f"{result.router}: note: {note}")
        stream_err = result.exit_code not in (ExitCode.OK, ExitCode.CHANGES_PENDING)
        _say(one_line(f"{result.router}: {result.status.value}: {result.message}"), err=stream_err)
    if many:
        _say(_summary(results, verb))
    return int(fleet.overall(results))


def _result_json(result: fleet.Result) -> dict[str, object]:
    plan = result.plan
    return {"router": result.router, "status": result.status.value, "message": result.message,
            "changes": len(plan.pending) if plan is not None else None,
            "conflicts": len(plan.conflicts) if plan is not None else None,
            "backup": str(result.backup) if result.backup is not None else None, "routeros": result.version or None,
            "notes": list(result.notes), "round_trips": result.round_trips, "writes": result.writes,
            "seconds": round(result.seconds, 3), "exit_code": int(result.exit_code)}  # fmt: skip


def _summary(results: list[fleet.Result], verb: str) -> str:
    lines = [f"{verb} summary:"]
    width = max(len(r.router) for r in results)
    for r in results:
        lines.append(f"  {r.router:<{width}}  {r.status.value:<9}  {r.round_trips:>4} round trips  {r.writes:>3} writes"
                     f"  {r.seconds:6.2f}s  exit {int(r.exit_code)}")  # fmt: skip
    ok = sum(1 for r in results if r.exit_code in (ExitCode.OK, ExitCode.CHANGES_PENDING))
    lines.append(f"  {ok} of {len(results)} routers succeeded")
    return "\n".join(lines)


def _confirmer(yes: bool, diffs: bool, create_diffs: bool) -> fleet.Confirm:
    def confirm(router: str, result: Plan) -> bool:
        with _print_lock:
            for line in describe(router, result, diffs=diffs, create_diffs=create_diffs):
                print(line, flush=True)
            if yes:
                return True
            if not sys.stdin.isatty():
                print(f"{router}: not applied: no terminal to confirm on; rerun with --yes", file=sys.stderr)
                return False
            answer = input(f"{router}: apply {len(result.pending)} change(s)? [y/N] ")
            return answer.strip().lower() in ("y", "yes")

    return confirm


def cmd_backups(args: argparse.Namespace) -> int:
    """Lists a router's backups, oldest first: id, time, what it holds, what made it, and the --steps that restores
    it. Reads only files (no router is contacted)."""
    config, _, warnings = build_stage.load_with_warnings(args.config)
    print_warnings(warnings)
    router = opts.one_router(config, args.router, args.config)
    if not Path(args.out).is_dir():  # a mistyped --out is not "no backups"
        raise backup_stage.BackupProblem(f"{args.out}: not a build folder; give the one rosbill build writes (--out)")
    folder = Path(args.out) / "backups" / router.name
    listed, why = backup_stage.history(folder)
    if not listed:
        _say(f"{router.name}: no backups in {folder}/ (a deploy that writes makes one)")
        return ExitCode.OK
    width = max(len(item.id) for item in listed)
    _say(f"{router.name}: {len(listed)} backup(s) in {folder}/, oldest first")
    _say(f"  {'id':<{width}}  {'rollback':<10}  {'taken (UTC)':<19}  holds; made")
    for item in listed:
        saved = item.backup
        step = f"--steps {item.steps}" if item.steps is not None else "--to ID"
        taken = saved.taken_at[:19].replace("T", " ")
        made = f"{backup_stage.holds(saved)}; {backup_stage.origin(saved)}"
        _say(f"  {item.id:<{width}}  {step:<10}  {taken:<19}  {made}")
    if why:
        _say(f"  steps back cannot be counted: {why}; use rollback --to ID")
    return ExitCode.OK


# --- the emulated router ----------------------------------------------------------------------------------------------


class _RefusedPassword(argparse.Action):
    """``--password`` would show the password to every user of the machine (``ps``): refused, saying where to put it."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:  # fmt: skip
        parser.error(
            f"{option_string or '--password'} is not taken: a password on the command line is visible to every user "
            f"of this machine (ps); put it in the environment variable {SERVE_PASSWORD_VARIABLE} or in a file "
            "given with --password-file PATH"
        )


class ServeProblem(RosbillError):
    """``rosbill router serve`` cannot start (the port is taken, the password file cannot be read): exit 2."""


def _serve_password(args: argparse.Namespace) -> tuple[str, str]:
    """The API password for ``router serve`` and where it came from (a name that is safe to print)."""
    path: Path | None = args.password_file
    if path is None:
        if SERVE_PASSWORD_VARIABLE in os.environ:
            return os.environ[SERVE_PASSWORD_VARIABLE], SERVE_PASSWORD_VARIABLE
        return "", f"empty, neither --password-file nor {SERVE_PASSWORD_VARIABLE} given"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ServeProblem(f"--password-file {path}: not a regular file; give a file holding the password")
        with path.open("rb") as handle:
            data = handle.read(MAX_PASSWORD_FILE + 1)
    except OSError as error:
        raise ServeProblem(f"--password-file {path}: {error.strerror or error}") from None
    if len(data) > MAX_PASSWORD_FILE:
        raise ServeProblem(
            f"--password-file {path}: over {MAX_PASSWORD_FILE} bytes; the password goes on its first line"
        )
    lines = data.split(b"\n")
    if len(lines) > 2 or (len(lines) == 2 and lines[1].strip()):
        raise ServeProblem(f"--password-file {path}: more than one line; write only the password, on one line")
    try:
        password = lines[0].removesuffix(b"\r").decode("utf-8")
    except UnicodeDecodeError:
        raise ServeProblem(f"--password-file {path}: not UTF-8 text; save the password as UTF-8") from None
    if not password.isprintable():
        raise ServeProblem(f"--password-file {path}: the password holds control characters")
    return password, str(path)


def cmd_serve(args: argparse.Namespace) -> int:
    from emulator import DEFAULT_USERS, Credentials, RouterOSVersion, ServerError, ServerInfo, emulated_router, serve

    version = RouterOSVersion.parse(args.routeros)
    password, source = _serve_password(args)
    users = None if args.no_users else (args.users or (DEFAULT_USERS if DEFAULT_USERS.is_file() else None))
    router = emulated_router(version, users)

    def ready(info: ServerInfo) -> None:
        _say(f"emulated RouterOS {version} router, clock {router.now():%Y-%m-%d %H:%M:%S}" +
             (f", users from {users}" if users else ", no users"))  # fmt: skip
        _say(f"listening on {info.host}:{info.port} ({'api-ssl' if info.tls else 'api'}), login {args.user!r} "
             f"(password: {source})")  # fmt: skip
        if info.certificate is not None:
            _say(f"certificate SHA-256 fingerprint: {info.certificate.sha256}")
            _say(f"certificate file: {info.certificate.cert_path}")
        _say("stop with Ctrl-C")

    try:
        serve(router, version, port=args.port, tls=args.tls, credentials=Credentials(args.user, password),
              on_ready=ready)  # fmt: skip
    except KeyboardInterrupt:
        _say("stopped")
    except ServerError as error:
        hint = "; choose another --port (0 picks a free one)" if "listen" in str(error) else ""
        raise ServeProblem(f"router serve: {error}{hint}") from None
    return ExitCode.OK


def cmd_demo(args: argparse.Namespace) -> int:
    from generator import cli_demo as demo

    started = time.monotonic()

    def deployed(first: fleet.Result, second: fleet.Result) -> None:  # before the clock runs: in the order it happened
        for result in (first, second):
            for line in describe(result.router, result.plan, diffs=False) if result.plan else []:
                _say(line)
            _say(f"deploy: {result.status.value}: {result.message} ({result.round_trips} API round trips, "
                 f"{result.writes} writes, {result.seconds:.2f}s)")  # fmt: skip

    report = demo.run(args.config, args.users, args.out, progress=lambda message: _step(f"demo: {message}"),
                      warnings=print_warnings, deployed=deployed)  # fmt: skip
    if report.first.exit_code != ExitCode.OK:
        return int(report.first.exit_code)
    _say(f"\n{len(report.mails)} e-mails sent by the router between {report.started:%Y-%m-%d %H:%M} and "
         f"{report.ended:%Y-%m-%d %H:%M}:")  # fmt: skip
    for mail in report.mails:
        _say(_mail_text(mail))
    _say(f"demo finished in {time.monotonic() - started:.1f}s; the emulated router is stopped")
    return ExitCode.OK


def _mail_text(mail: Mail) -> str:
    when = mail.time.strftime("%Y-%m-%d %H:%M")
    head = [f"----- {when}  {mail.status}", f"From: {mail.sender}", f"To: {mail.to}"]
    if mail.cc:
        head.append(f"Cc: {mail.cc}")
    head.append(f"Subject: {mail.subject_text}")
    return "\n".join(head) + "\n\n" + mail.body_text.rstrip("\n") + "\n"
