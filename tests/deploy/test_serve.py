"""``rosbill router serve`` in its own process: it prints the port and the certificate fingerprint, and a deploy over
api-ssl with that fingerprint pinned works against it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from labkit import PASSWORD, ROOT, config_data, router_entry, write_config

from generator.cli import main
from generator.errors import ExitCode


def test_router_serve_prints_port_and_fingerprint_and_takes_a_pinned_deploy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    command = [sys.executable, "-m", "generator", "router", "serve", "--port", "0", "--tls", "--user", "rosbill",
               "--password", PASSWORD]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        lines = []
        for line in server.stdout:
            lines.append(line)
            if "stop with Ctrl-C" in line:
                break
        text = "".join(lines)
        assert "emulated RouterOS 7.16 router" in text and "users from config/users.demo.yaml" in text
        port = int(re.search(r"listening on 127\.0\.0\.1:(\d+) \(api-ssl\)", text).group(1))  # type: ignore[union-attr]
        fingerprint = re.search(r"fingerprint: ([0-9A-F:]{95})", text).group(1)  # type: ignore[union-attr]
        config = write_config(
            tmp_path, config_data(router_entry("lab", "7.16", port, tls=True, fingerprint=fingerprint))
        )
        out = tmp_path / "build"
        monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
        assert main(["build", "--config", str(config), "--out", str(out)]) == ExitCode.OK
        args = ["deploy", "--config", str(config), "--out", str(out), "--router", "lab"]
        assert main([*args, "--yes"]) == ExitCode.OK
        assert main([*args, "--dry-run"]) == ExitCode.OK
        assert "lab: unchanged" in capsys.readouterr().out
    finally:
        server.send_signal(signal.SIGINT)
        stdout, stderr = server.communicate(timeout=10)
    assert server.returncode == 0, stderr
    assert "stopped" in stdout and PASSWORD not in stdout + stderr
    assert os.environ.get("ROSBILL_PASSWORD") == PASSWORD
