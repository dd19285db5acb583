"""RouterOS script values as the emulator represents them, and their text forms.

Representation (Python type → RouterOS ``:typeof``):

* ``int`` → ``num`` (signed 64-bit; keep results inside int64 with :func:`num`)
* ``bytes`` → ``str`` (RouterOS strings are byte strings: ``:len`` counts bytes)
* ``bool`` → ``bool`` (test ``bool`` before ``int``: Python's bool is an int)
* :class:`Time` → ``time``; :class:`IP`, :class:`IPPrefix`, :class:`IP6`, :class:`IP6Prefix`
* :class:`Id` → ``id`` (``*1A``)
* :class:`Array` → ``array`` (list elements and keyed elements, RouterOS order)
* :data:`NIL` → ``nil``; :data:`NOTHING` → ``nothing``
* :class:`Code` → ``code``; :class:`Op` → ``op`` (quoted code: the ``$0`` of a call)

This module holds data and text forms only; it must not know about menus, the interpreter or the clock.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def num(value: int) -> int:
    """Wraps an arithmetic result into int64 the way a C int64 would (RouterOS overflow is undocumented [I])."""
    value &= 0xFFFFFFFFFFFFFFFF
    return value - 2**64 if value >= 2**63 else value


def saturate(value: int) -> int:
    """A numeric literal that is too large saturates (forum topic 157085)."""
    return max(INT64_MIN, min(INT64_MAX, value))


class Empty:
    """The type of :data:`NIL` and :data:`NOTHING` (there are no others)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name.upper()

    def __bool__(self) -> bool:
        return False

    # There is one of each: code tests them with ``is``, so a copy (Router.snapshot(), pickle) must be the same object.
    def __copy__(self) -> Empty:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Empty:
        return self

    def __reduce__(self) -> str:
        return self.name.upper()  # the module-level name: NIL or NOTHING


NIL = Empty("nil")
NOTHING = Empty("nothing")


@dataclass(frozen=True, slots=True, order=True)
class Time:
    """A duration (or a timestamp since the epoch) in nanoseconds."""

    ns: int

    @classmethod
    def seconds(cls, s: int) -> Time:
        return cls(s * 1_000_000_000)

    def __str__(self) -> str:
        return format_time(self.ns)


@dataclass(frozen=True, slots=True, order=True)
class Id:
    """An internal item number, printed ``*1A`` (upper-case hex)."""

    value: int

    def __str__(self) -> str:
        return f"*{self.value:X}"


@dataclass(frozen=True, slots=True, order=True)
class IP:
    address: ipaddress.IPv4Address

    def __str__(self) -> str:
        return str(self.address)


@dataclass(frozen=True, slots=True)
class IPPrefix:
    """``10.0.0.0/8``. ``host`` keeps the address of a literal written with host bits (``10.0.0.1/24``, as in
    ``/ip address add address=10.0.0.1/24``); it prints that way, and ``network`` is the masked network [I]."""

    network: ipaddress.IPv4Network
    host: ipaddress.IPv4Address | None = None

    def __str__(self) -> str:
        if self.host is not None:
            return f"{self.host}/{self.network.prefixlen}"
        return str(self.network)


@dataclass(frozen=True, slots=True, order=True)
class IP6:
    address: ipaddress.IPv6Address

    def __str__(self) -> str:
        return str(self.address)


@dataclass(frozen=True, slots=True)
class IP6Prefix:
    """``2001:db8::/32``; ``host`` as in :class:`IPPrefix`."""

    network: ipaddress.IPv6Network
    host: ipaddress.IPv6Address | None = None

    def __str__(self) -> str:
        if self.host is not None:
            return f"{self.host}/{self.network.prefixlen}"
        return str(self.network)


@dataclass(eq=False, slots=True)
class Code:
    """Compiled script code (``:parse`` result, or the body of a function). ``body`` is interpreter-owned: a
    :class:`emulator.runtime.Unit` (not named here: values know nothing of the interpreter)."""

    body: Any
    source: bytes = b""

    def __str__(self) -> str:
        return "(code)"


@dataclass(frozen=True, slots=True)
class Op:
    """Quoted code, ``:typeof`` ``op`` [O fx 163557]. The emulator makes one kind only: the ``$0`` of ``$f a b``, which
    RouterOS compiles as ``(> $f)`` (the called variable, quoted) and prints as ``$f`` [O il, O fx 154024]. ``text``
    is what ``:put`` prints; running it is not modelled."""

    text: bytes

    def __str__(self) -> str:
        return self.text.decode("utf-8", "surrogateescape")


