"""Bad input on the command line never crashes, hangs or leaks a traceback (issue 8).

The walk below finds every subcommand of ``generator.cli.parser()`` (so a new command is covered without touching this
file) and runs each one in-process (``generator.cli.main``, always with ``--debug``: no traceback may appear even then)
with: an unknown option, every value-taking option without its value, and garbage for every such option, chosen by
the option's kind (its argparse ``type`` or ``metavar``): versions, numbers, dates, HOST:PORT, user names, router
names, input files and output folders (missing, a directory, a path under a file, a symlink loop, a pipe, a device,
binary bytes, a 17 MB file, a file whose reads fail (``/proc/self/mem``), one without read permission when not
run as root). Every case must end with a documented exit code (2 for
almost all), and stderr must be a usage message or one located line (``file:line:col: …`` or ``rosbill: WHAT: …``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest
from conftest import FIGURES

from generator import cli, cli_pay
from generator.cli_deploy import _RefusedPassword
from generator.cli_probe import mail_address

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTED = {1, 2, 3, 4, 5, 6}
LOCATED = re.compile(r"^(?:\S[^\n]*?:\d+:\d+: \S.*|rosbill: \S[^\n]*?: \S.*)$")
LOCATED_CONFIG = re.compile(r"^\S[^\n]*?:\d+:\d+: \S.*$")
USAGE = re.compile(r"^rosbill[\w -]*: error: \S.*$", re.MULTILINE)
#: Lines that may come before the one error line: config warnings, and the emulator's log lines of ``rosbill exec``.
EXTRA = re.compile(r"^\S.*?:\d+:\d+: .*warning: |^log ")
CASE_SECONDS = 60  # a case still running after this is a hang


def leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """(command words, parser) of every runnable subcommand, found through argparse's own records."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield path, parser
        return
    for action in subparsers:
        for name, sub in action.choices.items():
            yield from leaves(sub, (*path, name))


def takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0 and not isinstance(action, argparse._HelpAction | argparse._VersionAction)


def kind(action: argparse.Action) -> str:
    """What sort of value an option takes. A new option must be of a known kind (else this test says so)."""
    known_types = {cli.version_text: "version", cli.seconds: "seconds", cli.moment: "date", cli.host_port: "hostport",
                   cli.login_name: "login", mail_address: "address", cli_pay._period: "period",
                   cli_pay._amount: "amount"}  # fmt: skip
    if isinstance(action, _RefusedPassword):
        return "refused"
    if isinstance(action.type, cli.BoundedInt):
        return "int"
    if action.choices is not None:
        return "choice"  # argparse checks it against the list
    if action.type in known_types:
        return known_types[action.type]  # type: ignore[index]
    if action.metavar == "DIR" and "nothing is written" in (action.help or ""):
        return "label"  # only named in messages (rosbill lint --out): any text will do
    by_metavar = {"PATH": "input", "FILE": "input", "FILE.rsc": "script", "DIR": "folder", "NAME": "router",
                  "OUTFILE": "outfile", "ID": "backup"}  # fmt: skip
    if action.type in (None, Path) and action.metavar in by_metavar:
        return by_metavar[str(action.metavar)]
    raise AssertionError(
        f"option {action.option_strings or action.dest} ({action.metavar}, {action.type}): add its kind"
    )


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Path
    users: Path
    script: Path
    closed_port: int

    def inputs(self) -> list[str]:
        """Paths no command can read as its input."""
        out = [self.root / "missing", self.root / "adir", self.root / "afile" / "under", self.root / "loop",
               self.root / "fifo", Path("/dev/null"), self.root / "binary", self.root / "huge"]  # fmt: skip
        texts = [str(p) for p in out] + ["", "-", "\udcff-not-utf8", "new\nline"]
        if os.geteuid() != 0:  # root reads everything
            texts.append(str(self.root / "unreadable"))
        if Path("/proc/self/mem").exists():  # opens, then every read fails (EIO), even for root
            texts.append("/proc/self/mem")
        return texts

    def outfiles(self) -> list[str]:
        """Paths no command can write a file to (a folder, under a file, a symlink loop, where nothing can be made)."""
        return [str(self.root / "adir"), str(self.root / "afile" / "under"), str(self.root / "loop"),
                "/proc/rosbill-cannot-be-made"]  # fmt: skip

    def folders(self) -> list[str]:
        """Paths no command can use as a folder to write into or to read a build from."""
        return [str(self.root / "afile"), str(self.root / "afile" / "under"), "/dev/null", str(self.root / "loop"),
                str(self.root / "fifo"), "/proc/rosbill-cannot-be-made"]  # fmt: skip


