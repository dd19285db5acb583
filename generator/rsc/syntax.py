"""Parse RouterOS script source with routeros-lsp's parser and give the emulator what it needs from the tree.

Job: turn source *bytes* into the routeros-lsp syntax tree (``routeros_lsp.syntax.ast``), keep the error-severity syntax
diagnostics with 1-based ``line:col`` positions, and rebuild the exact **bytes** of string literals from their parts.

Must not: execute anything, resolve menus or variables, or decide what a ``{ … }`` means (that needs the command; the
compiler in ``emulator/compiler/`` decides and tells :meth:`Parsed.first_error` which braces were arrays).

Bytes and offsets. RouterOS strings are byte strings. The source is decoded as UTF-8 with ``surrogateescape`` so that
bytes that are not UTF-8 survive the trip through the parser (they are non-ASCII, so they are only valid inside quotes
and comments, as on a router [O lsp L-15]) and come back unchanged when a text part is encoded again. The parser's
offsets count code points; columns here count code points too; LF, CR LF and lone CR each end a line [D HELP]
[O lsp].
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from routeros_lsp.rules import RULES
from routeros_lsp.syntax import ast
from routeros_lsp.syntax.parser import parse as lsp_parse

from generator.errors import Location

#: Words that cannot name a variable or function: "The following words are keywords and cannot be used as variable and
#: function names: and or in" [D HELP "Keywords"]. routeros-lsp notes that 7.21.4 accepts them [O lsp V-07/V-08,
#: vars/keyword-name]: a CONFLICT, resolved the strict way (refused at load by the emulator, a finding in the linter);
#: docs/assumptions.md. Quoted (``:local "and"``) they are strings, allowed like any quoted name [I].
RESERVED_WORDS = frozenset({"and", "or", "in"})
#: The v6-era manual lists one more: "The following words are keywords and cannot be used as variable and function
#: names: and or not in" [D WIKI6 Manual:Scripting "Keywords"].
RESERVED_WORDS_V6 = RESERVED_WORDS | {"not"}


def is_empty_array_brace(element: object) -> bool:
    """``{}`` (or ``{ }``) written bare as the value of ``:local``/``:global``/``:set``: RouterOS reports a syntax
    error for ``:global array {}`` at the column after the brace [D TIPS "How to define empty array"]; ``({})`` and
    ``[:toarray ""]`` are the working forms [O lsp, D TIPS]. Code values (``on-error={}``) are not array literals."""
    return isinstance(element, ast.Brace) and element.closed and not element.body


#: Rules about the start of a command line. Inside a brace that turns out to be an array literal the "commands" are
#: array elements, so ``{"a";"b"}`` or ``{{1;2};{a=1}}`` are fine there (the parser cannot know the role: ast.Brace).
HEAD_RULES = frozenset({"syntax/expected-command", "syntax/statement-starts-with-pair"})


def text_bytes(text: str) -> bytes:
    """The source bytes a piece of decoded text came from."""
    return text.encode("utf-8", "surrogateescape")


def decode(source: bytes) -> str:
    return source.decode("utf-8", "surrogateescape")


class LineIndex:
    """Maps parser offsets (code points) to 1-based line and column."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\r":
                i += 2 if i + 1 < n and text[i + 1] == "\n" else 1
                starts.append(i)
            elif c == "\n":
                i += 1
                starts.append(i)
            else:
                i += 1
        self._starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


@dataclass(frozen=True, slots=True)
class SyntaxIssue:
    """One error-severity diagnostic of the parser, located."""

    rule: str
    message: str
    start: int
    end: int
    location: Location

    def __str__(self) -> str:
        return f"{self.location}: {self.rule} error: {self.message}"


