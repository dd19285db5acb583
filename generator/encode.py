"""The one RouterOS literal encoder: every value from the config or the router that reaches generated source.

Output is :class:`Rsc`, a ``str`` subclass that only this module constructs (``render.py`` makes its Jinja environment
refuse anything else in ``{{ … }}``), so a raw value cannot reach a script by accident.

String literals (Scripting manual, "Strings"; routeros-scripting.md §1.5):

* ``\\`` ``"`` ``$`` ``?`` are escaped: ``$`` would start an interpolation and ``?`` is the help key in a terminal;
* LF, CR and TAB become ``\\n`` ``\\r`` ``\\t``; every other control byte and every byte ≥ 0x80 (UTF-8 of non-ASCII
  text) becomes ``\\XX`` with upper-case hex (``\\4f`` is a syntax error, routeros-lsp E-03), so scripts and the
  mails they send stay 7-bit ASCII on the router;
* long literals may be wrapped with a backslash-newline *inside* the string: RouterOS drops the backslash, the line
  break and the next line's leading white space (Scripting manual, "Line joining"; routeros-lsp L-04), so a wrap
  goes after a space or a ``\\n`` and before a non-space: words are not split and no byte is lost.

Must not: know templates, dialects or what the values mean.
"""

from __future__ import annotations

import re
from typing import LiteralString

_SIMPLE = {0x5C: "\\\\", 0x22: '\\"', 0x24: "\\$", 0x3F: "\\?", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
_TIME = re.compile(r"^(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$|^\d{1,2}:\d{2}:\d{2}$")
_WORD = re.compile(r"^[a-z][a-z0-9-]*$")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class Rsc(str):
    """RouterOS source text produced by this module. ``+`` joins two Rsc values only (see :func:`join`)."""

    __slots__ = ()

    def __add__(self, other: str) -> Rsc:
        if not isinstance(other, Rsc):
            raise TypeError("only encoder output (Rsc) can be joined to RouterOS source")
        return Rsc(str.__add__(self, other))


def _escape_bytes(data: bytes) -> list[str]:
    """One token per byte, so a wrap never splits an escape."""
    out = []
    for byte in data:
        if byte in _SIMPLE:
            out.append(_SIMPLE[byte])
        elif 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:02X}")
    return out


def string(value: str | bytes, *, wrap: int = 0, indent: str = "    ") -> Rsc:
    """A double-quoted RouterOS string literal that decodes back to exactly ``value``'s UTF-8 bytes.

    ``wrap``: break the literal into physical lines of about that many characters (0 = one line), at word
    boundaries and after every line break of the value (a script embedded in install.rsc reads line by line).
    """
    if not isinstance(value, str | bytes):
        raise TypeError(f"string() takes text, not {type(value).__name__}")
    data = value.encode("utf-8") if isinstance(value, str) else value
    tokens = _escape_bytes(data)
    if not wrap:
        return Rsc('"' + "".join(tokens) + '"')
    lines: list[str] = []
    current = ['"']  # the tokens of the physical line being filled
    width = 1
    cut_at: int | None = None  # where in ``current`` the last allowed cut is
    after_newline = False
    for position, token in enumerate(tokens):
        previous = tokens[position - 1] if position else ""
        # A cut goes only after a space or a \n and before a non-space: RouterOS drops the backslash, the line break
        # and the next line's leading white space, so no byte is lost and no word is split. After a \n the cut comes at
        # the first such place (one line of an embedded script per physical line); otherwise at the last such place
        # that keeps the line within ``wrap``.
        if previous in (" ", "\\n") and token != " ":
            cut_at = len(current)
            if after_newline:
                lines.append("".join(current) + "\\")
                current, width, cut_at = [indent], len(indent), None
            after_newline = False
        if width + len(token) > wrap and cut_at is not None and cut_at > 1:
            lines.append("".join(current[:cut_at]) + "\\")
            current = [indent, *current[cut_at:]]
            width, cut_at = sum(len(t) for t in current), None
        elif width >= wrap + 25 and token != " " and previous != " ":
            # No space for long (an array literal of an embedded script): cut between two tokens after all.
            lines.append("".join(current) + "\\")
            current, width, cut_at = [indent], len(indent), None
        current.append(token)
        width += len(token)
        if token == "\\n":
            after_newline = True
    lines.append("".join(current) + '"')
    return Rsc("\n".join(lines))


def string_text(value: str) -> Rsc:
    """The escaped inside of a string literal, without its quotes: fixed text that a template splices into a literal
    of its own (``:log info "{{ log }}done"``). Printable ASCII only."""
    if not all(0x20 <= ord(c) < 0x7F for c in value):
        raise ValueError(f"{value!r} is not printable ASCII")
    return Rsc("".join(_escape_bytes(value.encode("ascii"))))


