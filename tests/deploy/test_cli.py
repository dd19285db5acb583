"""``rosbill deploy`` / ``rollback`` / ``demo`` end to end through ``generator.cli.main``: exit codes, output, and
passwords that appear nowhere (output, logs, files)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from deploy.labkit import PASSWORD, SMTP_PASSWORD, config_data, files_under, lab, managed, router_entry, write_config
from emulator.api import Faults
from generator.cli import main
from generator.errors import ExitCode

Folder = tuple[Path, Path]  # (config file, build folder)


def setup(tmp_path: Path, *routers: dict[str, object], **changes: object) -> Folder:
    config = write_config(tmp_path / "config", config_data(*routers, **changes))
    out = tmp_path / "build"
    assert main(["build", "--config", str(config), "--out", str(out)]) == ExitCode.OK
    return config, out


def deploy(folder: Folder, *args: str) -> int:
    config, out = folder
    return main(["deploy", "--config", str(config), "--out", str(out), "--timeout", "5", *args])


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
    monkeypatch.delenv("ROSBILL_SMTP_PASSWORD", raising=False)
    monkeypatch.delenv("ROSBILL_PASSWORD_R1", raising=False)


def test_dry_run_exits_1_with_pending_changes_and_0_once_deployed(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with lab() as one:
        folder = setup(tmp_path, router_entry("r1", "7.16", one.server.port))
        assert deploy(folder, "--router", "r1", "--dry-run") == ExitCode.CHANGES_PENDING
        out = capsys.readouterr().out
        assert "r1: 11 changes, 0 conflicts" in out and "r1: pending" in out
        # a first dry run summarises each created script; --diff shows every line
        assert "create    /system script MonthEnd: source (" in out and "+++ build/MonthEnd" not in out
        assert one.recorder.writes() == []
        assert deploy(folder, "--router", "r1", "--yes") == ExitCode.OK
        assert "r1: applied: 11 change(s) written and verified" in capsys.readouterr().out
        assert deploy(folder, "--router", "r1", "--dry-run") == ExitCode.OK
        assert "r1: unchanged: up to date" in capsys.readouterr().out


def test_without_a_terminal_and_without_yes_nothing_is_applied(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with lab() as one:
        folder = setup(tmp_path, router_entry("r1", "7.16", one.server.port))
        assert deploy(folder, "--router", "r1") == ExitCode.CHANGES_PENDING
        assert "rerun with --yes" in capsys.readouterr().err
        assert one.recorder.writes() == []


def test_a_stale_build_is_refused_before_connecting(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with lab() as one:
        config, out = setup(tmp_path, router_entry("r1", "7.16", one.server.port))
        (out / "r1" / "billing.rsc").write_bytes(b":log info edited by hand\n")
        assert deploy((config, out), "--router", "r1", "--yes") == ExitCode.USAGE
        assert "not what the config builds now" in capsys.readouterr().err
        assert one.recorder.calls == []


def test_an_unknown_router_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = setup(tmp_path, router_entry("r1", "7.16"))
    assert deploy(folder, "--router", "nope") == ExitCode.USAGE
    assert 'no router named "nope"' in capsys.readouterr().err


def test_all_deploys_concurrently_and_one_failure_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    with lab() as one, lab("6.49.10") as two, lab() as gone:
        dead = gone.server.port
    with lab() as one, lab("6.49.10") as two:
        routers = (router_entry("r1", "7.16", one.server.port), router_entry("r2", "6.49.10", two.server.port),
                   router_entry("r3", "7.16", dead))  # fmt: skip
        folder = setup(tmp_path, *routers, smtp={"server": "192.0.2.25", "port": 25, "tls": "no"})
        assert deploy(folder, "--all", "--yes") == ExitCode.DEPLOY
        captured = capsys.readouterr()
        assert "r1: applied" in captured.out and "r2: applied" in captured.out and "r3: failed" in captured.err
        assert "2 of 3 routers succeeded" in captured.out and "deploy summary:" in captured.out
        assert managed(one.router) and managed(two.router)
        assert deploy(folder, "--all", "--dry-run") == ExitCode.DEPLOY  # r3 still unreachable


def test_rollback_restores_the_newest_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with lab() as one:
        first = setup(tmp_path / "a", router_entry("r1", "7.16", one.server.port))
        assert deploy(first, "--router", "r1", "--yes") == ExitCode.OK
        state_a = managed(one.router)
        second = setup(tmp_path / "a", router_entry("r1", "7.16", one.server.port), schedule_time="22:00")
        assert deploy(second, "--router", "r1", "--yes") == ExitCode.OK
        assert managed(one.router) != state_a
        config, out = second
        assert main(["rollback", "--config", str(config), "--out", str(out), "--router", "r1", "--yes"]) == 0
        assert managed(one.router) == state_a
        assert "r1: restoring" in capsys.readouterr().out
        backup = sorted((out / "backups" / "r1").glob("*.rsc"))[0]  # the first deploy's: an empty router
        assert main(["rollback", "--config", str(config), "--out", str(out), "--router", "r1", "--backup",
                     str(backup), "--dry-run"]) == ExitCode.CHANGES_PENDING  # fmt: skip


def test_tls_with_the_pinned_fingerprint_deploys_and_a_wrong_pin_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    with lab(tls=True) as one:
        certificate = one.server.info.certificate
        assert certificate is not None
        right = router_entry("r1", "7.16", one.server.port, tls=True, fingerprint=certificate.sha256)
        assert deploy(setup(tmp_path / "right", right), "--router", "r1", "--yes") == ExitCode.OK
        wrong = router_entry("r1", "7.16", one.server.port, tls=True, fingerprint="AB:" * 31 + "CD")
        one.recorder.calls.clear()
        assert deploy(setup(tmp_path / "wrong", wrong), "--router", "r1", "--yes") == ExitCode.DEPLOY
        err = capsys.readouterr().err
        assert "refusing (no password was sent)" in err and certificate.sha256 in err
        assert one.recorder.calls == []


def test_the_demo_deploys_over_the_api_and_prints_the_mails(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["demo", "--out", str(tmp_path)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "deploy: applied: 11 change(s) written and verified" in out
    assert "deploy: unchanged: up to date; nothing written" in out and "0 writes" in out
    assert "Subject: Example Wireless: 50% of your Lite data used" in out
    assert "Subject: Example Wireless invoice EW-10001 for 2026-11" in out
    assert "Subject: Example Wireless: Billing report 2026-11-30" in out
    assert (tmp_path / "demo" / "billing.yaml").is_file() and (tmp_path / "demo" / "emulated" / "install.rsc").is_file()


def test_passwords_appear_in_no_output_log_or_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("ROSBILL_SMTP_PASSWORD", SMTP_PASSWORD)
    caplog.set_level(logging.DEBUG)
    text = []
    with lab() as one:
        folder = setup(tmp_path, router_entry("r1", "7.16", one.server.port))
        codes = [deploy(folder, "--router", "r1", "--dry-run"), deploy(folder, "--router", "r1", "--yes"),
                 deploy(folder, "--router", "r1", "--yes")]  # fmt: skip
        assert codes == [ExitCode.CHANGES_PENDING, ExitCode.OK, ExitCode.OK]
        (email,) = one.router.rows("/tool e-mail")
        assert email["password"] == SMTP_PASSWORD.encode()  # set, and compared on the second run (a no-op)
        monkeypatch.setenv("ROSBILL_PASSWORD_R1", "wrong-" + PASSWORD)
        assert deploy(folder, "--router", "r1", "--yes") == ExitCode.DEPLOY
        monkeypatch.delenv("ROSBILL_PASSWORD_R1")
        config, out = folder
        assert main(["rollback", "--config", str(config), "--out", str(out), "--router", "r1", "--yes"]) == 0
        text.append(str(capsys.readouterr()))
    with lab(faults=Faults(cut_at="/system/script/add", cut_when="after")) as two:
        folder = setup(tmp_path / "cut", router_entry("r1", "7.16", two.server.port))
        assert deploy(folder, "--router", "r1", "--yes") == ExitCode.DEPLOY
        text.append(str(capsys.readouterr()))
    text.append(caplog.text + repr([r.__dict__ for r in caplog.records]))
    for secret in (PASSWORD, SMTP_PASSWORD):
        assert all(secret not in t for t in text)
        for path in files_under(tmp_path):
            assert secret.encode() not in path.read_bytes(), path
    assert "refused the login" in text[0] and "restored" in text[1]
