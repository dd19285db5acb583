"""Text → value: the typing of bare words (``10s``, ``1.1``, ``0x1F``) and the ``:to*`` conversion commands.

RouterOS types a bare word by its shape when the script is compiled [D HELP "Data types"]; the same parsers serve
``:tonum``, ``:totime``, ``:toip`` … at run time, which return ``nil`` when the input does not convert [D HELP: "If a
conversion cannot apply … output will be empty"]. Results for odd input follow routeros-scripting.md §2.4.

Must not: know operators, variables or menus. Pure functions of values.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re

from emulator.values import (
    IP,
    IP6,
    NIL,
    NOTHING,
    Array,
    Id,
    IP6Prefix,
    IPPrefix,
    Time,
    Value,
    saturate,
    tostr,
)

_DECIMAL = re.compile(r"-?[0-9]+\Z")
_HEX = re.compile(r"-?0x[0-9a-fA-F]+\Z")
_UNITS = re.compile(
    r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)(?:\.(\d{1,9}))?s)?(?:(\d+)ms)?(?:(\d+)us)?(?:(\d+)ns)?\Z"
)
_CLOCK = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(\d+):(\d+)(?::(\d+)(?:\.(\d{1,9}))?)?\Z")
_DATETIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d))?\Z")
_ID = re.compile(r"\*[0-9A-Fa-f]{1,16}\Z")
_DOTTED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){1,3}\Z")

NS = 1_000_000_000
_UNIT_NS = (7 * 86400 * NS, 86400 * NS, 3600 * NS, 60 * NS)


def parse_num(text: str) -> int | None:
    """Decimal (leading zeros stay decimal: ``"08"`` is 8 [I, ISO-date parsers rely on it]) or ``0x`` hex [D HELP].

    Values beyond int64 saturate, as literals do (forum topic 157085).
    """
    if _DECIMAL.match(text):
        return saturate(int(text))
    if _HEX.match(text):
        return saturate(int(text, 16))
    return None


def parse_time(text: str) -> int | None:
    """A time literal in nanoseconds: ``1w2d3h4m5s``, ``200ms``, ``00:01:02``, ``10:00`` (10 hours [D HELP]), with an
    optional leading ``-``. None when the text is no time."""
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if not body:
        return None
    found = _CLOCK.match(body)
    if found:
        w, d, h, m, s, frac = found.groups()
        ns = (int(h) * 3600 + int(m) * 60 + int(s or 0)) * NS + int((frac or "").ljust(9, "0") or 0)
        ns += int(w or 0) * _UNIT_NS[0] + int(d or 0) * _UNIT_NS[1]
    else:
        found = _UNITS.match(body)
        if not found or not any(found.groups()):
            return None
        w, d, h, m, s, frac, ms, us, n = found.groups()
        ns = sum(int(v or 0) * unit for v, unit in zip((w, d, h, m), _UNIT_NS, strict=True))
        ns += int(s or 0) * NS + int((frac or "").ljust(9, "0") or 0)
        ns += int(ms or 0) * 1_000_000 + int(us or 0) * 1_000 + int(n or 0)
    return -ns if negative else ns


def parse_ip(text: str) -> IP | None:
    """Dotted IPv4. Short forms fill from the right like inet_aton: ``1.1`` is 1.0.0.1 (``:typeof 1.1`` is ip, forum
    topic 182244), ``10.1.2`` is 10.1.0.2 [I]."""
    if not _DOTTED.match(text):
        return None
    parts = [int(p) for p in text.split(".")]
    if any(p > 255 for p in parts):
        return None
    if len(parts) < 4:
        parts = parts[:-1] + [0] * (4 - len(parts)) + parts[-1:]
    return IP(ipaddress.IPv4Address(".".join(map(str, parts))))


def parse_ip_prefix(text: str) -> IPPrefix | None:
    """``10.0.0.0/8``. A literal with host bits keeps them (``/ip address add address=10.0.0.1/24``) [I]."""
    address, slash, length = text.partition("/")
    if not slash or not length.isdigit() or int(length) > 32:
        return None
    ip = parse_ip(address)
    if ip is None:
        return None
    network = ipaddress.IPv4Network(f"{ip.address}/{int(length)}", strict=False)
    return IPPrefix(network, ip.address if ip.address != network.network_address else None)


def parse_ip6(text: str) -> IP6 | IP6Prefix | None:
    if ":" not in text:
        return None
    try:
        if "/" in text:
            network = ipaddress.IPv6Network(text, strict=False)
            host = ipaddress.IPv6Address(text.split("/")[0])
            return IP6Prefix(network, host if host != network.network_address else None)
        return IP6(ipaddress.IPv6Address(text))
    except ValueError:
        return None


def parse_id(text: str) -> Id | None:
    return Id(int(text[1:], 16)) if _ID.match(text) else None


_WORDS = {"true": True, "false": False, "yes": True, "no": False}


def word_value(text: str) -> Value:
    """The value a bare word compiles to. ``yes``/``no`` become bool [O il]; ``10:00`` is a time, not an IPv6 address
    [D HELP]; anything without another shape is a string."""
    if text in _WORDS:
        return _WORDS[text]
    first = text[:1]
    if first.isdigit() or first == "-":
        number = parse_num(text)
        if number is not None:
            return number
        if "." in text:
            address = parse_ip_prefix(text) if "/" in text else parse_ip(text)
            if address is not None:
                return address
    if first == "*":
        ident = parse_id(text)
        if ident is not None:
            return ident
    time_ns = parse_time(text)
    if time_ns is not None:
        return Time(time_ns)
    if ":" in text:
        ip6 = parse_ip6(text)
        if ip6 is not None:
            return ip6
    return text.encode("ascii", "surrogateescape")


# --- the :to* commands ------------------------------------------------------------------------------------------------


_OCTAL = re.compile(r"-?0[0-9]+\Z")


def tonum(value: Value, *, octal: bool = False) -> Value:
    """``:tonum``. A time gives whole seconds (``:tonum 1s`` is 1 [O fx]); a bool 1/0 [I]; an id its number [I].

    ``octal`` (``Behaviour.tonum_leading_zero="octal"``, the alternative to the undocumented decimal reading that date
    code relies on, router-review.md row 12): a string with a leading 0 and more digits is octal, as C's ``strtol``
    with base 0 reads it (``"010"`` is 8), and one with an 8 or 9 in it (``"08"``, ``"09"``) is nil [INF]."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int):
        return value
    if isinstance(value, bytes):
        text = value.decode("latin-1")
        if octal and _OCTAL.match(text):
            try:
                return saturate(int(text, 8))
            except ValueError:
                return NIL  # an 8 or 9 is no octal digit
        number = parse_num(text)
        return NIL if number is None else number
    if isinstance(value, Time):
        return int(value.ns / NS) if value.ns < 0 else value.ns // NS
    if isinstance(value, Id):
        return value.value
    return NIL