def garbage(action: argparse.Action, ws: Workspace) -> list[str]:
    found = kind(action)
    if found == "int":
        bounds = action.type
        assert isinstance(bounds, cli.BoundedInt)
        return [str(bounds.low - 1), str(bounds.high + 1), "x", "", "1.5", "0x10", "1e3", "\u0661", "9" * 40, " "]
    return {
        "version": ["8.0", "6.40", "6.42.99", "7", "7.", "v7.16", "7.16.2.1", "x", "", "\r\n7.16", "9" * 40 + ".1"],
        "seconds": ["0", "-1", "nan", "inf", "-inf", "1e999", "86401", "x", "", "1,5", "\n"],
        "date": ["2026-13-01", "2026-02-30", "2026-11-30 25:00", "2026-11-30T23:50", "yesterday", "", "1969-12-31",
                 "2100-01-01", "9999-12-31", "\r\n"],
        "hostport": ["", "host", "host:", ":25", "host:0", "host:65536", "host:x", "ho st:25", "h\r\nRCPT TO:25",
                     "[::1]", "-h:25", f"127.0.0.1:{ws.closed_port}", "\udcff:25"],
        "login": ["", " admin", "a\tb", "a\nb", "x" * 65, "\x1b[31m"],
        "address": ["", "noc", "noc@", "a b@example.net", "noc@example.net\r\nRCPT TO:x", "x" * 250 + "@example.net"],
        "router": ["nope", "", "core1\n", "\udcff", "-"],
        "refused": ["x", "", "secret"],
        "input": ws.inputs(),
        "script": ws.inputs(),
        "folder": ws.folders(),
        "outfile": ws.outfiles(),
        "backup": ["nope", "", "../x", "\udcff"],
        "choice": ["", "x", "ALWAYS", "text\n"],
        "period": ["2026-13", "26-11", "", "2026-1", "2026-00", "\r\n"],
        "amount": ["-1", "1.234", "01", "1,5", "", "x", "1e3"],
        "label": [],
    }[found]  # fmt: skip


def valid(action: argparse.Action, ws: Workspace) -> list[str]:
    """A value for an option the case needs besides the one under test."""
    dest = action.dest
    if dest == "config":
        return [str(ws.config)]
    if dest == "out":
        return [str(ws.root / "out")]
    if dest == "users":
        return [str(ws.users)]
    if dest == "port":
        return ["0"]  # should a bad value get through, serve a free port (the case then fails as a hang)
    if dest == "file":
        return [str(ws.script)]
    if kind(action) == "router":
        return ["core1"]
    if kind(action) == "login":
        return ["ann"]
    raise AssertionError(f"no valid value known for {action.dest}")


def baseline(parser: argparse.ArgumentParser, ws: Workspace, skip: argparse.Action | None) -> list[str]:
    """Arguments that make the command valid and reach its work, apart from the option under test."""
    args: list[str] = []
    chosen: set[argparse.Action] = set()
    for group in parser._mutually_exclusive_groups:
        if group.required and skip not in group._group_actions:
            flags = [a for a in group._group_actions if not takes_value(a)]
            pick = (flags or group._group_actions)[0]
            chosen.add(pick)
            args += [pick.option_strings[0], *(valid(pick, ws) if takes_value(pick) else [])]
    for action in parser._actions:
        if action is skip or action in chosen or not takes_value(action) or isinstance(action, _RefusedPassword):
            continue
        wanted = action.required or not action.option_strings or action.dest in ("config", "out", "users", "port")
        if not wanted:
            continue
        if action.option_strings:
            args += [action.option_strings[0], *valid(action, ws)]
        else:
            args += valid(action, ws)
    return args


@dataclass(frozen=True)
class Case:
    words: tuple[str, ...]
    argv: tuple[str, ...]
    what: str
    parsing: bool  # argparse itself must refuse it


