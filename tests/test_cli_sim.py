"""`rosbill exec` and `rosbill simulate` from the command line, including delivery to a real SMTP server."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_exec_prints_values_and_log_lines(tmp_path, capsys):
    script = tmp_path / "t.rsc"
    script.write_text(
        ':put "hello"\n:local a 5\n:put ($a * 3)\n:log warning "careful"\n:put [:typeof [:tonum "abc"]]\n'
    )
    assert main(["exec", str(script)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["hello", "15", "nil"]
    assert "log script,warning: careful" in err


def test_exec_reports_a_runtime_error_with_its_location_and_exit_4(tmp_path, capsys):
    script = tmp_path / "t.rsc"
    script.write_text(':put 1\n:local a 0\n:put (5 / $a)\n:put "never"\n')
    assert main(["exec", str(script)]) == 4
    out, err = capsys.readouterr()
    assert out.splitlines() == ["1"]
    assert f"{script}:3:1: division by zero" in err


def test_exec_refuses_a_command_the_version_lacks_before_running_anything(tmp_path, capsys):
    script = tmp_path / "t.rsc"
    script.write_text(':put "first"\n/user-manager user print\n')
    assert main(["exec", str(script), "--version", "6.49"]) == 4
    out, err = capsys.readouterr()
    assert out == ""  # a load-time failure: nothing ran
    assert f"{script}:2:" in err


def test_exec_import_mode_gives_each_line_its_own_scope(tmp_path, capsys):
    script = tmp_path / "t.rsc"
    script.write_text(":local a 1\n:put [:typeof $a]\n")
    assert main(["exec", str(script)]) == 0
    assert capsys.readouterr().out.splitlines() == ["num"]
    assert main(["exec", str(script), "--import"]) == 0
    assert capsys.readouterr().out.splitlines() == ["nothing"]


def test_exec_clock_follows_date_and_version(tmp_path, capsys):
    script = tmp_path / "t.rsc"
    script.write_text(":put [/system clock get date]\n")
    assert main(["exec", str(script), "--version", "7.9", "--date", "2026-11-30 23:50:00"]) == 0
    assert main(["exec", str(script), "--version", "7.16", "--date", "2026-11-30"]) == 0
    assert capsys.readouterr().out.splitlines() == ["nov/30/2026", "2026-11-30"]


def test_simulate_shows_a_month_of_warnings_and_bills(capsys):
    assert main(["simulate", "--brief"]) == 0
    out = capsys.readouterr().out
    assert "MAIL  to ann@example.net  subject: Example Wireless: 50% of your Lite data used" in out
    # One invoice sequence for the router; eve's packed comment of the original scripts said her next number was
    # 10002, so 10001 was used and the sequence goes on from there.
    assert "MAIL  to ann@example.net  subject: Example Wireless invoice EW-10002 for 2026-11" in out
    assert "MAIL  to cat@example.net  subject: Example Wireless invoice EW-10004 for 2026-11" in out
    assert "MAIL  to eve@example.net  subject: Example Wireless invoice EW-10006 for 2026-11" in out
    assert "LOG   warning: rosbill: Billing: fay is not billed for 2026-11: broken comment" in out
    assert "STATE cat: 'Office on Main St rb{" in out
    assert out.rstrip().endswith("0 script errors")


def test_simulate_on_v6_gives_the_same_mails(capsys):
    assert main(["simulate", "--brief"]) == 0
    v7 = [ln.split("  ", 1)[1] for ln in capsys.readouterr().out.splitlines() if "  MAIL  " in ln]
    assert main(["simulate", "--brief", "--version", "6.49"]) == 0
    v6 = [ln.split("  ", 1)[1] for ln in capsys.readouterr().out.splitlines() if "  MAIL  " in ln]
    assert v6 == v7 and len(v7) > 10


def test_simulate_delivers_to_a_real_smtp_server(capsys):
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.handlers import Sink

    class Collect(Sink):
        def __init__(self) -> None:
            self.messages: list[tuple[str, list[str], bytes]] = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
            return "250 OK"

    handler = Collect()
    with socket.socket() as probe:  # a free loopback port (aiosmtpd checks readiness by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert main(["simulate", "--brief", "--smtp", f"127.0.0.1:{port}"]) == 0
    finally:
        controller.stop()
    out = capsys.readouterr().out
    shown = [ln for ln in out.splitlines() if "  MAIL  " in ln]
    assert len(handler.messages) == len(shown) > 10
    sender, recipients, content = handler.messages[-1]
    assert sender == "billing@example.net" and recipients == ["accounts@example.net"]
    assert b"Subject: Example Wireless: Billing report 2026-11-30" in content


def test_simulate_without_a_fixture_file_is_a_clear_error():
    run = subprocess.run(
        [sys.executable, "-m", "generator", "simulate", "--users", "nope.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "nope.yaml" in run.stderr


def test_simulate_stops_with_a_clear_error_when_the_smtp_server_refuses_the_mails(capsys):
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.handlers import Sink

    class Refuse(Sink):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "550 5.1.1 no such mailbox"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd.Controller(Refuse(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert main(["simulate", "--brief", "--smtp", f"127.0.0.1:{port}"]) == 2
    finally:
        controller.stop()
    out, err = capsys.readouterr()
    assert out.count("  MAIL  to ") == 1  # the run stopped at the first mail
    assert err.count("\n") == 1 and err.startswith(f"rosbill: --smtp 127.0.0.1:{port}: the server stopped taking mail")
    assert "it refused accounts@example.net: 550 5.1.1 no such mailbox" in err and "0 mail(s) were delivered" in err


def test_simulate_installs_exactly_what_build_writes(tmp_path):
    """The emulator gets build output: the files `rosbill build` writes, with the config's real hash, never a render
    of its own."""
    import hashlib
    import json

    import emulator
    from generator import build as build_stage
    from generator.cli_sim import build_for

    config_path = ROOT / "config" / "billing.yaml"
    assert main(["build", "--config", str(config_path), "--out", str(tmp_path)]) == 0
    config, digest = build_stage.load(config_path)
    router = config.routers[0]
    built = build_for(config, router, digest).rendered.files
    written = emulator.read_build(tmp_path / router.name)
    assert built == written
    assert json.loads(written["manifest.json"])["config_sha256"] == hashlib.sha256(config_path.read_bytes()).hexdigest()
    sim = emulator.prepare(written, emulator.RouterOSVersion.parse(str(router.version)), ROOT / "config" / "users.yaml")
    assert sim.files == written
    scripts = {row["name"]: row["source"] for row in sim.router.rows("/system script")}
    assert scripts[b"BillingFunctions"] == written["functions.rsc"]


def test_simulate_refuses_a_build_with_lint_findings(monkeypatch, capsys):
    from generator import build as build_stage
    from generator.errors import Diagnostic, Location

    finding = Diagnostic(Location("billing.rsc", 3, 1), "RB001", "error", "a planted finding")
    monkeypatch.setattr(build_stage.lint_stage, "lint", lambda sources, version: [finding])
    assert main(["simulate", "--brief"]) == 3
    out, err = capsys.readouterr()
    assert "billing.rsc:3:1: RB001 error: a planted finding" in err
    assert "install.rsc imported" not in out


def test_read_build_refuses_a_folder_without_install_rsc(tmp_path):
    import emulator

    with pytest.raises(emulator.BuildProblem, match=r"no install\.rsc"):
        emulator.read_build(tmp_path)
    with pytest.raises(emulator.BuildProblem, match=r"has no install\.rsc"):
        emulator.prepare({}, emulator.RouterOSVersion.parse("7.16"), ROOT / "config" / "users.yaml")


def test_simulate_runs_a_build_folder_as_it_was_built(tmp_path, capsys):
    assert main(["build", "--config", "tests/data/v6.yaml", "--out", str(tmp_path)]) == 0
    folder = next(p for p in tmp_path.iterdir() if p.is_dir())
    capsys.readouterr()
    assert main(["simulate", "--brief", "--build", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# emulated RouterOS 6.49")
    assert "(v6)" in out.splitlines()[0]
    assert "MAIL" in out


def test_simulate_build_refuses_what_is_not_a_build(tmp_path, capsys):
    assert main(["simulate", "--build", str(tmp_path)]) == 2
    assert "no install.rsc; give the folder `rosbill build` wrote" in capsys.readouterr().err
    (tmp_path / "install.rsc").write_text("/system script\n")
    assert main(["simulate", "--build", str(tmp_path)]) == 2
    assert "no readable manifest.json" in capsys.readouterr().err
    assert main(["simulate", "--build", str(tmp_path), "--version", "7.16"]) == 2
    assert "leave out --router and --routeros" in capsys.readouterr().err


def test_simulate_shows_fair_use_throttles_and_unpaid_restrictions(tmp_path, capsys):
    # Fair use on Home from 100 % (ben crosses it before November ends), and unpaid restriction 14 days after a month
    # whose bill nobody paid (a simulation records no payments): the timeline and the report name each change.
    text = (ROOT / "config" / "billing.yaml").read_text()
    home = "  Home:\n    price: 349.00\n    cap: 50GB\n"
    assert home in text and "  # grace_days: 14\n" in text
    text = text.replace(home, home + "    fair_use:\n      - {level: 100, rate: 2M/2M}\n")
    text = text.replace("  # grace_days: 14\n", "  grace_days: 14\n  unpaid:\n    rate: 256k/256k\n")
    config = tmp_path / "billing.yaml"
    config.write_text(text)
    users = ROOT / "config" / "users.yaml"
    assert main(["simulate", "--config", str(config), "--users", str(users), "--months", "2", "--brief"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    throttled = [ln for ln in lines if "RATE  ben: fair use: throttled at the 100% step (period 2026-11)" in ln]
    normal = [ln for ln in lines if "RATE  ben: fair use: normal rate again" in ln]
    assert len(throttled) == 1 and throttled[0] < "2026-11-30", throttled
    assert [ln[:10] for ln in normal] == ["2026-11-30", "2026-12-31"], normal  # each month ben is billed, then again
    assert any(ln.endswith("RATE  ann: unpaid: restricted (owes since period 2026-11)") for ln in lines)
    assert "# fair use and unpaid accounts (Enforce):" in out
    assert out.rstrip().endswith("0 script errors")