def totime(value: Value) -> Value:
    """``:totime``. A number counts seconds [I]; ``"2023-08-18 00:00:00"`` is the time since the epoch (forum topic
    168851), the ``T`` separator form fails; a bare ISO date is midnight of that day [I, HABR]."""
    if isinstance(value, Time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Time(value * NS)
    if isinstance(value, bytes):
        text = value.decode("latin-1")
        ns = parse_time(text)
        if ns is not None:
            return Time(ns)
        if _DECIMAL.match(text):
            return Time(int(text) * NS)
        found = _DATETIME.match(text)
        if found:
            y, mo, d, h, mi, s = (int(g or 0) for g in found.groups())
            try:
                moment = dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.UTC)
            except ValueError:
                return NIL  # a date that does not exist is no time [I]
            return Time(int(moment.timestamp()) * NS)
    return NIL


def tonsec(value: Value) -> Value:
    """``:tonsec``: nanoseconds of a time (``:tonsec 10:00`` is 36000000000000 [D HELP]); other input converts via
    :func:`totime` first [I]."""
    converted = totime(value) if not isinstance(value, Time) else value
    return converted.ns if isinstance(converted, Time) else NIL


def tobool(value: Value) -> Value:
    """``:tobool``: 0 is false, any other number true [I, forum topic 130860]; ``"anystring"`` is nil (forum 179166);
    the words true/false/yes/no convert [I]."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, bytes):
        word = _WORDS.get(value.decode("latin-1"))
        return NIL if word is None else word
    return NIL


def toip(value: Value) -> Value:
    if isinstance(value, IP):
        return value
    if isinstance(value, bytes):
        ip = parse_ip(value.decode("latin-1"))
        return NIL if ip is None else ip
    return NIL


def toip6(value: Value) -> Value:
    if isinstance(value, IP6 | IP6Prefix):
        return value
    if isinstance(value, bytes):
        ip6 = parse_ip6(value.decode("latin-1"))
        return NIL if ip6 is None else ip6
    return NIL


def toid(value: Value) -> Value:
    if isinstance(value, Id):
        return value
    if isinstance(value, bytes):
        ident = parse_id(value.decode("latin-1"))
        return NIL if ident is None else ident
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return Id(value)
    return NIL


def toarray(value: Value, delimiter: bytes = b",") -> Array:
    """``:toarray``: a string splits on commas (or ``delimiter=``, 7.21 [EW cae039ef]) into string elements [D HELP, I:
    the element type]; ``""``, nil and nothing give an empty array [D TIPS]; another value a one-element array."""
    if isinstance(value, Array):
        return value.copy()
    if value is NIL or value is NOTHING:
        return Array()
    if isinstance(value, bytes):
        if value == b"":
            return Array()
        return Array(list(value.split(delimiter)) if delimiter else [value])
    return Array([value])


__all__ = [
    "parse_ip",
    "parse_ip6",
    "parse_ip_prefix",
    "parse_num",
    "parse_time",
    "toarray",
    "tobool",
    "toid",
    "toip",
    "toip6",
    "tonsec",
    "tonum",
    "tostr",
    "totime",
    "word_value",
]