class SyntaxFailure(Exception):
    """The source does not load: RouterOS reports ``syntax error (line L column C)`` and runs nothing of it."""

    def __init__(self, issue: SyntaxIssue) -> None:
        self.issue = issue
        self.location = issue.location
        super().__init__(str(issue))

    @property
    def routeros_message(self) -> str:
        return f"syntax error (line {self.location.line} column {self.location.column})"


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed source: the lsp tree, the decoded text, its line index and the error-severity syntax issues."""

    path: str
    text: str
    script: ast.Script
    issues: tuple[SyntaxIssue, ...]
    lines: LineIndex

    def location(self, offset: int) -> Location:
        line, col = self.lines.line_col(offset)
        return Location(self.path, line, col)

    def first_error(self, array_spans: Iterable[tuple[int, int]] = ()) -> SyntaxIssue | None:
        """The first issue that is a real error, given the braces the compiler read as array literals."""
        spans = sorted(array_spans)
        for issue in self.issues:
            if issue.rule in HEAD_RULES and _inside(spans, issue.start):
                continue
            return issue
        return None

    def errors_between(self, start: int, end: int, array_spans: Iterable[tuple[int, int]] = ()) -> SyntaxIssue | None:
        """The first real error inside ``[start, end)`` (import mode checks each top-level line on its own)."""
        spans = sorted(array_spans)
        for issue in self.issues:
            if start <= issue.start < end and not (issue.rule in HEAD_RULES and _inside(spans, issue.start)):
                return issue
        return None


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(a < offset < b for a, b in spans)


def parse(source: bytes | str, path: str = "<script>") -> Parsed:
    """Parse a source. Never raises for bad syntax: the issues are in :attr:`Parsed.issues` (see parse_strict).

    Results are cached by (source, path): a :class:`Parsed` and its tree are never changed after parsing, and the
    emulator loads the same install.rsc and scripts on every router it builds."""
    return _parse(source, path)


@functools.lru_cache(maxsize=256)
def _parse(source: bytes | str, path: str) -> Parsed:
    text = decode(source) if isinstance(source, bytes) else source
    result = lsp_parse(text)
    lines = LineIndex(text)
    issues = []
    for d in result.diagnostics:
        # Warnings (a stray backslash, a "#" after a command word) are not load failures on a router: RouterOS ignores
        # the backslash [O lsp L-03]; the "#" becomes a surplus argument, which command resolution rejects [O lsp L-01].
        if RULES[d.rule].severity != "error":
            continue
        line, col = lines.line_col(d.start)
        issues.append(SyntaxIssue(d.rule, d.message, d.start, d.end, Location(path, line, col)))
    return Parsed(path, text, result.script, tuple(issues), lines)


def parse_strict(source: bytes | str, path: str = "<script>") -> Parsed:
    """Parse and raise :class:`SyntaxFailure` for the first error (no brace is known to be an array here)."""
    parsed = parse(source, path)
    issue = parsed.first_error()
    if issue is not None:
        raise SyntaxFailure(issue)
    return parsed


# --- string literals -------------------------------------------------------------------------------------------------

StringPiece = bytes | ast.VariablePart | ast.ExpressionPart | ast.CommandPart


def string_pieces(literal: ast.StringLit) -> list[StringPiece]:
    """The literal as constant byte runs and substitutions, adjacent constants merged.

    A text part is encoded back to its source bytes; an escape is the single byte it stands for, so ``\\E2\\9D\\A4`` is
    three bytes, not the UTF-8 of three code points [D HELP]; ``\\f`` is 0x0C [O lsp E-01]; a backslash before a line
    break stands for nothing [O lsp L-04].
    """
    out: list[StringPiece] = []
    run = bytearray()
    for part in literal.parts:
        if isinstance(part, ast.TextPart):
            run += text_bytes(part.text)
        elif isinstance(part, ast.EscapePart):
            run += bytes(ord(c) for c in part.text)
        else:
            if run:
                out.append(bytes(run))
                run = bytearray()
            out.append(part)
    if run or not out:
        out.append(bytes(run))
    return out


def literal_bytes(literal: ast.StringLit) -> bytes | None:
    """The bytes of a string with no ``$`` substitution in it, else None."""
    pieces = string_pieces(literal)
    if len(pieces) == 1 and isinstance(pieces[0], bytes):
        return pieces[0]
    return None


def source_slice(parsed_text: str, start: int, end: int) -> bytes:
    """The source bytes between two offsets (e.g. the inside of ``source={ … }``)."""
    return text_bytes(parsed_text[start:end])


def statement_lines(parsed: Parsed) -> list[list[ast.Statement]]:
    """Top-level statements grouped into the lines ``/import`` runs one by one.

    A line ends at a line break that no backslash joins; a ``{ … }`` spanning many lines is one line, and so is a
    ``\\``-joined line; ``;`` does not end it [O lsp probes d1, h25, q1].
    """
    groups: list[list[ast.Statement]] = []
    previous_end = 0
    for statement in parsed.script.statements:
        if not groups or _breaks_line(parsed.text, previous_end, statement.start):
            groups.append([])
        groups[-1].append(statement)
        previous_end = statement.end
    return groups


def _breaks_line(text: str, start: int, end: int) -> bool:
    """Whether a line break not joined by a backslash lies between two offsets."""
    i = start
    while i < end:
        c = text[i]
        if c == "\n" and i > start and text[i - 1] == "\r":
            pass  # the LF of a CR LF pair: the break was judged at the CR
        elif c == "\n" or c == "\r":
            p = i - 1
            while p >= start and text[p] in " \t":
                p -= 1
            if p < start or text[p] != "\\":
                return True
        i += 1
    return False
