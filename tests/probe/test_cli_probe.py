"""``rosbill probe`` on the command line, its ``--json`` profile, and ``rosbill build`` reading the profile."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from emulator.router.behaviour import Behaviour
from generator import cli
from probe.kit import PASSWORD, V7, config, router, served, with_ntp

SECRET_PARTS = (PASSWORD, "user-secret-pw")


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ROSBILL_PASSWORD", "ROSBILL_PASSWORD_R1"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)


def located(path: Path, key: str) -> str:
    """``path:line:col`` of the value of ``key:`` in the YAML file (the first line that has it)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith(f"{key}:"):
            return f"{path}:{number}:{line.index(':', line.index(key)) + 3}"
    raise AssertionError(key)


def probe_cli(cfg: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = cli.main(["probe", "--config", str(cfg), "--router", "r1", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_probe_prints_the_table_writes_the_profile_and_never_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = router(V7)
    with served(made) as lab:
        cfg = config(tmp_path, lab.server.port)
        code, out, err = probe_cli(cfg, capsys, "--json", str(tmp_path / "r1.profile.json"))
    assert code == 0, err
    assert "row  verdict" in out
    assert " 24  holds" in out and 'observed: "08" → 8' in out
    assert "0 differ" in out and "everything written removed" in out
    assert f"r1: profile written to {tmp_path / 'r1.profile.json'}" in out
    profile = json.loads((tmp_path / "r1.profile.json").read_text(encoding="utf-8"))
    assert profile["format"] == "rosbill-probe-profile/1" and profile["router"] == "r1"
    assert profile["routeros"].startswith("7.16.2")
    verdicts = {o["row"]: o["verdict"] for o in profile["observations"]}
    assert verdicts[1] == verdicts[24] == "holds" and verdicts[28] == "could not observe"
    assert profile["fields"]["monitor"]["total-download"] == "num"
    assert profile["fields"]["session"]["active"] == "bool"
    text = out + err + (tmp_path / "r1.profile.json").read_text(encoding="utf-8")
    for secret in SECRET_PARTS:
        assert secret not in text


def test_a_differing_assumption_exits_1_and_the_profile_keeps_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with served(router(V7, Behaviour(tonum_leading_zero="octal"))) as lab:
        cfg = config(tmp_path, lab.server.port)
        code, out, _ = probe_cli(cfg, capsys, "--json", str(tmp_path / "p.json"))
    assert code == 1
    assert " 24  differs" in out
    profile = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert {o["row"]: o["verdict"] for o in profile["observations"]}[24] == "differs"


def test_send_test_mail_reaches_the_router_outbox(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = router(V7, traffic=False)
    with served(made) as lab:
        code, out, _ = probe_cli(config(tmp_path, lab.server.port), capsys, "--send-test-mail", "noc@example.net")
    assert code == 0
    assert [m.to for m in made.mail.outbox] == ["noc@example.net"]
    assert " 13  holds" in out


def test_an_unreachable_router_is_exit_5_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    code, _, err = probe_cli(config(tmp_path, port), capsys, "--deadline", "5")
    assert code == 5
    (line,) = [x for x in err.splitlines() if x.startswith("rosbill:")]
    assert "cannot connect" in line


def test_a_json_target_that_cannot_be_written_is_refused_before_connecting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = router(V7, traffic=False)
    with served(made) as lab:
        cfg = config(tmp_path, lab.server.port)
        code, _, err = probe_cli(cfg, capsys, "--json", str(tmp_path / "missing" / "p.json"))
        assert lab.server.stats.accepted == 0
    assert code == 2
    assert (
        err.strip()
        == f"rosbill: --json {tmp_path / 'missing' / 'p.json'}: the folder {tmp_path / 'missing'} does not exist"
    )


# --- rosbill build reads the profile ---------------------------------------------------------------------------------


def keeps_totals_profile(folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Probes a router whose totals do not follow its session rows; the profile goes next to the config."""
    with served(router(V7, Behaviour(um_session_remove="keeps-totals"), removed=True)) as lab:
        cfg = config(folder, lab.server.port)
        code, _, _ = probe_cli(cfg, capsys, "--json", str(folder / "r1.profile.json"))
    assert code == 1
    return folder / "r1.profile.json"


def test_build_refuses_counter_reset_reset_where_totals_do_not_follow_session_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keeps_totals_profile(tmp_path, capsys)
    cfg = config(tmp_path, 8728, counter_reset="reset", close_sessions=["ppp"])
    code = cli.main(["build", "--config", str(cfg), "--out", str(tmp_path / "build")])
    _, err = capsys.readouterr()
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith(f"{located(cfg, 'counter_reset')}: billing.counter_reset: counter_reset: reset zeroes")
    assert "do not follow the session rows" in line and "bob;x=1" in line and "use counter_reset: baseline" in line
    assert not (tmp_path / "build").exists()


def test_the_same_profile_lets_counter_reset_baseline_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keeps_totals_profile(tmp_path, capsys)
    cfg = config(tmp_path, 8728)
    assert cli.main(["build", "--config", str(cfg), "--out", str(tmp_path / "build")]) == 0
    assert capsys.readouterr().err == ""


def test_a_contradicting_profile_does_not_stop_the_probe_that_replaces_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keeps_totals_profile(tmp_path, capsys)
    with served(router(V7)) as lab:
        cfg = config(tmp_path, lab.server.port, counter_reset="reset", close_sessions=["ppp"])
        code, _, err = probe_cli(cfg, capsys, "--json", str(tmp_path / "r1.profile.json"))
    assert code == 0, err
    assert cli.main(["build", "--config", str(cfg), "--out", str(tmp_path / "build")]) == 0


def test_a_profile_of_another_routeros_is_refused_at_the_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with served(router("6.49.10", traffic=False)) as lab:
        cfg = config(tmp_path, lab.server.port, version="6.49")
        assert probe_cli(cfg, capsys, "--json", str(tmp_path / "r1.profile.json"))[0] == 0
    cfg = config(tmp_path, 8728, version="7.16")
    code = cli.main(["lint", "--config", str(cfg)])
    _, err = capsys.readouterr()
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith(f"{located(cfg, 'version')}: routers[0].version: the probe of r1")
    assert 'set version: "6.49.10"' in line


def test_an_untrusted_clock_in_the_profile_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = with_ntp(router(V7, Behaviour(boot_clock="1970", ntp_sync_delay_s=600.0), traffic=False))
    made.reboot()
    with served(made) as lab:
        cfg = config(tmp_path, lab.server.port)
        assert probe_cli(cfg, capsys, "--json", str(tmp_path / "r1.profile.json"))[0] == 1
    code = cli.main(["build", "--config", str(cfg), "--out", str(tmp_path / "build")])
    _, err = capsys.readouterr()
    assert code == 0
    (line,) = err.splitlines()
    assert ": routers[0]: warning: the probe of r1" in line and "the clock was not trusted (date 1970-01-02" in line


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"format": "rosbill-probe-profile/1",\n  "router": "r1",, }', "2:18", "not valid JSON"),
        ('{"format": "something else"}', "1:1", "format: not a rosbill probe profile"),
        ('{"format": "rosbill-probe-profile/1", "router": "r1", "observations": 5}', "1:1", "observations: must be"),
        (
            '{"format": "rosbill-probe-profile/1", "router": "core9", "observations": []}',
            "1:1",
            'router: a profile of router "core9", not r1',
        ),
    ],
)
def test_a_broken_profile_is_one_located_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: str, message: str
) -> None:
    cfg = config(tmp_path, 8728)
    (tmp_path / "r1.profile.json").write_text(text, encoding="utf-8")
    code = cli.main(["build", "--config", str(cfg), "--out", str(tmp_path / "build")])
    _, err = capsys.readouterr()
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith(f"{tmp_path / 'r1.profile.json'}:{where}: {message}"), line


def test_probe_against_rosbill_router_serve_over_pinned_api_ssl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's "done when": ``rosbill probe`` against ``rosbill router serve`` (its own process, the demo users,
    api-ssl with the printed fingerprint pinned) reports every row and leaves the router's scripts as they were."""
    import os
    import re
    import signal
    import subprocess
    import sys

    import yaml

    from probe.kit import ROOT, USER

    command = [sys.executable, "-m", "generator", "router", "serve", "--port", "0", "--tls", "--user", USER]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "ROSBILL_SERVE_PASSWORD": PASSWORD})  # fmt: skip
    try:
        assert server.stdout is not None
        text = ""
        for line in server.stdout:
            text += line
            if "stop with Ctrl-C" in line:
                break
        port = int(re.search(r"listening on 127\.0\.0\.1:(\d+) \(api-ssl\)", text).group(1))  # type: ignore[union-attr]
        pin = re.search(r"fingerprint: ([0-9A-F:]{95})", text).group(1)  # type: ignore[union-attr]
        cfg = config(tmp_path, port)
        data = yaml.safe_load(cfg.read_text(encoding="utf-8"))
        data["routers"][0].update({"tls": True, "fingerprint": pin})
        cfg.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        code, out, err = probe_cli(cfg, capsys, "--json", str(tmp_path / "r1.profile.json"))
        again, out2, _ = probe_cli(cfg, capsys)
    finally:
        server.send_signal(signal.SIGINT)
        stdout, stderr = server.communicate(timeout=10)
    assert code == 0, err
    assert again == 0 and "removed an earlier probe" not in out2  # the first left nothing behind
    rows = [int(m.group(1)) for m in re.finditer(r"^ *(\d+)  (?:holds|differs|could not observe) ", out, re.M)]
    assert rows == sorted(set(range(1, 35)) - {2, 6, 7, 22})
    assert "0 differ" in out
    assert PASSWORD not in out + err + text + stdout + stderr