def cases(ws: Workspace) -> list[Case]:
    out = [Case((), (), "no command", True), Case((), ("--bogus",), "unknown top-level option", True),
           Case((), ("nosuchcommand",), "unknown command", True)]  # fmt: skip
    for words, parser in leaves(cli.parser()):
        base = baseline(parser, ws, None)
        for bogus in ("--no-such-option", "-Z", "--no-such-option=1"):
            out.append(Case(words, (*words, *base, bogus), f"unknown option {bogus}", True))
        if len(words) > 1:
            out.append(Case(words, words[:-1], "missing subcommand", True))
        for action in parser._actions:
            if not takes_value(action):
                continue
            rest = baseline(parser, ws, action)
            name = action.option_strings[0] if action.option_strings else action.dest
            if action.option_strings:
                out.append(Case(words, (*words, *rest, name), f"{name} without its value", True))
            else:
                out.append(Case(words, (*words, *rest), f"no {name}", True))
            parsing = kind(action) not in ("input", "script", "folder", "router", "hostport", "outfile", "backup")
            for value in garbage(action, ws):
                argv = (*words, *rest, f"{name}={value}") if action.option_strings else (*words, *rest, "--", value)
                by_parser = parsing or (kind(action) == "hostport" and str(ws.closed_port) not in value)
                out.append(Case(words, argv, f"{name} {value!r}", by_parser))
    return out


