"""Lint: both dialects clean with zero findings; the published checker agrees; the rules catch real mistakes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator import build as build_stage
from generator.dialects import RouterOSVersion
from generator.lint import Source, lint_text
from generator.lint_schema import schema_for

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = [ROOT / "config" / "billing.yaml", ROOT / "tests" / "data" / "v6.yaml", ROOT / "tests" / "data" / "v7_9.yaml"]
V6 = RouterOSVersion.parse("6.49")
V79 = RouterOSVersion.parse("7.9")
V716 = RouterOSVersion.parse("7.16")


def codes(text: str, version: RouterOSVersion, scope: str = "script") -> list[str]:
    return [d.code for d in lint_text(Source("t.rsc", text, scope), version)]


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_generated_scripts_have_zero_findings(path, tmp_path):
    config, digest = build_stage.load(path)
    for built in build_stage.build(config, digest, tmp_path):
        assert built.diagnostics == ()


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_published_routeros_lsp_check_agrees(path, tmp_path):
    """`routeros-lsp check --strict --scope script` with the written schema: exit 0 and no findings."""
    config, digest = build_stage.load(path)
    (built,) = build_stage.build(config, digest, tmp_path)
    folder = build_stage.write(built, tmp_path)
    schema = tmp_path / "schema.json"
    schema.write_text(schema_for(config.routers[0].version))
    scripts = [str(folder / n) for n in built.rendered.files if n.endswith(".rsc") and n != "install.rsc"]
    checker = [sys.executable, "-m", "routeros_lsp", "check", "--strict", "--schema", str(schema)]
    run = subprocess.run([*checker, "--scope", "script", *scripts], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no findings" in run.stderr
    run = subprocess.run([*checker, "--scope", "import", str(folder / "install.rsc")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_checker_would_fail_the_build_on_a_broken_script(tmp_path):
    schema = tmp_path / "schema.json"
    schema.write_text(schema_for(V716))
    bad = tmp_path / "bad.rsc"
    bad.write_text(':local x "unterminated\n')
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "routeros_lsp",
            "check",
            "--strict",
            "--scope",
            "script",
            "--schema",
            str(schema),
            str(bad),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1


def test_user_manager_menus_exist_only_in_their_dialect():
    assert codes(":put [/user-manager user print count-only]", V716) == []
    assert codes(":put [/tool user-manager user print count-only]", V6) == []
    assert "RB006" in codes(":put [/user-manager user print count-only]", V6)
    assert "lsp/schema/unknown-command" in codes(":put [/user-manager user print count-only]", V6)
    assert "RB006" in codes("/tool user-manager user reset-counters [find]", V716)


def test_unknown_user_manager_parameter_is_reported():
    assert codes("/user-manager user set [find] comment=x", V716) == []
    assert "lsp/schema/unknown-parameter" in codes("/user-manager user set [find] e-mail=x", V716)
    assert "lsp/schema/unknown-parameter" in codes("/tool user-manager user set [find] emial=x", V6)


def test_email_settings_are_version_gated():
    assert codes("/tool e-mail set server=mail.example.net", V716) == []
    assert "lsp/schema/unknown-parameter" in codes("/tool e-mail set server=mail.example.net", V79)
    assert codes("/tool e-mail set address=192.0.2.1", V79) == []
    assert "lsp/schema/unknown-parameter" in codes("/tool e-mail set tls=yes", V6)
    assert codes("/tool e-mail set start-tls=tls-only", V6) == []


def test_v7_only_commands_fail_on_older_versions():
    assert codes(":onerror e in={ :put 1 } do={ :put $e }", V716) == []
    assert "lsp/schema/unknown-command" in codes(":onerror e in={ :put 1 } do={ :put $e }", V79)
    assert "lsp/schema/unknown-command" in codes(":put [:rndnum from=1 to=5]", V6)
    assert "RB002" in codes("/ip/address/print", V6)
    assert "RB002" not in codes("/ip/address/print", V716)


def test_project_rules_catch_permissions_names_bytes_and_size():
    assert "RB003" in codes('/system script add name=x source="" dont-require-permissions=yes', V716)
    assert "RB005" in codes(':local name "x"\n:put [/ppp active find where name=$name]', V716)
    assert "RB001" in codes(':put "caf\u00e9"', V716)
    assert "RB004" in codes(":put 1\n" * 5000, V716)
    # inside strings and comments these words are data, not code
    assert codes('# /user-manager dont-require-permissions=yes\n:put ":local name"', V6) == []


def test_findings_carry_file_line_column():
    (finding,) = lint_text(Source("dir/x.rsc", ':put 1\n:put "caf\u00e9"\n', "script"), V716)
    assert str(finding).startswith("dir/x.rsc:2:10: RB001 error: ")
