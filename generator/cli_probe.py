"""``rosbill probe``: observe on a router what the billing scripts assume (docs/probe.md).

Part of the CLI: it prints, reads the password (the deploy rules: environment, else a prompt on a terminal, via
``cli_options.api_password``) and returns exit codes; the work is in ``generator/probe/``. Exit 0: every observed
assumption holds; 1: at least one differs; 2: usage or config error; 5: the router could not be probed (connection,
TLS, login, deadline).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import stat
import tempfile
from pathlib import Path

from generator import build as build_stage
from generator import cli_options as opts
from generator.cli import command, one_line, print_warnings
from generator.cli_deploy import _say, _step
from generator.deploy.transport import Endpoint
from generator.errors import ExitCode, RosbillError
from generator.probe import apply as probe_stage
from generator.probe import profile as profile_stage
from generator.probe.observe import DIFFERS, HOLDS, UNSEEN, field_types
from generator.yamlmarks import shown

#: The same pattern the config uses for addresses, kept to what ``/tool e-mail send to=`` takes.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#%&'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")


class ProfileProblem(RosbillError):
    """The ``--json`` file cannot be written (exit 2)."""


def mail_address(text: str) -> str:
    """One e-mail address, e.g. ``noc@example.net``."""
    if len(text) > 254 or not _ADDRESS.match(text):
        raise argparse.ArgumentTypeError(f"{shown(text)} is not an e-mail address; write e.g. noc@example.net")
    return text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = command(sub, "probe", "observe on a router what the scripts assume (read-only; a temporary script, removed)",
                "Connect to a router over the API as deploy does and observe the assumptions of docs/assumptions.md "
                "that can be observed safely: read-only reads, and one temporary script that is added, run and "
                "removed. Users are never touched.",
                "rosbill probe --router core1 --json config/core1.profile.json",
                "0 every observed assumption holds; 1 at least one differs; 2 usage or config error; "
                "5 the router could not be probed (connection, TLS, login, deadline)")  # fmt: skip
    opts.add_config(p)
    opts.add_router(p, "the router to probe (once; optional when the config has one router)")
    p.add_argument(
        "--send-test-mail",
        metavar="ADDRESS",
        type=mail_address,
        help="also send one test mail there and observe how /tool e-mail last-status moves",
    )
    p.add_argument(
        "--json",
        metavar="FILE",
        type=Path,
        help=f"write the router's profile there (keep it next to the config as <router>{profile_stage.SUFFIX}: "
        "rosbill build then refuses settings it contradicts)",
    )
    opts.add_timeouts(p, "the whole probe")
    opts.add_output(p)
    p.set_defaults(func=cmd_probe)


def cmd_probe(args: argparse.Namespace) -> int:
    # Without the profile check: a profile that contradicts the config must not stop the probe that replaces it.
    config, _, warnings = build_stage.load_with_warnings(args.config, profiles=False)
    print_warnings(warnings)
    router = opts.one_router(config, args.router, args.config)
    if args.json is not None:
        _check_writable(args.json)
    password = opts.api_password(router)
    endpoint = Endpoint.of(router, args.timeout)
    report = probe_stage.probe(endpoint, password, mail_to=args.send_test_mail, deadline=args.deadline,
                               progress=lambda message: _step(f"{router.name}: {message}"))  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    for line in table(report):
        _say(line)
    if args.json is not None:
        document = profile_stage.document(router.name, report.version_text, report.observations,
                                          field_types(report.readings), probed_at=now)  # fmt: skip
        _write(args.json, profile_stage.dumps(document))
        _say(one_line(f"{router.name}: profile written to {args.json}"))
    return ExitCode.CHANGES_PENDING if any(o.verdict == DIFFERS for o in report.observations) else ExitCode.OK


def table(report: probe_stage.Report) -> list[str]:
    """The report as text: one block per register row (verdict, assumption, expected, observed), then a summary."""
    left = "everything written removed" if report.maybe_left is None else f"{report.maybe_left} may be left"
    lines = [one_line(f"{report.router}: RouterOS {report.version_text}; {report.round_trips} API round trips, "
                      f"{report.writes} writes, {left}")]  # fmt: skip
    if report.removed_leftovers:
        lines.append(one_line(f"{report.router}: removed an earlier probe's leftovers: "
                              f"{', '.join(report.removed_leftovers)}"))  # fmt: skip
    lines.append(f"{'row':>3}  {'verdict':<17}  assumption / expected / observed")
    for o in report.observations:
        lines.append(one_line(f"{o.row:>3}  {o.verdict:<17}  {o.assumption}"))
        if o.expected != "—":
            lines.append(one_line(f"{'':>3}  {'':<17}    expected: {o.expected}"))
        lines.append(one_line(f"{'':>3}  {'':<17}    observed: {o.observed}"))
    counts = {v: sum(1 for o in report.observations if o.verdict == v) for v in (HOLDS, DIFFERS, UNSEEN)}
    lines.append(f"{report.router}: {counts[HOLDS]} hold, {counts[DIFFERS]} differ, {counts[UNSEEN]} could not be "
                 "observed (docs/probe.md says why)")  # fmt: skip
    for note in report.notes:
        lines.append(one_line(f"{report.router}: note: {note}"))
    return lines


def _check_writable(path: Path) -> None:
    """Refuse a --json target that cannot take the profile before anything is sent to the router."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise ProfileProblem(one_line(f"--json {path}: the folder {path.parent} does not exist")) from None
        return
    except OSError as error:
        raise ProfileProblem(one_line(f"--json {path}: {error.strerror or error}")) from None
    if not stat.S_ISREG(info.st_mode):
        raise ProfileProblem(one_line(f"--json {path}: not a regular file; give a file name for the profile"))


def _write(path: Path, text: str) -> None:
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ProfileProblem(one_line(f"--json {path}: cannot write it: {error.strerror or error}")) from None