class Hung(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hung(f"no answer within {CASE_SECONDS} s")


def run(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> tuple[int, bool, str, str]:
    """(exit code, whether argparse exited, stdout, stderr) of ``rosbill --debug ARGV``."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    exited = False
    try:
        code = cli.main(["--debug", *argv])
    except SystemExit as stop:
        exited = True
        code = stop.code if isinstance(stop.code, int) else 2
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()
    return code, exited, out, err


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A folder with the garbage paths; the cases run in it, with no router password in the environment."""
    root = tmp_path / "ws"
    (root / "adir").mkdir(parents=True)
    (root / "afile").write_text("a file, not a folder\n")
    (root / "loop").symlink_to(root / "loop")
    os.mkfifo(root / "fifo")
    (root / "binary").write_bytes(b"\xff\xfe\x00\r\n\x00garbage \x1b[31m\n" * 4)
    with (root / "huge").open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)  # sparse: more than any input cap
    (root / "unreadable").write_text("secret\n")
    (root / "unreadable").chmod(0)
    config = root / "billing.yaml"
    shutil.copy(ROOT / "config" / "billing.yaml", config)
    users = root / "users.yaml"
    shutil.copy(ROOT / "config" / "users.yaml", users)
    script = root / "ok.rsc"
    script.write_text(':put "ok"\n')
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # nothing listens there once the probe is closed
    monkeypatch.chdir(root)
    for name in list(os.environ):
        if name.startswith("ROSBILL_"):
            monkeypatch.delenv(name)
    return Workspace(root, config, users, script, closed)


def test_every_subcommand_refuses_bad_arguments_with_a_documented_exit_code_and_one_located_line(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
):
    tried = cases(workspace)
    commands = {c.words for c in tried if c.words}
    assert {("build",), ("lint",), ("exec",), ("simulate",), ("deploy",), ("rollback",), ("router", "serve"),
            ("demo",)} <= commands  # fmt: skip
    codes: Counter[int] = Counter()
    failures = []
    for case in tried:
        code, exited, out, err = run(case.argv, capsys)
        codes[int(code)] += 1
        problem = judge(case, code, exited, out, err)
        if problem:
            failures.append(f"rosbill {' '.join(map(repr, case.argv))} ({case.what}): {problem}")
    assert not failures, f"{len(failures)} of {len(tried)} cases:\n" + "\n".join(failures[:40])
    options = sum(1 for _, p in leaves(cli.parser()) for a in p._actions if takes_value(a))
    FIGURES.append(f"cli errors: {len(tried)} bad command lines over {len(commands)} subcommands and {options} "
                   f"value-taking options; exit codes {dict(sorted(codes.items()))}; 0 internal errors")  # fmt: skip


def judge(case: Case, code: int, exited: bool, out: str, err: str) -> str:
    """What is wrong with the outcome of a case, or "" when it is right."""
    text = out + err
    if "internal error" in text or "Traceback" in text:
        return f"a crash: {err.strip()[-300:]}"
    if code not in DOCUMENTED:
        return f"exit {code}: {err.strip()[-300:]}"
    if not case.argv:  # no command at all: the help, on stderr
        return "" if code == 2 and err.startswith("usage: rosbill") else f"exit {code}: {err[:200]}"
    if case.parsing:
        if not (exited and code == 2 and "usage: rosbill" in err and USAGE.search(err)):
            return f"not an argparse usage error (exit {code}, argparse {exited}): {err.strip()[-300:]}"
        return ""
    if exited:
        return f"refused by argparse, but the value is of a kind only the command can judge: {err.strip()[-200:]}"
    allowed = {2, 4} if "FILE.rsc" in case.what or case.words == ("exec",) else {2}
    if code not in allowed:
        return f"exit {code}, expected {sorted(allowed)}: {err.strip()[-300:]}"
    lines = [line for line in err.splitlines() if not EXTRA.match(line)]
    several = all(LOCATED_CONFIG.match(line) for line in lines)  # a config file with several problems: one line each
    if not lines or (len(lines) > 1 and not several) or not all(LOCATED.match(line) for line in lines):
        return f"stderr is not one located line: {err[-400:]!r}"
    return ""


def test_a_real_bug_still_says_internal_error_and_shows_the_traceback_only_with_debug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "cmd_build", broken)
    assert cli.main(["build"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rosbill: internal error: RuntimeError: a bug (rerun with --debug" in err
    assert cli.main(["--debug", "build"]) == 70
    assert "Traceback" in capsys.readouterr().err


def test_the_known_crashes_of_issue_8_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    script = tmp_path / "t.rsc"
    script.write_text(":put 1\n")
    for argv in (["exec", str(script), "--version", "8.0"], ["exec", str(script), "--version", "6.40"],
                 ["simulate", "--version", "8.0"], ["simulate", "--version", "6.40"],
                 ["router", "serve", "--version", "8.0"], ["simulate", "--smtp", "a\r\nb:25"]):  # fmt: skip
        with pytest.raises(SystemExit) as stop:
            cli.main(argv)
        assert stop.value.code == 2
        err = capsys.readouterr().err
        option = argv[-2]
        assert f"argument {option}: " in err and "internal error" not in err, err
        assert ("write it like" in err or "6.43+" in err) if option == "--version" else "HOST:PORT" in err


def test_simulate_to_a_closed_smtp_port_says_so_before_running(capsys: pytest.CaptureFixture[str]):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert cli.main(["simulate", "--brief", "--smtp", f"127.0.0.1:{port}"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == (f"rosbill: --smtp 127.0.0.1:{port}: no SMTP server takes mail there (connection "
                                 "refused); start it or leave --smtp out\n")  # fmt: skip


def test_config_warnings_are_printed_once_and_do_not_change_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    text = (ROOT / "config" / "billing.yaml").read_text(encoding="utf-8")
    text = text.replace('subject: "{company}: {level}% of your {package} data used"', 'subject: "Usage notice"')
    text = text.replace(" This is an automatic notice at {level}% of your cap;", " This is an automatic notice;")
    config = tmp_path / "billing.yaml"
    config.write_text(text, encoding="utf-8")
    warning = re.compile(
        rf"^{re.escape(str(config))}:\d+:\d+: mail\.user_warning: warning: the user warning mail never"
    )
    out_dir = tmp_path / "build"

    def warnings(err: str) -> int:
        return sum(1 for line in err.splitlines() if warning.match(line))

    assert cli.main(["build", "--config", str(config), "--out", str(out_dir)]) == 0
    assert warnings(capsys.readouterr().err) == 1
    assert cli.main(["lint", "--config", str(config)]) == 0
    assert warnings(capsys.readouterr().err) == 1
    monkeypatch.chdir(ROOT)
    assert cli.main(["simulate", "--config", str(config), "--brief"]) == 0
    assert warnings(capsys.readouterr().err) == 1
    monkeypatch.delenv("ROSBILL_PASSWORD", raising=False)
    monkeypatch.delenv("ROSBILL_PASSWORD_CORE1", raising=False)
    # deploy and rollback load the config first: the warning shows once, then their own failure (no password here)
    for argv in (["deploy", "--router", "core1", "--dry-run"], ["rollback", "--router", "core1"]):
        code = cli.main([*argv, "--config", str(config), "--out", str(out_dir)])
        err = capsys.readouterr().err
        assert code == 2 and warnings(err) == 1, err
    clean = ROOT / "config" / "billing.yaml"
    assert cli.main(["lint", "--config", str(clean)]) == 0
    assert "warning:" not in capsys.readouterr().err


def test_surrogates_and_control_characters_in_arguments_stay_on_one_escaped_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    bad = str(tmp_path / "a\nb\udcff\u202e.yaml")
    assert cli.main(["build", "--config", bad]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a\\nb\\udcff\\u202e.yaml:1:1: file not found" in err, err


@pytest.mark.skipif(sys.platform != "linux", reason="needs a FIFO")
def test_a_fifo_as_config_is_refused_without_waiting_for_a_writer(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    code, exited, _, err = run(("lint", "--config", str(fifo)), capsys)
    assert code == 2 and not exited and f"{fifo}:1:1: a pipe or socket, not a file" in err
