"""POSIX extended regular expressions (the ``~`` operator) translated to Python ``re`` on bytes.

RouterOS matches ``subject ~ pattern`` with POSIX ERE [D HELP "Operators"]. The operator only answers *whether* the
pattern matches somewhere, so the leftmost-longest rule of POSIX and the leftmost-first rule of Python give the same
answer and only the syntax needs translating:

* ``.`` matches any byte including a newline, and ``$`` matches only at the very end (no ``REG_NEWLINE``);
* a backslash escapes the next character literally: ``\\d``, ``\\w``, ``\\b`` are Perl extensions, not ERE [I];
* inside a bracket expression a backslash is an ordinary character, ``]`` first is literal, and ``[:digit:]`` style
  classes are POSIX (reported unsupported on RouterOS by some users [I]; supported here);
* ``(?`` and other Python-only constructs never arise because ``?`` after ``(`` is literal in ERE [I].

Must not: evaluate anything but patterns. A pattern Python cannot compile raises :class:`RegexError`.
"""

from __future__ import annotations

import re

_CLASSES = {
    "alpha": b"a-zA-Z",
    "digit": b"0-9",
    "alnum": b"a-zA-Z0-9",
    "upper": b"A-Z",
    "lower": b"a-z",
    "space": b" \\t\\n\\r\\f\\v",
    "blank": b" \\t",
    "punct": rb"!-/:-@\[-`{-~",
    "xdigit": b"0-9A-Fa-f",
    "cntrl": b"\\x00-\\x1f\\x7f",
    "print": b"\\x20-\\x7e",
    "graph": b"\\x21-\\x7e",
}


class RegexError(ValueError):
    pass


_cache: dict[bytes, re.Pattern[bytes]] = {}


def search(pattern: bytes, subject: bytes) -> bool:
    compiled = _cache.get(pattern)
    if compiled is None:
        compiled = compile_ere(pattern)
        if len(_cache) > 512:
            _cache.clear()
        _cache[pattern] = compiled
    return compiled.search(subject) is not None


def compile_ere(pattern: bytes) -> re.Pattern[bytes]:
    try:
        return re.compile(translate(pattern), re.DOTALL)
    except re.error as error:
        raise RegexError(str(error)) from None


def translate(pattern: bytes) -> bytes:
    out = bytearray()
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i : i + 1]
        if c == b"\\":
            if i + 1 < n:
                out += re.escape(pattern[i + 1 : i + 2])
                i += 2
            else:
                out += b"\\\\"
                i += 1
        elif c == b"[":
            text, i = _bracket(pattern, i)
            out += text
        elif c == b"$":
            out += rb"\Z"
            i += 1
        elif c == b"(" and pattern[i + 1 : i + 2] == b"?":
            out += b"(\\?"
            i += 2
        elif c == b"{" and not re.match(rb"\{\d+(,\d*)?\}", pattern[i:]):
            out += b"\\{"
            i += 1
        else:
            out += c
            i += 1
    return bytes(out)


def _bracket(pattern: bytes, start: int) -> tuple[bytes, int]:
    """Translates ``[…]`` starting at ``start``; returns the Python text and the index after the closing ``]``."""
    i = start + 1
    n = len(pattern)
    out = bytearray(b"[")
    if pattern[i : i + 1] == b"^":
        out += b"^"
        i += 1
    first = True
    while i < n:
        c = pattern[i : i + 1]
        if c == b"]" and not first:
            out += b"]"
            return bytes(out), i + 1
        if c == b"[" and pattern[i + 1 : i + 2] in (b":", b".", b"="):
            kind = pattern[i + 1 : i + 2]
            end = pattern.find(kind + b"]", i + 2)
            if end < 0:
                raise RegexError("unterminated character class")
            name = pattern[i + 2 : end].decode("latin-1")
            if kind == b":":
                if name not in _CLASSES:
                    raise RegexError(f"unknown character class [:{name}:]")
                out += _CLASSES[name]
            else:
                out += re.escape(name.encode("latin-1"))
            i = end + 2
        elif c in (b"\\", b"[", b"]", b"&", b"~", b"|") or (c == b"^" and not first):
            out += b"\\" + c
            i += 1
        else:
            out += c
            i += 1
        first = False
    raise RegexError("brackets ([ ]) not balanced")
