"""Typed menu properties: how a value given to ``add``/``set``/``find`` becomes the stored RouterOS value.

Arguments reach the router either typed (the interpreter evaluated ``1d`` to a :class:`Time`) or as text (``yes``,
``23:50:00``, ``read,write`` from a script word, or any value from the API, where everything is a string). Each
:class:`PropType` accepts both and stores the RouterOS value type listed in ``values.py``. Dates are stored as the text
the emulated version prints (``nov/30/2026`` or ``2026-11-30``).

Must not: know menus, tables or the clock; compare RouterOS versions (it asks :class:`RouterOSVersion`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from emulator.contract import RouterOSError, Value
from emulator.values import NIL, NOTHING, Array, Id, Time, tostr
from emulator.version import MONTHS, RouterOSVersion

SECOND = 1_000_000_000

_UNIT_TIME = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$")
_CLOCK_TIME = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?$")
_LEGACY_DATE = re.compile(r"^([a-z]{3})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def invalid(name: str) -> RouterOSError:
    """The runtime error for a value a property cannot take ([INF]: RouterOS words this per type)."""
    return RouterOSError(f"invalid value for argument {name}")


def text_of(value: Value) -> str:
    """A value as text (``bytes`` decoded as Latin-1 so any byte survives)."""
    if isinstance(value, str):
        return value
    return tostr(value).decode("latin-1")


def parse_time(text: str) -> int | None:
    """RouterOS time text (``1d``, ``1w2d3h4m5s``, ``23:50:00``, ``1d02:00:00``, ``500ms``, bare seconds) → ns."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():  # a bare number means seconds ([O db] ":delay 30"; [INF] for properties)
        return int(text) * SECOND
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("-")
    found = _CLOCK_TIME.match(text)
    if found:
        w, d, h, m, s, frac = found.groups()
        ns = ((int(w or 0) * 7 + int(d or 0)) * 86400 + int(h) * 3600 + int(m) * 60 + int(s or 0)) * SECOND
        ns += int((frac or "0").ljust(9, "0"))
        return sign * ns
    found = _UNIT_TIME.match(text)
    if found and any(found.groups()):
        w, d, h, m, s, ms = (int(g or 0) for g in found.groups())
        return sign * ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * SECOND + sign * ms * 1_000_000
    return None


def parse_date(text: str, version: RouterOSVersion) -> dt.date | None:
    """``nov/30/2026`` (every version) or ``2026-11-30`` (where the version takes ISO input) → a date."""
    text = text.strip().lower()
    try:
        found = _LEGACY_DATE.match(text)
        if found and found.group(1) in MONTHS:
            return dt.date(int(found.group(3)), MONTHS.index(found.group(1)) + 1, int(found.group(2)))
        found = _ISO_DATE.match(text)
        if found and version.accepts_iso_date_input:
            return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None
    return None


def format_date(day: dt.date, version: RouterOSVersion) -> bytes:
    return version.clock_date(day.year, day.month, day.day).encode()


def format_datetime(moment: dt.datetime, version: RouterOSVersion) -> bytes:
    m = moment
    return version.clock_datetime(m.year, m.month, m.day, m.hour, m.minute, m.second).encode()


class PropType:
    """A property type: ``coerce`` turns an argument into the stored value or raises ``invalid value``.

    ``name`` is the ``:typeof`` name of the stored value, published in ``MenuNode.types`` for the API server.
    """

    name = "str"
    #: What ``get`` returns for a property that is not set ([INF]: an empty string for text, nothing otherwise).
    empty: Value = NOTHING

    def coerce(self, prop: str, value: Value) -> Value:
        raise NotImplementedError


class Str(PropType):
    name = "str"
    empty = b""

    def coerce(self, prop: str, value: Value) -> Value:
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8")
        return tostr(value)


class Num(PropType):
    name = "num"

    def __init__(self, minimum: int | None = None, maximum: int | None = None) -> None:
        self.minimum = minimum
        self.maximum = maximum

    def coerce(self, prop: str, value: Value) -> Value:
        if isinstance(value, bool):
            raise invalid(prop)
        if isinstance(value, int):
            number = value
        else:
            text = text_of(value).strip()
            try:
                number = int(text, 16) if text.lower().startswith("0x") else int(text)
            except ValueError:
                raise invalid(prop) from None
        if (self.minimum is not None and number < self.minimum) or (self.maximum is not None and number > self.maximum):
            raise invalid(prop)
        return number


