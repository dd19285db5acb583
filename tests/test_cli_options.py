"""The CLI surface of issue 11: help texts, the shared options (``generator/cli_options.py``), ``--json``, colour,
``-q``/``-v``, ``--router`` optional with one router, ``--routeros`` and the deprecated subcommand ``--version``."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
from pathlib import Path

import pytest

from generator import cli, cli_options
from generator.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "config" / "billing.yaml"


def leaves(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()):
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield words, parser
    for action in subs:
        for name, sub in action.choices.items():
            yield from leaves(sub, (*words, name))


def two_routers(tmp_path: Path) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    second = '  - name: edge2\n    host: 192.0.2.2\n    version: "6.49"\n    user: rosbill\n\ncompany:'
    config = tmp_path / "two.yaml"
    text = text.replace("\ncompany:", "\n" + second, 1).replace('format: "EW-{number}"', 'format: "{router}-{number}"')
    config.write_text(text, encoding="utf-8")
    return config


def test_every_command_has_a_description_an_example_and_its_exit_codes():
    commands = dict(leaves(cli.parser()))
    assert {
        ("build",),
        ("lint",),
        ("schema",),
        ("simulate",),
        ("deploy",),
        ("rollback",),
        ("demo",),
        ("exec",),
        ("probe",),
        ("router", "serve"),
    } <= set(commands)
    for words, parser in commands.items():
        text = parser.format_help()
        assert parser.description, words
        assert "example:\n  rosbill " in text and "\nexit codes:\n  0 " in text, words
        for action in parser._actions:  # every option says what it does; a default, when it has one, is shown
            if action.help is argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
                continue
            assert action.help, (words, action.dest)
            if action.default not in (None, False, argparse.SUPPRESS) and action.option_strings and not action.choices:
                assert str(action.default) in action.help or "default" in action.help, (words, action.dest)
    top = cli.parser().format_help()
    assert "exit codes:" in top and "rosbill COMMAND --help" in top


def test_each_shared_option_is_defined_once(tmp_path: Path):
    source = "\n".join(p.read_text() for p in (ROOT / "generator").glob("cli*.py") if p.name != "cli_options.py")
    shared = (
        '"--config"',
        '"--out"',
        '"--router"',
        '"--routeros"',
        '"--json", action',
        '"--quiet"',
        '"--timeout"',
        '"--deadline"',
    )
    for option in shared:
        assert option not in source, f"{option} is defined outside generator/cli_options.py"


def test_router_is_optional_with_one_router_and_names_them_with_several(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "out"
    assert cli.main(["build", "--one", "--config", str(SHIPPED), "--out", str(out)]) == 0
    assert (out / "core1" / "billing.rsc").is_file()
    capsys.readouterr()
    two = two_routers(tmp_path)
    out2 = tmp_path / "out2"
    assert cli.main(["build", "--one", "--config", str(two), "--out", str(out2)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "the config has 2 routers (core1, edge2): name one with --router NAME" in err
    assert not out2.exists()  # make deploy without ROUTER: refused before anything is built
    for argv in (
        ["deploy", "--dry-run", "--out", str(out2)],
        ["rollback", "--out", str(out2)],
        ["probe"],
    ):
        assert cli.main([*argv, "--config", str(two)]) == ExitCode.USAGE, argv
        assert "name one with --router NAME" in capsys.readouterr().err, argv
    assert cli.main(["build", "--config", str(two), "--out", str(out2), "--router", "core1", "--router", "edge2"]) == 0
    capsys.readouterr()
    assert (
        cli.main(["rollback", "--config", str(two), "--out", str(out2), "--router", "core1", "--router", "edge2"])
        == ExitCode.USAGE
    )
    assert "one router at a time; give --router once" in capsys.readouterr().err
    assert cli.main(["deploy", "--config", str(two), "--out", str(out2), "--router", "nope"]) == ExitCode.USAGE
    assert 'no router named "nope"; the config has core1, edge2' in capsys.readouterr().err


def test_make_deploy_builds_one_router_only_through_build_one():
    dry = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "--no-print-directory", "deploy", "BIN=bin", "STAMP=/dev/null"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in dry.stdout.splitlines() if line.startswith("bin/rosbill")]
    assert lines[0].startswith("bin/rosbill build --one ") and lines[1].startswith("bin/rosbill deploy ")


def test_routeros_and_the_deprecated_subcommand_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    script = tmp_path / "v.rsc"
    script.write_text(":put [/system resource get version]\n")
    assert cli.main(["exec", "--routeros", "6.49", str(script)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("6.49") and "deprecated" not in captured.err
    assert cli.main(["exec", "--version", "6.49", str(script)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("6.49")
    assert "--version 6.49 is deprecated here and goes in the next release; write --routeros 6.49" in captured.err
    with pytest.raises(SystemExit) as stop:  # the top-level --version is rosbill's own
        cli.main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("rosbill ")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    output = cli_options.OUTPUT
    monkeypatch.setattr(output, "color", "auto")
    assert cli_options.paint("x", "red", Tty()) == "\x1b[31mx\x1b[0m"
    assert cli_options.paint("x", "red", io.StringIO()) == "x"  # a pipe or a file: no colour
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_options.paint("x", "red", Tty()) == "x"
    monkeypatch.setattr(output, "color", "always")
    assert cli_options.paint("x", "red", io.StringIO()) == "\x1b[31mx\x1b[0m"
    monkeypatch.setattr(output, "color", "never")
    monkeypatch.delenv("NO_COLOR")
    assert cli_options.paint("x", "red", Tty()) == "x"


def test_color_always_paints_the_build_result_and_never_leaves_it_plain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = str(tmp_path / "out")
    assert cli.main(["build", "--config", str(SHIPPED), "--out", out, "--color", "always"]) == 0
    assert "\x1b[32mlint clean\x1b[0m" in capsys.readouterr().out
    assert cli.main(["build", "--config", str(SHIPPED), "--out", out, "--color", "never"]) == 0
    assert "\x1b[" not in capsys.readouterr().out


def test_build_json_is_the_only_thing_on_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "out"
    assert cli.main(["build", "--config", str(SHIPPED), "--out", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["version"] == cli_options.JSON_VERSION == 1 and document["command"] == "build"
    assert document["exit_code"] == 0 and document["errors"] == []
    (router,) = document["routers"]
    assert router["router"] == "core1" and router["routeros"] == "7.16" and router["lint_clean"] is True
    assert "billing.rsc" in router["files"] and router["folder"] == str(out / "core1")
    assert "lint clean" in captured.err  # the text report moved to stderr


def test_a_config_error_in_json_mode_is_in_the_document_and_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHIPPED.read_text().replace("cap: 50GB", "cap: 50 gigs", 1))
    assert cli.main(["lint", "--config", str(bad), "--json"]) == ExitCode.USAGE
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["exit_code"] == 2 and len(document["errors"]) == 1
    assert '"50 gigs" is not a data cap' in document["errors"][0] and document["errors"][0] in captured.err


def test_lint_json_and_format_json_are_one_document(capsys: pytest.CaptureFixture[str]):
    assert cli.main(["lint", "--config", str(SHIPPED), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert cli.main(["lint", "--config", str(SHIPPED), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert first["command"] == "lint" and first["routers"][0]["checked_files"] == 9
    assert first["routers"][0]["failing"] == 0


def test_verbose_shows_steps_on_stderr_and_quiet_is_exclusive_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = str(tmp_path / "out")
    assert cli.main(["build", "--config", str(SHIPPED), "--out", out, "-v"]) == 0
    captured = capsys.readouterr()
    assert "core1: rendering and linting" in captured.err and "rendering" not in captured.out
    assert cli.main(["build", "--config", str(SHIPPED), "--out", out]) == 0
    assert "rendering" not in capsys.readouterr().err  # not a terminal, not -v: no progress
    with pytest.raises(SystemExit) as stop:
        cli.main(["build", "-q", "-v"])
    assert stop.value.code == 2


def test_deploy_json_without_router_on_a_one_router_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    from deploy.labkit import PASSWORD, config_data, lab, router_entry, write_config

    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
    monkeypatch.delenv("ROSBILL_SMTP_PASSWORD", raising=False)
    with lab() as one:
        config = write_config(tmp_path / "config", config_data(router_entry("r1", "7.16", one.server.port)))
        out = tmp_path / "build"
        assert cli.main(["build", "--config", str(config), "--out", str(out), "-q"]) == 0
        capsys.readouterr()
        argv = ["deploy", "--config", str(config), "--out", str(out), "--timeout", "5", "--dry-run", "--json"]
        assert cli.main(argv) == ExitCode.CHANGES_PENDING
        captured = capsys.readouterr()
        document = json.loads(captured.out)
        assert document["version"] == 1 and document["command"] == "deploy" and document["exit_code"] == 1
        (router,) = document["routers"]
        assert router["router"] == "r1" and router["status"] == "pending" and router["changes"] == 11
        assert router["writes"] == 0 and router["exit_code"] == 1 and router["routeros"].startswith("7.16")
        assert "r1: pending" in captured.err  # the text report, on stderr
        assert PASSWORD not in captured.out + captured.err


def test_quiet_demo_leaves_out_the_steps_and_keeps_the_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(ROOT)
    assert cli.main(["demo", "--out", str(tmp_path / "out"), "-q"]) == 0
    out = capsys.readouterr().out
    assert "deploy: applied: 11 change(s) written and verified" in out and "demo finished in" in out
    assert "demo: " not in out  # the steps (starting, building, deploying, running the clock)
    assert cli.main(["demo", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    # in the order it happens: both deploys (with the first one's plan) before the clock runs, the mails after it
    assert out.index("deploy: unchanged") < out.index("demo: running the router's clock") < out.index("e-mails sent")


def test_simulate_json_has_the_counts_and_the_bills(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(ROOT)
    assert cli.main(["simulate", "--brief", "--json"]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["version"] == 1 and document["command"] == "simulate" and document["exit_code"] == 0
    assert document["routeros"] == "7.16" and document["dialect"] == "v7" and document["script_errors"] == 0
    text_summary = captured.err.strip().splitlines()[-1]  # the text report went to stderr
    assert text_summary == f"# {document['mails']} mails, {document['state_changes']} state changes, 0 script errors"
    assert document["bills"] and {"user", "invoice", "price_cents", "discount_cents"} <= set(document["bills"][0])
    assert all(isinstance(f["count"], int) for f in document["folded_warnings"])


def test_rollback_json_reports_the_restore_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    from deploy.labkit import PASSWORD, config_data, lab, router_entry, write_config

    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
    monkeypatch.delenv("ROSBILL_SMTP_PASSWORD", raising=False)
    with lab() as one:
        config = write_config(tmp_path / "config", config_data(router_entry("r1", "7.16", one.server.port)))
        out = tmp_path / "build"
        common = ["--config", str(config), "--out", str(out), "--timeout", "5"]
        assert cli.main(["build", "--config", str(config), "--out", str(out)]) == 0
        assert cli.main(["deploy", *common, "--yes"]) == 0
        capsys.readouterr()
        assert cli.main(["rollback", *common, "--dry-run", "--json"]) == ExitCode.CHANGES_PENDING
        document = json.loads(capsys.readouterr().out)
        assert document["command"] == "rollback" and document["version"] == 1 and document["exit_code"] == 1
        (router,) = document["routers"]
        assert router["router"] == "r1" and router["status"] == "pending" and router["changes"] == 11
        assert router["writes"] == 0
