"""``rosbill backups`` and ``rosbill rollback --to/--steps`` through the CLI, ``deploy --diff`` (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.labkit import PASSWORD, config_data, lab, managed, router_entry, write_config
from generator.cli import main
from generator.errors import ExitCode
from generator.render import SCRIPTS


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
    monkeypatch.delenv("ROSBILL_SMTP_PASSWORD", raising=False)
    monkeypatch.delenv("ROSBILL_PASSWORD_R1", raising=False)


def _cli(config: Path, out: Path, *args: str) -> int:
    return main([args[0], "--config", str(config), "--out", str(out), *args[1:]])


def test_backups_lists_and_rollback_labels_the_backup_in_its_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with lab() as one:
        config = write_config(tmp_path / "config", config_data(router_entry("r1", "7.16", one.server.port)))
        out = tmp_path / "build"
        assert _cli(config, out, "backups", "--router", "r1") == ExitCode.USAGE  # a mistyped --out is not "none"
        assert "not a build folder" in capsys.readouterr().err
        assert _cli(config, out, "build") == ExitCode.OK
        assert _cli(config, out, "backups", "--router", "r1") == ExitCode.OK
        assert "r1: no backups in" in capsys.readouterr().out
        assert _cli(config, out, "deploy", "--router", "r1", "--yes") == ExitCode.OK
        data = config_data(router_entry("r1", "7.16", one.server.port), subject="{company}: {level}% used")
        write_config(tmp_path / "config", data)
        assert _cli(config, out, "build") == ExitCode.OK
        assert _cli(config, out, "deploy", "--router", "r1", "--yes") == ExitCode.OK
        capsys.readouterr()
        assert _cli(config, out, "backups", "--router", "r1") == ExitCode.OK
        listing = capsys.readouterr().out
        ids = [p.stem for p in sorted((out / "backups" / "r1").glob("*.json"))]
        assert len(ids) == 2
        rows = [line for line in listing.splitlines() if line.startswith("  2")]
        assert rows[0].split()[:3] == [ids[0], "--steps", "2"] and "no managed entries" in rows[0]
        assert (
            rows[1].split()[:3] == [ids[1], "--steps", "1"]
            and f"{len(SCRIPTS)} scripts, 2 scheduler entries" in rows[1]
        )
        assert "before deploy of config" in rows[1]

        assert _cli(config, out, "rollback", "--router", "r1", "--dry-run") == ExitCode.CHANGES_PENDING
        plan_text = capsys.readouterr().out
        assert f"restoring backup {ids[1]}" in plan_text
        assert f"+++ backup/{ids[1]}/" in plan_text and "+++ build/" not in plan_text
        assert _cli(config, out, "rollback", "--router", "r1", "--to", ids[0], "--yes") == ExitCode.OK
        assert f"restoring backup {ids[0]}" in capsys.readouterr().out
        assert [k for k in managed(one.router) if k.startswith("/system")] == []


def test_a_first_dry_run_shows_every_created_line_only_with_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with lab() as one:
        config = write_config(tmp_path / "config", config_data(router_entry("r1", "7.16", one.server.port)))
        out = tmp_path / "build"
        assert _cli(config, out, "build") == ExitCode.OK
        capsys.readouterr()
        assert _cli(config, out, "deploy", "--router", "r1", "--dry-run") == ExitCode.CHANGES_PENDING
        short = capsys.readouterr().out
        assert _cli(config, out, "deploy", "--router", "r1", "--dry-run", "--diff") == ExitCode.CHANGES_PENDING
        full = capsys.readouterr().out
        assert "+++ build/MonthEnd" not in short and "+++ build/MonthEnd" in full
        assert len(short.splitlines()) < 20 < 700 < len(full.splitlines())
