"""Wraps generated RouterOS source to a line width without changing what the router reads.

Long comment lines are re-flowed into several comment lines. A long line of code is cut after a space and before a
non-space, with a trailing backslash: RouterOS joins a line that ends in a backslash with the next one (Scripting
manual, "Line joining", help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting), and inside a string it also
drops the next line's leading white space, so the cut loses no byte either way. Lines that start inside a string (a
literal the encoder already wrapped) are left alone.

Must not: know templates, dialects or what the code means.
"""

from __future__ import annotations

import re

#: Generated lines are wrapped to this width (comments re-flowed, code joined with a trailing backslash).
LINE_WIDTH = 120
_BLOCK = re.compile(r"(?:do|else|on-error)=\{")
_COMMENT_LEAD = re.compile(r"^(\s*)#(\s*(?:\d+\.\s+|[-*]\s+)?)")


def wrap_lines(text: str, width: int = LINE_WIDTH) -> str:
    """Every line longer than ``width`` wrapped at word boundaries, without changing what RouterOS reads.

    A comment line becomes several comment lines. A line of code is cut after a space and before a non-space with
    a trailing backslash: RouterOS joins a line that ends in a backslash with the next one (Scripting manual,
    "Line joining", help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting), and inside a string it also drops
    the next line's leading white space, so the cut loses no byte either way. The continuation is indented 4 more.
    """
    out: list[str] = []
    quoted = False  # does the line start inside a string (a literal the encoder already wrapped)? Then it stays.
    for line in text.split("\n"):
        starts_quoted = quoted
        if not _COMMENT_LEAD.match(line) or starts_quoted:
            quoted = _string_open_at_end(line, starts_quoted)
        if len(line) <= width or starts_quoted:
            out.append(line)
        elif _COMMENT_LEAD.match(line):
            out.extend(_wrap_comment(line, width))
        else:
            out.extend(_wrap_code(line, width))
    return "\n".join(out)


def _string_open_at_end(line: str, inside: bool) -> bool:
    escape = False
    for char in line:
        if escape:
            escape = False
        elif char == "\\" and inside:
            escape = True
        elif char == '"':
            inside = not inside
    return inside


def _wrap_comment(line: str, width: int) -> list[str]:
    lead = _COMMENT_LEAD.match(line)
    assert lead is not None
    indent, marker = lead.group(1), lead.group(2)
    first = f"{indent}#{marker}"
    rest = f"{indent}#{' ' * len(marker)}" if marker.strip() else first
    body = line[lead.end() :]
    ruler = re.search(r" -{4,}$", body)
    if ruler:  # a section ruler (# --- the ledger -----): shortened to the width, not wrapped
        return [line[: max(width, len(line) - len(ruler.group()) + 5)]]
    words = body.split(" ")
    lines, current = [], first
    for word in words:
        if current not in (first, rest) and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = rest
        current += word if current in (first, rest) else " " + word
    lines.append(current)
    return lines


def _wrap_code(line: str, width: int) -> list[str]:
    indent = line[: len(line) - len(line.lstrip(" "))]
    lines = []
    while len(line) > width:
        cut = _cut(line, len(indent) + 8, width - 2)
        if cut is None:
            break
        lines.append(line[:cut] + "\\")
        line = indent + "    " + line[cut:]
    lines.append(line)
    return lines


def _cut(line: str, start: int, end: int) -> int | None:
    """Where to cut ``line`` (between ``start`` and ``end``): after a space and before a non-space other than ``#``
    (a joined line that starts with ``#`` would be a comment), the space not escaped. A place between two tokens
    is preferred to one inside a string, if it leaves the line at least half full."""
    quoted = _inside_strings(line)
    places = [
        position
        for position in range(start + 1, min(end, len(line) - 1) + 1)
        if line[position - 1] == " " and line[position] not in " #" and not _escaped(line, position - 1)
    ]
    # A continuation of a few characters reads badly; so does a first line with little on it.
    places = [p for p in places if len(line) - p >= 12] or places
    between = [p for p in places if not quoted[p - 1] and p >= start + 30]
    # Best before a block (`do={`, `else={`, `on-error={`): the condition stays on the first line.
    blocks = [p for p in places if not quoted[p - 1] and p >= start + 16 and _BLOCK.match(line, p)]
    for choice in (blocks, between, places):
        if choice:
            return choice[-1]
    return None


def _inside_strings(line: str) -> list[bool]:
    """For each character of a line of code: is it inside a double-quoted string?"""
    inside, escape, out = False, False, []
    for char in line:
        out.append(inside)
        if escape:
            escape = False
        elif char == "\\" and inside:
            escape = True
        elif char == '"':
            inside = not inside
    return out


def _escaped(line: str, position: int) -> bool:
    backslashes = len(line[:position]) - len(line[:position].rstrip("\\"))
    return backslashes % 2 == 1