def number(value: int) -> Rsc:
    """A RouterOS num literal (signed 64-bit)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"number() takes an int, not {type(value).__name__}")
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError(f"{value} does not fit a RouterOS num (signed 64-bit)")
    return Rsc(str(value))


def boolean(value: bool) -> Rsc:
    if not isinstance(value, bool):
        raise TypeError(f"boolean() takes a bool, not {type(value).__name__}")
    return Rsc("true" if value else "false")


def time(value: str) -> Rsc:
    """A RouterOS time word such as ``5s``, ``1d`` or ``23:50:00`` (validated, emitted bare as exports do)."""
    if not isinstance(value, str) or not value or not _TIME.match(value):
        raise ValueError(f"{value!r} is not a RouterOS time")
    return Rsc(value)


def word(value: str) -> Rsc:
    """A bare RouterOS word from a closed vocabulary (e.g. ``starttls``): lower-case letters, digits and ``-`` only."""
    if not isinstance(value, str) or not _WORD.match(value):
        raise ValueError(f"{value!r} is not a plain RouterOS word")
    return Rsc(value)


def value(item: object) -> Rsc:
    """Encodes by type: bool, int, str/bytes. Anything else is refused."""
    if isinstance(item, Rsc):
        return item
    if isinstance(item, bool):
        return boolean(item)
    if isinstance(item, int):
        return number(item)
    if isinstance(item, str | bytes):
        return string(item)
    raise TypeError(f"cannot encode {type(item).__name__} for RouterOS")


def array(items: dict[str, object] | list[object]) -> Rsc:
    """An array literal: ``{"k"=v;…}`` (keys encoded as strings) or ``{v;…}``. Values may be nested dicts/lists."""
    if isinstance(items, dict):
        parts = [string(k) + Rsc("=") + _element(v) for k, v in items.items()]
    else:
        parts = [_element(v) for v in items]
    return Rsc("{" + ";".join(parts) + "}")


def _element(item: object) -> Rsc:
    if isinstance(item, dict | list):
        return array(item)
    return value(item)


def join(parts: list[Rsc], separator: str = "") -> Rsc:
    """Joins encoder output with a separator made only of white space, ``;`` or ``.`` operators."""
    if separator.strip(" \n;.") != "":
        raise ValueError("separator must be white space, ';' or ' . '")
    for part in parts:
        if not isinstance(part, Rsc):
            raise TypeError("join() takes encoder output only")
    return Rsc(separator.join(parts))


def variable(name: str) -> Rsc:
    """A reference ``$name`` to a variable the templates declare (letters and digits, routeros-scripting.md §1.7)."""
    return Rsc("$" + identifier(name))


def identifier(name: str) -> Rsc:
    """A variable name as ``:global``/``:local`` declare it: letters and digits (routeros-scripting.md §1.7)."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
        raise ValueError(f"{name!r} is not a plain variable name")
    return Rsc(name)


def command_subst(expression: Rsc) -> Rsc:
    """``[…]`` around encoder output (used for ``[:pick $period 0 4]``-style placeholders)."""
    if not isinstance(expression, Rsc):
        raise TypeError("command_subst() takes encoder output only")
    return Rsc("[" + expression + "]")


def decode(literal: str) -> bytes:
    """Inverse of :func:`string` for tests and the round-trip property: the bytes a RouterOS literal stands for."""
    if len(literal) < 2 or literal[0] != '"' or literal[-1] != '"':
        raise ValueError("not a quoted literal")
    body = literal[1:-1]
    out = bytearray()
    i = 0
    simple = {"\\": 0x5C, '"': 0x22, "$": 0x24, "?": 0x3F, "n": 0x0A, "r": 0x0D, "t": 0x09, "_": 0x20}
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "\n":  # line join inside a string: drop the break and the next line's leading blanks
            i += 2
            while i < len(body) and body[i] in " \t":
                i += 1
        elif nxt in simple:
            out.append(simple[nxt])
            i += 2
        else:
            out.append(int(body[i + 1 : i + 3], 16))
            i += 3
    return bytes(out)


_MENU = re.compile(r"^/[a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)*$")


def menu(path: str) -> Rsc:
    """A menu path such as ``/tool user-manager`` (from the dialect table, validated like any other value)."""
    if not isinstance(path, str) or not _MENU.match(path):
        raise ValueError(f"{path!r} is not a RouterOS menu path")
    return Rsc(path)


def word_list(values: list[str] | tuple[str, ...]) -> Rsc:
    """A comma-separated list of bare words, e.g. ``read,write,test`` for ``policy=``."""
    return Rsc(",".join(word(v) for v in values))


def fragment(code: LiteralString) -> Rsc:
    """A piece of fixed RouterOS code written in rosbill's own source (never a value: the type says literal string)."""
    return Rsc(code)


def indent(code: Rsc, spaces: int) -> Rsc:
    """Re-indents encoder output (keeps it Rsc), for placing a compiled block inside a template."""
    if not isinstance(code, Rsc):
        raise TypeError("indent() takes encoder output only")
    pad = " " * spaces
    return Rsc("\n".join(pad + line if line else line for line in code.split("\n")))


def comment_text(value: str) -> Rsc:
    """Text for a ``#`` comment line: printable ASCII only, so it can neither end the comment nor hide bytes."""
    if not isinstance(value, str) or not all(0x20 <= ord(c) < 0x7F for c in value):
        raise ValueError(f"{value!r} cannot go into a RouterOS comment line")
    return Rsc(value)
