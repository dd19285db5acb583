"""``rosbill lint --format text|json|sarif|github`` (generator/lintformat.py) over real and made-up findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import cli, lintformat
from generator.errors import Diagnostic, Location

ROOT = Path(__file__).resolve().parent.parent

FOUND = (
    Diagnostic(Location("build/core1/billing.rsc", 12, 5), "lsp/unknown-command", "error", "no such command: /foo"),
    Diagnostic(Location("build/core1/a b,c:d.rsc", 3, 1), "rosbill/long-line", "warning", "100% over\r\nthe limit"),
    Diagnostic(Location("build/core1/x.rsc", 1, 1), "lsp/style", "hint", "consider :local"),
)
CHECKED = [lintformat.Checked("core1", 7, FOUND, 2)]


def test_text_is_one_finding_a_line():
    lines = lintformat.render("text", CHECKED, 3).splitlines()
    assert lines[0] == str(FOUND[0]) and lines[2] == str(FOUND[2]) and len(lines) == 3
    assert lines[1] == r"build/core1/a b,c:d.rsc:3:1: rosbill/long-line warning: 100% over\r\nthe limit"


def test_json_has_every_field_and_a_version():
    document = json.loads(lintformat.render("json", CHECKED, 3))
    assert document["version"] == 1 and document["command"] == "lint" and document["exit_code"] == 3
    (router,) = document["routers"]
    assert router["router"] == "core1" and router["checked_files"] == 7 and router["failing"] == 2
    assert router["diagnostics"][0] == {
        "path": "build/core1/billing.rsc",
        "line": 12,
        "column": 5,
        "code": "lsp/unknown-command",
        "severity": "error",
        "message": "no such command: /foo",
    }


def test_sarif_is_2_1_0_with_rules_levels_and_regions():
    document = json.loads(lintformat.render("sarif", CHECKED, 3))
    assert document["version"] == "2.1.0" and document["$schema"].endswith("sarif-2.1.0.json")
    (run,) = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({d.code for d in FOUND}) and run["tool"]["driver"]["name"] == "rosbill"
    levels = [r["level"] for r in run["results"]]
    assert levels == ["error", "warning", "note"]  # SARIF has no "hint": note
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "lsp/unknown-command"
    location = first["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "build/core1/billing.rsc"},
        "region": {"startLine": 12, "startColumn": 5},
    }
    assert run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "build/core1/a%20b%2Cc%3Ad.rsc"
    )


def test_github_annotations_are_escaped_as_the_toolkit_does():
    lines = lintformat.render("github", CHECKED, 3).splitlines()
    assert (
        lines[0]
        == "::error file=build/core1/billing.rsc,line=12,col=5,title=lsp/unknown-command::no such command: /foo"
    )
    # a comma or colon in a property would end it early; a newline in the message would end the command
    assert lines[1] == (
        "::warning file=build/core1/a b%2Cc%3Ad.rsc,line=3,col=1,title=rosbill/long-line::100%25 over%0D%0Athe limit"
    )
    assert lines[2].startswith("::notice ") and len(lines) == 3


@pytest.mark.parametrize("fmt", lintformat.FORMATS)
def test_rosbill_lint_prints_each_format_of_a_clean_build(fmt: str, capsys: pytest.CaptureFixture[str]):
    assert cli.main(["lint", "--config", str(ROOT / "config" / "billing.yaml"), "--format", fmt]) == 0
    captured = capsys.readouterr()
    assert "core1: checked 9 files, 0 error(s) or warning(s)" in captured.err
    if fmt == "sarif":
        assert json.loads(captured.out)["runs"][0]["results"] == []
    elif fmt == "json":
        assert json.loads(captured.out)["routers"][0]["diagnostics"] == []
    else:
        assert captured.out == ""
