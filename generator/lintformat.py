"""``rosbill lint --format``: the diagnostics :mod:`generator.lint` returns, as text, JSON, SARIF 2.1.0 or GitHub
Actions workflow commands (annotations), for people, CI scripts, code-scanning tools and pull-request checks.

Pure functions from :class:`~generator.errors.Diagnostic` values to text; the CLI prints what they return.

* JSON: ``{"version": 1, "command": "lint", "routers": [{"router", "checked_files", "failing", "diagnostics"}],
  "errors", "exit_code"}`` (docs/cli.md; ``rosbill lint --json`` prints it through the CLI's ``--json`` document).
* SARIF 2.1.0 (OASIS standard, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html): one run, tool
  ``rosbill``, one rule per diagnostic code, ``level`` error / warning / note.
* GitHub: ``::error file=F,line=L,col=C,title=CODE::MESSAGE`` per diagnostic, escaped as GitHub's toolkit does
  (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#setting-an-error-message).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from generator import __version__
from generator.errors import Diagnostic

FORMATS = ("text", "json", "sarif", "github")
JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
_GITHUB_COMMAND = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


@dataclass(frozen=True, slots=True)
class Checked:
    """One router's lint: its name, how many script files were checked, and what was found."""

    router: str
    checked_files: int
    diagnostics: Sequence[Diagnostic]
    failing: int


def diagnostic_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    where = diagnostic.location
    return {
        "path": where.path,
        "line": where.line,
        "column": where.column,
        "code": diagnostic.code,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
    }


def _one_line(text: str) -> str:
    """Control characters escaped, so each finding stays one line (a CI log is read line by line)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode() for c in text)


def as_text(checked: Sequence[Checked]) -> str:
    return "".join(f"{_one_line(str(d))}\n" for c in checked for d in c.diagnostics)


def routers_json(checked: Sequence[Checked]) -> list[dict[str, Any]]:
    """The ``routers`` list of ``rosbill lint --json`` (docs/cli.md)."""
    return [
        {
            "router": c.router,
            "checked_files": c.checked_files,
            "failing": c.failing,
            "diagnostics": [diagnostic_dict(d) for d in c.diagnostics],
        }
        for c in checked
    ]


def _uri(path: str) -> str:
    return quote(PurePath(path).as_posix(), safe="/")


def as_sarif(checked: Sequence[Checked]) -> str:
    found = [d for c in checked for d in c.diagnostics]
    codes = sorted({d.code for d in found})
    index = {code: i for i, code in enumerate(codes)}
    rules = [{"id": code, "name": code.replace("/", "-")} for code in codes]
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _SARIF_LEVEL.get(d.severity, "warning"),
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(d.location.path)},
                        "region": {"startLine": max(d.location.line, 1), "startColumn": max(d.location.column, 1)},
                    }
                }
            ],
        }
        for d in found
    ]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "rosbill", "version": __version__, "rules": rules}}, "results": results}],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(checked: Sequence[Checked]) -> str:
    lines = []
    for c in checked:
        for d in c.diagnostics:
            where = d.location
            props = (
                f"file={_github_property(where.path)},line={where.line},col={where.column},"
                f"title={_github_property(d.code)}"
            )
            lines.append(f"::{_GITHUB_COMMAND.get(d.severity, 'warning')} {props}::{_github_data(d.message)}\n")
    return "".join(lines)


def render(fmt: str, checked: Sequence[Checked], exit_code: int) -> str:
    """The findings in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        document = {
            "version": JSON_VERSION,
            "command": "lint",
            "routers": routers_json(checked),
            "exit_code": exit_code,
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        return as_sarif(checked)
    if fmt == "github":
        return as_github(checked)
    return as_text(checked)