class Bool(PropType):
    name = "bool"

    def coerce(self, prop: str, value: Value) -> Value:
        if isinstance(value, bool):
            return value
        text = text_of(value).strip().lower()
        if text in ("yes", "true"):
            return True
        if text in ("no", "false"):
            return False
        raise invalid(prop)


class TimeType(PropType):
    name = "time"

    def coerce(self, prop: str, value: Value) -> Value:
        if isinstance(value, Time):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Time.seconds(value)
        ns = parse_time(text_of(value))
        if ns is None:
            raise invalid(prop)
        return Time(ns)


class Enum(PropType):
    """One word out of a fixed set, stored as ``bytes``."""

    name = "str"
    empty = b""

    def __init__(self, *choices: str) -> None:
        self.choices = choices

    def coerce(self, prop: str, value: Value) -> Value:
        # A bare yes/no in a script compiles to a bool (Scripting manual: "yes/no become true/false"), yet
        # `start-tls=yes` is how such enums are written: a bool stands for the yes/no word of the enum [INF].
        if isinstance(value, bool) and ("yes" in self.choices or "no" in self.choices):
            value = b"yes" if value else b"no"
        text = text_of(value).strip()
        if text not in self.choices:
            raise RouterOSError(f"input does not match any value of {prop}")
        return text.encode()


class Either(PropType):
    """A word out of a set (``unlimited``, ``startup``) or a value of another type (``30d``, ``1``)."""

    name = "str"  # the API must hand the text over: it may be one of the words

    def __init__(self, inner: PropType, *words: str) -> None:
        self.inner = inner
        self.words = words
        self.empty = inner.empty

    def coerce(self, prop: str, value: Value) -> Value:
        if isinstance(value, (bytes, str)) and text_of(value).strip() in self.words:
            return text_of(value).strip().encode()
        return self.inner.coerce(prop, value)


class Policy(PropType):
    """A set of policy words (``read,write,test``; text, an array or a Python set on input).

    RouterOS prints a policy as a comma list and scripts compare it as text, so it is stored as ``bytes`` in RouterOS's
    own order; :func:`policy_set` turns it back into a set.
    """

    name = "str"
    empty = b""
    ORDER = ("ftp", "reboot", "read", "write", "policy", "test", "password", "sniff", "sensitive", "romon")

    def coerce(self, prop: str, value: Value) -> Value:
        if isinstance(value, Array):
            words = [text_of(v).strip() for v in value.values()]
        elif isinstance(value, (frozenset, set)):
            words = [str(v) for v in value]
        else:
            words = [w.strip() for w in text_of(value).split(",")]
        words = [w for w in words if w]
        unknown = [w for w in words if w not in self.ORDER]
        if unknown:
            raise RouterOSError(f"input does not match any value of {prop}")
        return ",".join(p for p in self.ORDER if p in words).encode()


def policy_set(stored: Value) -> frozenset[str]:
    return frozenset(w for w in text_of(stored).split(",") if w)


class DateType(PropType):
    """A calendar date, stored as the text this version prints."""

    name = "str"
    empty = b""

    def __init__(self, version: RouterOSVersion) -> None:
        self.version = version

    def coerce(self, prop: str, value: Value) -> Value:
        day = parse_date(text_of(value), self.version)
        if day is None:
            raise invalid(prop)
        return format_date(day, self.version)


class IdRef(PropType):
    name = "id"

    def coerce(self, prop: str, value: Value) -> Value:
        if isinstance(value, Id):
            return value
        text = text_of(value).strip()
        if text.startswith("*"):
            try:
                return Id(int(text[1:], 16))
            except ValueError:
                pass
        raise invalid(prop)


def is_unset(value: Value) -> bool:
    return value is None or value is NOTHING or value is NIL


@dataclass(frozen=True, slots=True)
class Prop:
    """One property of a menu. ``default`` None means unset (absent from ``print``)."""

    name: str
    type: PropType
    default: Value = None
    readonly: bool = False
    required: bool = False
    #: Reading it needs the ``sensitive`` policy (passwords; platform.md §4.2 [DOC] "sensitive only if the script
    #: must read passwords").
    sensitive: bool = False
    #: No two items may share the value (names); also the key ``numbers=<name>`` looks items up by.
    unique: bool = False


STR = Str()
NUM = Num()
BOOL = Bool()
TIME = TimeType()
ID = IdRef()
