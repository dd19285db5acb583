"""``rosbill router serve`` in its own process: it prints the port and the certificate fingerprint, and a deploy over
api-ssl with that fingerprint pinned works against it. The password comes from the environment or a file, never from
the command line (where ``ps`` shows it to every user)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.labkit import PASSWORD, ROOT, config_data, router_entry, write_config
from generator.cli import main
from generator.errors import ExitCode


def start(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """``rosbill router serve ARGS`` in a process, and what it printed up to "stop with Ctrl-C"."""
    command = [sys.executable, "-m", "generator", "router", "serve", "--port", "0", *args]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, **(env or {})})  # fmt: skip
    assert server.stdout is not None
    lines = []
    for line in server.stdout:
        lines.append(line)
        if "stop with Ctrl-C" in line:
            break
    return server, "".join(lines)


def stop(server: subprocess.Popen[str]) -> tuple[str, str]:
    server.send_signal(signal.SIGINT)
    stdout, stderr = server.communicate(timeout=10)
    assert server.returncode == 0, stderr
    return stdout, stderr


def deploy_to(
    port: int, fingerprint: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str
) -> int:
    entry = router_entry("lab", "7.16", port, tls=fingerprint is not None, fingerprint=fingerprint)
    if fingerprint is None:
        entry.pop("fingerprint")
    config = write_config(tmp_path, config_data(entry))
    out = tmp_path / "build"
    monkeypatch.setenv("ROSBILL_PASSWORD", password)
    assert main(["build", "--config", str(config), "--out", str(out)]) == ExitCode.OK
    return main(["deploy", "--config", str(config), "--out", str(out), "--router", "lab", "--yes", "--timeout", "5"])


def test_router_serve_prints_port_and_fingerprint_and_takes_a_pinned_deploy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    server, text = start("--tls", "--user", "rosbill", env={"ROSBILL_SERVE_PASSWORD": PASSWORD})
    try:
        assert "emulated RouterOS 7.16 router" in text and "users from config/users.demo.yaml" in text
        assert "(password: ROSBILL_SERVE_PASSWORD)" in text
        port = int(re.search(r"listening on 127\.0\.0\.1:(\d+) \(api-ssl\)", text).group(1))  # type: ignore[union-attr]
        fingerprint = re.search(r"fingerprint: ([0-9A-F:]{95})", text).group(1)  # type: ignore[union-attr]
        assert deploy_to(port, fingerprint, tmp_path, monkeypatch, PASSWORD) == ExitCode.OK
        assert "lab: applied" in capsys.readouterr().out
    finally:
        stdout, stderr = stop(server)
    assert "stopped" in stdout and PASSWORD not in text + stdout + stderr


def test_the_password_can_come_from_a_file_and_a_wrong_one_is_refused_at_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    secret = tmp_path / "serve-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")  # the trailing newline an editor leaves is not part of it
    server, text = start("--user", "rosbill", "--no-users", "--password-file", str(secret),
                         env={"ROSBILL_SERVE_PASSWORD": "the file wins"})  # fmt: skip
    try:
        assert f"(password: {secret})" in text and ", no users" in text
        port = int(re.search(r"listening on 127\.0\.0\.1:(\d+) \(api\)", text).group(1))  # type: ignore[union-attr]
        assert deploy_to(port, None, tmp_path / "wrong", monkeypatch, "the file wins") == ExitCode.DEPLOY
        assert "refused the login" in capsys.readouterr().err
        assert deploy_to(port, None, tmp_path / "right", monkeypatch, PASSWORD) == ExitCode.OK
    finally:
        stop(server)


@pytest.mark.parametrize("form", [["--password", PASSWORD], [f"--password={PASSWORD}"], ["--password"]])
def test_a_password_on_the_command_line_is_refused_saying_where_to_put_it(
    form: list[str], capsys: pytest.CaptureFixture[str]
):
    with pytest.raises(SystemExit) as stopped:
        main(["router", "serve", "--port", "0", *form])
    assert stopped.value.code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "usage: rosbill router serve" in err
    assert "visible to every user" in err and "ROSBILL_SERVE_PASSWORD" in err and "--password-file PATH" in err
    assert PASSWORD not in err


@pytest.mark.parametrize(
    "content, why",
    [(None, "No such file"), ("one\ntwo\n", "more than one line"), (b"\xff\xfe", "not UTF-8"), ("a\x07b", "control")],
)
def test_a_password_file_that_cannot_be_used_is_a_usage_error(
    content: str | bytes | None, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "pw"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif content is not None:
        path.write_bytes(content)
    assert main(["router", "serve", "--port", "0", "--no-users", "--password-file", str(path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"rosbill: --password-file {path}: ") and why in err, err


def test_a_port_in_use_is_a_usage_error_naming_it(capsys: pytest.CaptureFixture[str]):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["router", "serve", "--no-users", "--port", str(port)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"rosbill: router serve: cannot listen on 127.0.0.1:{port}" in err, err
    assert "choose another --port" in err and "internal error" not in err