@dataclass(slots=True)
class Array:
    """A RouterOS array: list elements (in insertion order) and keyed elements (iterated in key order).

    RouterOS iterates list elements first, then keyed elements sorted by key (Scripting manual, arrays). Keys are
    byte strings. Arrays are values: copy on assignment (:meth:`copy`) [I].

    A copy is made when it is first written, not when it is taken (issue 9: storing a ``print as-value`` result in a
    local or walking it with ``:foreach`` deep-copied every row): :meth:`copy` returns an array sharing ``items`` and
    ``keyed`` with this one, both marked ``shared``, and :meth:`put`/:meth:`remove` (the only writes to an array
    that others may see; ``ops.join`` and the ``{ }`` literal fill arrays of their own) first take their own lists,
    with the nested arrays copied the same way. ``items`` and ``keyed`` of an array that is not one's own are
    read-only; a writer that walks into nested arrays calls :meth:`own` on each parent first.
    """

    items: list[Value] = field(default_factory=list)
    keyed: dict[bytes, Value] = field(default_factory=dict)
    #: ``items``/``keyed`` may be another array's too: copy them before a write.
    shared: bool = field(default=False, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.items) + len(self.keyed)

    def entries(self) -> Iterator[tuple[int | bytes, Value]]:
        """(key or index, value) in RouterOS order."""
        yield from enumerate(self.items)
        for key in sorted(self.keyed):
            yield key, self.keyed[key]

    def values(self) -> Iterator[Value]:
        for _, value in self.entries():
            yield value

    def get(self, key: int | bytes) -> Value:
        if isinstance(key, bytes):
            return self.keyed.get(key, NOTHING)
        return self.items[key] if 0 <= key < len(self.items) else NOTHING

    def copy(self) -> Array:
        """An array equal to this one that no write to either changes (copied on its first write)."""
        self.shared = True
        return Array(self.items, self.keyed, True)

    def own(self) -> None:
        """Makes ``items`` and ``keyed`` this array's own (before a write): nested arrays become copies too."""
        if self.shared:
            self.items = [v.copy() if type(v) is Array else v for v in self.items]
            self.keyed = {k: (v.copy() if type(v) is Array else v) for k, v in self.keyed.items()}
            self.shared = False

    @classmethod
    def of(cls, *items: Value) -> Array:
        return cls(list(items))

    @classmethod
    def mapping(cls, pairs: dict[str, Value] | dict[bytes, Value]) -> Array:
        return cls([], {(k.encode() if isinstance(k, str) else k): v for k, v in pairs.items()})

    def put(self, key: int | bytes, value: Value) -> None:
        """Set an element, creating it when missing (``:set ($a->k) v``, scripting manual [D HELP]).

        A list index at the end appends. An index past the end is unknown territory on a router (forum topic 169192);
        the gap is filled with ``nil`` elements [I].
        """
        if self.shared:
            self.own()
        if not isinstance(key, bytes):
            if key < 0:
                raise IndexError(key)
            while len(self.items) < key:
                self.items.append(NIL)
            if key == len(self.items):
                self.items.append(value)
            else:
                self.items[key] = value
        else:
            self.keyed[key] = value

    def remove(self, key: int | bytes) -> None:
        """``:set ($a->k)`` with no value removes the element [D HELP/TIPS]; a missing one is left alone [I]."""
        if self.shared:
            self.own()
        if not isinstance(key, bytes):
            if 0 <= key < len(self.items):
                del self.items[key]
        else:
            self.keyed.pop(key, None)


#: A RouterOS value as the emulator holds it: one of the kinds above (``nil`` and ``nothing`` are the two
#: :class:`Empty` singletons). ``bool`` is listed although it is an ``int`` to Python: test it first.
Value = bytes | int | bool | Time | Id | IP | IPPrefix | IP6 | IP6Prefix | Array | Code | Op | Empty


def function(code: Code) -> Array:
    """``:global f do={…}`` stores an *array* of two elements, element 1 the code ([O fx 163557], EW 2db73a18)."""
    return Array([NIL, code])


def callable_code(value: Value) -> Code | None:
    """The code a value runs when it is called (``$f`` or ``[$f]``): a function array or a ``:parse`` result."""
    if isinstance(value, Code):
        return value
    if isinstance(value, Array) and len(value.items) == 2 and not value.keyed and isinstance(value.items[1], Code):
        return value.items[1]
    return None


def typeof(value: Value) -> str:
    """The name ``:typeof`` returns."""
    if value is NIL:
        return "nil"
    if value is NOTHING:
        return "nothing"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "num"
    if isinstance(value, bytes):
        return "str"
    if isinstance(value, Time):
        return "time"
    if isinstance(value, Id):
        return "id"
    if isinstance(value, IP):
        return "ip"
    if isinstance(value, IPPrefix):
        return "ip-prefix"
    if isinstance(value, IP6):
        return "ip6"
    if isinstance(value, IP6Prefix):
        return "ip6-prefix"
    if isinstance(value, Array):
        return "array"
    if isinstance(value, Code):
        return "code"
    if isinstance(value, Op):
        return "op"
    raise TypeError(f"not a RouterOS value: {value!r}")


def format_time(ns: int) -> str:
    """``[Nw][Nd]HH:MM:SS[.fraction]`` as RouterOS prints a time (forum topics 179598, 154185)."""
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    seconds, frac = divmod(ns, 1_000_000_000)
    weeks, seconds = divmod(seconds, 7 * 86400)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    out = sign
    if weeks:
        out += f"{weeks}w"
    if days:
        out += f"{days}d"
    out += f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if frac:
        digits = f"{frac:09d}"
        # RouterOS prints milliseconds, microseconds or nanoseconds, whichever keeps the value exact [I].
        if digits.endswith("000000"):
            digits = digits[:3]
        elif digits.endswith("000"):
            digits = digits[:6]
        out += "." + digits
    return out


def tostr(value: Value) -> bytes:
    """``:tostr``: the text form. nil/nothing are empty; arrays join elements with ``;`` (nested arrays flatten)."""
    if type(value) is bytes:
        return value
    if value is NIL or value is NOTHING:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, Array):
        parts = []
        for key, element in value.entries():
            text = tostr(element)
            parts.append(key + b"=" + text if isinstance(key, bytes) else text)
        return b";".join(parts)
    if isinstance(value, Op):
        return value.text
    return str(value).encode()
