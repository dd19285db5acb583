"""The dialect seam: only generator/dialects.py compares RouterOS versions or dialect names."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Ways to ask "which version/dialect is this?" instead of asking RouterOSVersion/Dialect for the named difference.
FORBIDDEN = re.compile(
    r"\.major\b|\.minor\b|\.patch\b|\bat_least\(|dialect_name\s*[!=]=|\.name\s*[!=]=\s*[\"']v[67]"
    r"|[\"']v[67][\"']\s*(?:==|!=|in\b)|(?:==|!=)\s*[\"']v[67][\"']|\bversion\s*[<>]=?\s|RouterOSVersion\(\s*\d"
)


def offenders() -> list[str]:
    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        if path.name == "dialects.py" and path.parent.name == "generator":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if FORBIDDEN.search(line.split("#", 1)[0]):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_no_module_outside_dialects_compares_versions():
    assert offenders() == []


def test_the_guard_recognises_a_comparison():
    assert FORBIDDEN.search("if router.version.major == 6:")
    assert FORBIDDEN.search('if dialect.name == "v6":')
    assert FORBIDDEN.search("if version >= RouterOSVersion(7, 10):")
    assert not FORBIDDEN.search("if version.iso_dates:")
