"""The operators of RouterOS expressions, on emulator values.

Semantics follow routeros-scripting.md §2–§3: int64 numbers whose arithmetic wraps [I], integer division truncating
toward zero [I] with division by zero a catchable runtime error [O fx 174380], time arithmetic [O fx], ip ± num
[FORUM rextended], ``.`` concatenation that maps over an array operand [D TIPS], ``,`` array joining [D HELP],
typed comparison (values of different types are never equal [D TIPS]) and ``nothing`` ordering below everything
(``[:nothing] < 0`` is true [D HELP]).

Where the sources are silent the choice is marked [I] and listed in docs/simulator.md. Operand combinations with no
RouterOS meaning give ``nil`` rather than an error [I].

Must not: evaluate expressions, read variables or know menus. Precedence is the parser's (routeros-lsp, O-01).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from emulator import regex
from emulator.convert import parse_num
from emulator.values import (
    INT64_MAX,
    INT64_MIN,
    IP,
    IP6,
    NIL,
    NOTHING,
    Array,
    Code,
    Id,
    IP6Prefix,
    IPPrefix,
    Time,
    Value,
    num,
    tostr,
)

NS = 1_000_000_000
_M32 = 0xFFFFFFFF
_M128 = (1 << 128) - 1


class OperatorError(Exception):
    """A runtime error an operator raises (division by zero, a bad regex). The interpreter makes it a script error."""


def _wrap(r: int) -> int:
    return r if INT64_MIN <= r <= INT64_MAX else num(r)


def _as_num(v: Value) -> int | None:
    """An arithmetic operand as a number: a numeric-looking string converts automatically [I, common v6 code]."""
    t = type(v)
    if t is int:
        return v  # type: ignore[no-any-return]
    if t is bytes:
        return parse_num(v.decode("latin-1"))
    return None


def _ip_int(v: Value) -> int:
    return int(v.address)


def add(a: Value, b: Value) -> Value:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _wrap(a + b)
    if ta is Time:
        if tb is Time:
            return Time(a.ns + b.ns)
        n = _as_num(b)
        return Time(a.ns + n * NS) if n is not None else NIL
    if tb is Time:
        n = _as_num(a)
        return Time(n * NS + b.ns) if n is not None else NIL
    if ta is IP and tb is int:
        return IP(ipaddress.IPv4Address((_ip_int(a) + b) & _M32))
    if tb is IP and ta is int:
        return IP(ipaddress.IPv4Address((_ip_int(b) + a) & _M32))
    if ta is IP6 and tb is int:
        return IP6(ipaddress.IPv6Address((_ip_int(a) + b) & _M128))
    x, y = _as_num(a), _as_num(b)
    return _wrap(x + y) if x is not None and y is not None else NIL


def sub(a: Value, b: Value) -> Value:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _wrap(a - b)
    if ta is Time:
        if tb is Time:
            return Time(a.ns - b.ns)
        n = _as_num(b)
        return Time(a.ns - n * NS) if n is not None else NIL
    if tb is Time:
        n = _as_num(a)
        return Time(n * NS - b.ns) if n is not None else NIL
    if ta is IP and tb is int:
        return IP(ipaddress.IPv4Address((_ip_int(a) - b) & _M32))
    if ta is IP and tb is IP:
        return _ip_int(a) - _ip_int(b)
    if ta is IP6 and tb is int:
        return IP6(ipaddress.IPv6Address((_ip_int(a) - b) & _M128))
    x, y = _as_num(a), _as_num(b)
    return _wrap(x - y) if x is not None and y is not None else NIL


def mul(a: Value, b: Value) -> Value:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _wrap(a * b)
    if ta is Time and tb is not Time:
        n = _as_num(b)
        return Time(a.ns * n) if n is not None else NIL
    if tb is Time and ta is not Time:
        n = _as_num(a)
        return Time(b.ns * n) if n is not None else NIL
    x, y = _as_num(a), _as_num(b)
    return _wrap(x * y) if x is not None and y is not None else NIL


def _trunc_div(x: int, y: int) -> int:
    if y == 0:
        raise OperatorError("division by zero")
    q = abs(x) // abs(y)
    return q if (x >= 0) == (y >= 0) else -q


def div(a: Value, b: Value) -> Value:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _wrap(_trunc_div(a, b))
    if ta is Time:
        if tb is Time:
            return _trunc_div(a.ns, b.ns)
        n = _as_num(b)
        return Time(_trunc_div(a.ns, n)) if n is not None else NIL
    x, y = _as_num(a), _as_num(b)
    return _wrap(_trunc_div(x, y)) if x is not None and y is not None else NIL


def mod(a: Value, b: Value) -> Value:
    """C remainder: the sign follows the dividend [I]."""
    ta, tb = type(a), type(b)
    if ta is Time and tb is Time:
        x, y = a.ns, b.ns
        return Time(x - _trunc_div(x, y) * y)
    x, y = _as_num(a), _as_num(b)
    if x is None or y is None:
        return NIL
    return _wrap(x - _trunc_div(x, y) * y)


def concat(a: Value, b: Value) -> Value:
    """``.``: text concatenation. An array operand maps: ``("v: " . {"c";"d"})`` is ``{"v: c";"v: d"}`` [D TIPS]."""
    if type(a) is bytes and type(b) is bytes:
        return a + b
    if isinstance(a, Array):
        return Array([concat(v, b) for v in a.values()])
    if isinstance(b, Array):
        return Array([concat(a, v) for v in b.values()])
    return tostr(a) + tostr(b)


def join(a: Value, b: Value) -> Value:
    """``,``: ``({1;2},3)`` is ``{1;2;3}``, ``("a","b")`` an array of two [D HELP]; keyed elements merge, the right one
    winning a duplicate key [I]."""
    out = Array()
    for side in (a, b):
        if isinstance(side, Array):
            out.items.extend(v.copy() if isinstance(v, Array) else v for v in side.items)
            out.keyed.update({k: (v.copy() if isinstance(v, Array) else v) for k, v in side.keyed.items()})
        else:
            out.items.append(side)
    return out


# --- bitwise ----------------------------------------------------------------------------------------------------------


def _bitwise(fn: Callable[[int, int], int]) -> Callable[[Value, Value], Value]:
    def op(a: Value, b: Value) -> Value:
        ta, tb = type(a), type(b)
        if ta is int and tb is int:
            return _wrap(fn(a, b))
        if ta is IP and tb in (IP, int):
            other = _ip_int(b) if tb is IP else b
            return IP(ipaddress.IPv4Address(fn(_ip_int(a), other) & _M32))
        if ta is IP6 and tb in (IP6, int):
            other = _ip_int(b) if tb is IP6 else b
            return IP6(ipaddress.IPv6Address(fn(_ip_int(a), other) & _M128))
        return NIL

    return op


bit_and = _bitwise(lambda x, y: x & y)
bit_or = _bitwise(lambda x, y: x | y)
bit_xor = _bitwise(lambda x, y: x ^ y)
shift_left = _bitwise(lambda x, y: x << y if 0 <= y < 128 else 0)
shift_right = _bitwise(lambda x, y: x >> y if 0 <= y < 128 else 0)


def invert(a: Value) -> Value:
    """Unary ``~``: bitwise not of a num, ip or ip6 [D HELP]."""
    t = type(a)
    if t is int:
        return ~a
    if t is IP:
        return IP(ipaddress.IPv4Address(~_ip_int(a) & _M32))
    if t is IP6:
        return IP6(ipaddress.IPv6Address(~_ip_int(a) & _M128))
    return NIL


def negate(a: Value) -> Value:
    t = type(a)
    if t is int:
        return _wrap(-a)
    if t is Time:
        return Time(-a.ns)
    n = _as_num(a)
    return _wrap(-n) if n is not None else NIL


# --- truth and comparison ---------------------------------------------------------------------------------------------


def truthy(v: Value) -> bool:
    """A condition's truth. bool as is; a num is true when non-zero and nil/nothing are false, as ``:if ([:find …])``
    idioms expect [I]; other values are true when non-empty [I]."""
    if v is True:
        return True
    if v is False or v is NIL or v is NOTHING:
        return False
    t = type(v)
    if t is int:
        return v != 0  # type: ignore[no-any-return]
    if t is bytes or t is Array:
        return len(v) > 0
    return True


def logical_not(v: Value) -> bool:
    return not truthy(v)


def _same_kind(a: Value, b: Value) -> bool:
    return type(a) is type(b)


def equal(a: Value, b: Value) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) is Code:
        return a is b
    return bool(a == b)


def not_equal(a: Value, b: Value) -> bool:
    return not equal(a, b)


def _key(v: Value) -> Any:
    t = type(v)
    if t is IPPrefix or t is IP6Prefix:
        return (v.network.network_address, v.network.prefixlen)
    if t is IP or t is IP6:
        return v.address
    if t is Time:
        return v.ns
    if t is Id:
        return v.value
    return v


_ORDERED = (int, bool, bytes, Time, IP, IP6, IPPrefix, IP6Prefix, Id)


def _order(a: Value, b: Value) -> int | None:
    """-1/0/1, or None when the values do not compare (different types: every ordering is false [I])."""
    a_empty, b_empty = a is NOTHING or a is NIL, b is NOTHING or b is NIL
    if a_empty or b_empty:
        # [:nothing] < 0 is true, [:nothing] > 0 and = 0 are false [D HELP]: nothing sorts below everything.
        return 0 if a_empty and b_empty else (-1 if a_empty else 1)
    if type(a) is not type(b) or not isinstance(a, _ORDERED):
        return None
    x, y = _key(a), _key(b)
    return -1 if x < y else (1 if x > y else 0)


def less(a: Value, b: Value) -> bool:
    if type(a) is int and type(b) is int:
        return a < b
    r = _order(a, b)
    return r is not None and r < 0


def greater(a: Value, b: Value) -> bool:
    if type(a) is int and type(b) is int:
        return a > b
    r = _order(a, b)
    return r is not None and r > 0


def less_equal(a: Value, b: Value) -> bool:
    if type(a) is int and type(b) is int:
        return a <= b
    r = _order(a, b)
    return r is not None and r <= 0


def greater_equal(a: Value, b: Value) -> bool:
    if type(a) is int and type(b) is int:
        return a >= b
    r = _order(a, b)
    return r is not None and r >= 0


def matches(a: Value, b: Value) -> bool:
    """Binary ``~``: the left side stringified, matched against the POSIX ERE on the right [D HELP]."""
    try:
        return regex.search(tostr(b), tostr(a))
    except regex.RegexError as error:
        raise OperatorError(f"invalid regular expression: {error}") from None


def contained(a: Value, b: Value) -> bool:
    """``in``: ip or prefix inside a prefix, ``(1.1.1.1/32 in 1.0.0.0/8)`` [D HELP]."""
    tb = type(b)
    if tb is IPPrefix:
        if type(a) is IP:
            return a.address in b.network
        if type(a) is IPPrefix:
            return bool(a.network.subnet_of(b.network))
    if tb is IP6Prefix:
        if type(a) is IP6:
            return a.address in b.network
        if type(a) is IP6Prefix:
            return bool(a.network.subnet_of(b.network))
    return False


def access(a: Value, key: Value) -> Value:
    """``->``: an array element; anything missing is ``nothing`` [D HELP, O fx 167746]."""
    if type(a) is not Array:
        return NOTHING
    if type(key) is int:
        return a.get(key)
    if type(key) is bytes:
        return a.keyed.get(key, NOTHING)
    if key is NIL or key is NOTHING:
        return NOTHING
    return a.keyed.get(tostr(key), NOTHING)


BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "+": add,
    "-": sub,
    "*": mul,
    "/": div,
    "%": mod,
    ".": concat,
    ",": join,
    "&": bit_and,
    "|": bit_or,
    "^": bit_xor,
    "<<": shift_left,
    ">>": shift_right,
    "=": equal,
    "!=": not_equal,
    "<>": not_equal,
    "<": less,
    ">": greater,
    "<=": less_equal,
    ">=": greater_equal,
    "~": matches,
    "in": contained,
    "->": access,
}

UNARY: dict[str, Callable[[Value], Value]] = {"-": negate, "!": logical_not, "~": invert}
