"""Text ↔ RouterOS values at the API boundary.

Every API value is a byte string. Going in, the router menu's declared property type (``MenuNode.types``, ``:typeof``
names) decides how ``=name=value`` is parsed: ``bool`` takes ``true/false`` and ``yes/no``, ``id`` takes ``*1A``,
``num`` decimal or ``0x`` hex, ``time`` the forms a script may write (``1d2h3m``, ``00:10:00``, ``1d00:00:00``, bare
seconds), ``array`` a comma list; a property without a declared type travels as bytes and the router parses it as it
parses a script's string argument. Going out, values render as the API renders them: booleans ``true``/``false``
(platform.md §5.2, [SEEN] pear2 issue 21), ids ``*1A``, times like ``1d00:00:00``, lists comma-separated.

Queries compare against the *row's* value, so their text is parsed by the type of the value found in the row.

Must not: know menus, commands or versions; raise anything but :class:`ConversionError`.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from emulator.values import IP, IP6, NIL, NOTHING, Array, Id, IP6Prefix, IPPrefix, Time, tostr

Value = Any


class ConversionError(ValueError):
    """The text is not a valid value of the property's type."""


_TRUE = frozenset({b"true", b"yes"})
_FALSE = frozenset({b"false", b"no"})
_ID = re.compile(rb"^\*([0-9A-Fa-f]{1,16})$")
_NUM = re.compile(rb"^[+-]?(?:0[xX][0-9A-Fa-f]+|\d+)$")
_UNIT_NS = {
    b"w": 604800 * 10**9,
    b"d": 86400 * 10**9,
    b"h": 3600 * 10**9,
    b"m": 60 * 10**9,
    b"s": 10**9,
    b"ms": 10**6,
    b"us": 10**3,
    b"ns": 1,
}
_TIME = re.compile(
    rb"^(?P<sign>-)?(?P<units>(?:\d+(?:ms|us|ns|w|d|h|m|s))*)\s*"
    rb"(?:(?P<h>\d+):(?P<m>\d{1,2})(?::(?P<s>\d{1,2})(?:\.(?P<frac>\d{1,9}))?)?)?$"
)
_UNIT = re.compile(rb"(\d+)(ms|us|ns|w|d|h|m|s)")


def parse_bool(text: bytes) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConversionError(f"{text!r} is not a boolean (true/false, yes/no)")


def parse_id(text: bytes) -> Id:
    found = _ID.match(text)
    if not found:
        raise ConversionError(f"{text!r} is not an internal id like *1A")
    return Id(int(found.group(1), 16))


def parse_num(text: bytes) -> int:
    if not _NUM.match(text):
        raise ConversionError(f"{text!r} is not a number")
    return int(text, 0) if b"x" in text.lower() else int(text)


def parse_time(text: bytes) -> Time:
    """``1w2d3h4m5s``, ``200ms``, ``00:10:00``, ``10:00`` (hours:minutes), ``1d00:00:00``, ``1d 00:00:00``, ``3600``."""
    if text.isdigit():  # a bare number is seconds, as on the CLI [I] routeros-scripting.md §3
        return Time.seconds(int(text))
    found = _TIME.match(text.strip())
    if not found or not (found.group("units") or found.group("h")):
        raise ConversionError(f"{text!r} is not a time")
    ns = sum(int(n) * _UNIT_NS[unit] for n, unit in _UNIT.findall(found.group("units")))
    if found.group("h"):
        ns += (int(found.group("h")) * 3600 + int(found.group("m")) * 60 + int(found.group("s") or 0)) * 10**9
        ns += int((found.group("frac") or b"0").ljust(9, b"0"))
    return Time(-ns if found.group("sign") else ns)


def parse_item_ref(text: bytes) -> Value:
    """``.id`` / ``numbers``: ``*1A`` → Id, a comma list → Array, anything else a name (bytes).

    Names work where the menu has unique names ([SEEN] S20 t/49231: ``=.id=name`` for interfaces).
    """
    parts = text.split(b",")
    refs = [parse_id(part) if _ID.match(part) else part for part in parts]
    return refs[0] if len(refs) == 1 else Array(list(refs))


def to_router(text: bytes, kind: str | None) -> Value:
    """The router value for attribute text of a property declared as ``kind`` (a ``:typeof`` name, or None)."""
    if kind is None or kind == "str":
        return text
    if kind == "bool":
        return parse_bool(text)
    if kind == "num":
        return parse_num(text)
    if kind == "time":
        return parse_time(text)
    if kind == "id":
        return parse_item_ref(text)
    if kind == "array":
        return Array([part for part in text.split(b",")] if text else [])
    try:
        if kind == "ip":
            return IP(ipaddress.IPv4Address(text.decode()))
        if kind == "ip-prefix":
            return IPPrefix(ipaddress.IPv4Network(text.decode(), strict=False))
        if kind == "ip6":
            return IP6(ipaddress.IPv6Address(text.decode()))
        if kind == "ip6-prefix":
            return IP6Prefix(ipaddress.IPv6Network(text.decode(), strict=False))
    except (ValueError, UnicodeDecodeError) as bad:
        raise ConversionError(f"{text!r} is not a valid {kind}") from bad
    return text  # a type this layer does not know: let the router parse the text


def to_api(value: Value) -> bytes | None:
    """The text an API reply carries for a router value; None for nil/nothing (the property is left out)."""
    if value is NIL or value is NOTHING:
        return None
    if isinstance(value, Array) and not value.keyed:
        # List properties (policy, days, ...) come back comma-separated, as they are written [SEEN] S7/S14.
        return b",".join(to_api(element) or b"" for element in value.items)
    return tostr(value)  # the script text form: bytes, true/false, decimal numbers, *1A, addresses, k=v;...


# --- queries -----------------------------------------------------------------------------------------------------


def _query_operand(row_value: Value, text: bytes) -> Value:
    """The query text parsed as the row value's type, so ``?disabled=yes`` matches ``True`` and ``?.id=*a`` ``*A``."""
    if isinstance(row_value, bool):
        return parse_bool(text)
    if isinstance(row_value, int):
        return parse_num(text)
    if isinstance(row_value, Time):
        return parse_time(text)
    if isinstance(row_value, Id):
        return parse_id(text)
    return None


def query_equal(row_value: Value, text: bytes) -> bool:
    try:
        operand = _query_operand(row_value, text)
    except ConversionError:
        return False
    if operand is not None:
        return bool(operand == row_value)
    return to_api(row_value) == text


def query_compare(row_value: Value, text: bytes) -> int | None:
    """-1/0/1 comparing the row value with the query text, or None when they cannot be ordered."""
    try:
        operand = _query_operand(row_value, text)
    except ConversionError:
        return None
    if operand is not None and not isinstance(row_value, bool):
        return int(row_value > operand) - int(row_value < operand)
    rendered = to_api(row_value)
    if rendered is None:
        return None
    return int(rendered > text) - int(rendered < text)


def has_value(value: Value) -> bool:
    return value is not None and value is not NIL and value is not NOTHING
