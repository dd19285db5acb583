"""Checks generated scripts: the routeros-lsp checker with rosbill's command database, plus project rules.

The checker is routeros-lsp's own analysis (``routeros_lsp.analyze.analyze``, exactly what ``routeros-lsp check``
runs) with the settings of ``routeros-lsp check --strict --scope script`` and the per-version command database from
:mod:`generator.lint_schema`; ``install.rsc`` is checked with ``--scope import`` because that is how it runs. With
``--strict`` a warning fails like an error. ``tests/test_lint.py`` runs the published ``routeros-lsp check`` command
line on the same files to show the two agree.

Project rules (codes ``RB0xx``) catch mistakes routeros-lsp cannot know about:

======  =====================================================================================================
RB001   a byte outside printable ASCII: the encoder escapes every value, so only a template edit can do this
RB002   a slash path (``/ip/address/print``) on a version that does not accept it (RouterOS 6)
RB003   ``dont-require-permissions=yes``: lets any user run the script with its policies
RB004   a script over 30,000 bytes: Winbox's paste box stops near there and large sources are fragile (platform.md §5.2)
RB005   a variable named like a property used in ``where`` filters: RouterOS then compares the property with
        itself and the filter matches every item (Scripting manual, "reserved variable names")
RB006   the other dialect's User Manager menu: the router refuses the whole script at load time
RB007   a bare ``{}`` as the value of ``:local``/``:global``/``:set``: a syntax error on the router (Scripting Tips and
        Tricks, "How to define empty array"); write ``({})``. The emulator refuses it too
        (``generator.rsc.syntax.is_empty_array_brace``). Keywords as names (``and or in``) are routeros-lsp's
        ``vars/keyword-name`` warning, which fails a build like an error.
RB008   ``not`` as a variable name: a keyword on RouterOS 6 (the v6 wiki's Manual:Scripting lists "and or not in");
        flagged on every version (no generated script needs the name)
======  =====================================================================================================

Findings are values (:class:`~generator.errors.Diagnostic`); this module never raises for a finding.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from routeros_lsp.analyze import analyze
from routeros_lsp.schema.schema import Schema

from generator.dialects import Dialect, RouterOSVersion, for_version
from generator.errors import Diagnostic, Location
from generator.lint_schema import schema_for
from generator.rsc.syntax import RESERVED_WORDS, RESERVED_WORDS_V6

MAX_SCRIPT_BYTES = 30_000
#: Property names the scripts filter on (find/print where …): a variable of the same name breaks the filter.
FILTERED_PROPERTIES = frozenset(
    {
        "name",
        "user",
        "username",
        "active",
        "comment",
        "disabled",
        "profile",
        "type",
        "address",
        "list",
        "email",
        "customer",
        "interface",
        "id",
    }
)


@dataclass(frozen=True, slots=True)
class Source:
    path: str  # shown in findings, e.g. build/core1/billing.rsc
    text: str
    scope: str  # "script" or "import"


_schemas: dict[RouterOSVersion, Schema] = {}


def schema(version: RouterOSVersion) -> Schema:
    if version not in _schemas:
        _schemas[version] = Schema.from_json(schema_for(version))
    return _schemas[version]


def lint_text(source: Source, version: RouterOSVersion) -> list[Diagnostic]:
    """All findings for one file, sorted by position."""
    dialect = for_version(version)
    starts = _line_starts(source.text)
    found = [
        Diagnostic(_position(source.path, starts, f.start), f"lsp/{f.rule}", f.severity, f.message)
        for f in analyze(source.text, scope=source.scope, schema=schema(version)).findings
    ]
    found += _project_rules(source, dialect, starts)
    return sorted(found, key=lambda d: (d.location.line, d.location.column, d.code))


def lint(sources: Iterable[Source], version: RouterOSVersion) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for source in sources:
        out.extend(lint_text(source, version))
    return out


def failing(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """What fails a build under ``--strict``: errors and warnings."""
    return [d for d in diagnostics if d.severity in ("error", "warning")]


# --------------------------------------------------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    return starts


def _position(path: str, starts: list[int], offset: int) -> Location:
    line = bisect.bisect_right(starts, offset) - 1
    return Location(path, line + 1, offset - starts[line] + 1)


_SLASH_PATH = re.compile(r"(?:^|[;{\[]\s*)(/[a-z][a-z0-9-]*/[a-z])", re.MULTILINE)
_DONT_REQUIRE = re.compile(r"dont-require-permissions=(yes|true)")
_DECLARATION = re.compile(r":(?:local|global)\s+([A-Za-z][A-Za-z0-9]*)")
_EMPTY_BRACES = re.compile(r":(?:local|global|set)\s+(?:[A-Za-z0-9]+|\"[^\"\n]*\")\s+(\{\s*\})")


def _project_rules(source: Source, dialect: Dialect, starts: list[int]) -> list[Diagnostic]:
    text, path = source.text, source.path
    out: list[Diagnostic] = []

    def add(offset: int, code: str, message: str) -> None:
        out.append(Diagnostic(_position(path, starts, offset), code, "error", message))

    for i, c in enumerate(text):
        if not (0x20 <= ord(c) < 0x7F or c in "\n\t"):
            add(i, "RB001", f"byte {ord(c):#04x} is not printable ASCII; RouterOS mail and logs would carry it raw")
            break
    # Strings are data here (install.rsc carries whole scripts in them, wrapped anywhere), and comments are prose.
    code = _without_comments_and_strings(text)
    if not dialect.has_slash_paths:
        for found in _SLASH_PATH.finditer(code):
            add(
                found.start(1),
                "RB002",
                f"RouterOS {dialect.version} does not accept slash paths; the router refuses the whole script at load",
            )
    for found in _DONT_REQUIRE.finditer(code):
        add(found.start(), "RB003", "dont-require-permissions=yes lets any user run this script with its policies")
    if source.scope == "script" and len(text.encode()) > MAX_SCRIPT_BYTES:
        add(0, "RB004", f"the script is {len(text.encode())} bytes; keep each script under {MAX_SCRIPT_BYTES}")
    for found in _DECLARATION.finditer(code):
        if found.group(1) in FILTERED_PROPERTIES:
            add(
                found.start(1),
                "RB005",
                f'variable "{found.group(1)}" has the name of a property; inside find/print where RouterOS compares '
                "the property with itself and the filter matches every item",
            )
    for found in _DECLARATION.finditer(code):
        if found.group(1) in RESERVED_WORDS_V6 - RESERVED_WORDS:
            add(found.start(1), "RB008", f'"{found.group(1)}" is a keyword on RouterOS 6 and cannot name a variable')
    for found in _EMPTY_BRACES.finditer(code):
        add(found.start(1), "RB007", "a bare {} is a syntax error on RouterOS; write ({}) for an empty array")
    foreign = re.compile(r"(?:^|[;{\[]\s*|\s)(" + re.escape(dialect.foreign_menu) + r")\b(?!-)", re.MULTILINE)
    for found in foreign.finditer(code):
        add(
            found.start(1),
            "RB006",
            f"{dialect.foreign_menu} does not exist on RouterOS {dialect.version} ({dialect.name}); "
            "the router refuses the whole script at load",
        )
    return out


def _without_comments_and_strings(text: str) -> str:
    """The text with comment lines and string contents blanked (same length, so offsets stay valid)."""
    out = []
    in_string = False
    escape = False
    line_start = True
    in_comment = False
    for c in text:
        if in_comment:
            out.append("\n" if c == "\n" else " ")
            in_comment = c != "\n"
            line_start = c == "\n"
            continue
        if in_string:
            out.append(c if c == "\n" else " ")
            if escape:
                escape = False
            elif c == "\\":
                escape = True
            elif c == '"':
                in_string = False
            continue
        if line_start and c == "#":
            in_comment = True
            out.append(" ")
            continue
        if c == '"':
            in_string = True
        out.append(c)
        line_start = c == "\n" or (line_start and c in " \t")
    return "".join(out)
