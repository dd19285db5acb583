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
from emulator.contract import EmulatorRefusal
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
    typeof,
)

NS = 1_000_000_000
_M32 = 0xFFFFFFFF
_M128 = (1 << 128) - 1


class OperatorError(Exception):
    """A runtime error an operator raises (division by zero, a bad regex). The interpreter makes it a script error."""


def _wrap(r: int) -> int:
    return r if INT64_MIN <= r <= INT64_MAX else num(r)


def _refuse_empty(op: str, a: Value, b: Value) -> None:
    """Arithmetic with a nil or nothing operand other than ``num + nothing``: no source says what RouterOS gives (an
    empty value, an error, the other operand), so the emulator refuses rather than guess [I]."""
    for v in (a, b):
        if v is NIL or v is NOTHING:
            raise EmulatorRefusal(
                f"emulator refuses: ({typeof(a)} {op} {typeof(b)}) is not modelled (only num + nothing is documented)"
            )


def _as_num(v: Value) -> int | None:
    """An arithmetic operand as a number: a numeric-looking string converts automatically [I, common v6 code]."""
    if type(v) is int:
        return v
    if type(v) is bytes:
        return parse_num(v.decode("latin-1"))
    return None


def _ip4(value: int) -> IP:
    return IP(ipaddress.IPv4Address(value & _M32))


def _ip6(value: int) -> IP6:
    return IP6(ipaddress.IPv6Address(value & _M128))


def add(a: Value, b: Value) -> Value:
    """``+``. A ``nothing`` operand (a variable not visible in scope) leaves the other operand: the manual's scope
    example ``{ :local a 3; { :global b 4 }; :put ($a+$b) }`` prints 3 [D HELP "Local scope"]."""
    if type(a) is int and type(b) is int:
        return _wrap(a + b)
    if b is NOTHING and type(a) is int:
        return a
    if a is NOTHING and type(b) is int:
        return b  # the operands the other way round [I: + commutes]
    _refuse_empty("+", a, b)
    if type(a) is Time:
        if type(b) is Time:
            return Time(a.ns + b.ns)
        n = _as_num(b)
        return Time(a.ns + n * NS) if n is not None else NIL
    if type(b) is Time:
        n = _as_num(a)
        return Time(n * NS + b.ns) if n is not None else NIL
    if type(a) is IP and type(b) is int:
        return _ip4(int(a.address) + b)
    if type(b) is IP and type(a) is int:
        return _ip4(int(b.address) + a)
    if type(a) is IP6 and type(b) is int:
        return _ip6(int(a.address) + b)
    x, y = _as_num(a), _as_num(b)
    return _wrap(x + y) if x is not None and y is not None else NIL


def sub(a: Value, b: Value) -> Value:
    if type(a) is int and type(b) is int:
        return _wrap(a - b)
    _refuse_empty("-", a, b)
    if type(a) is Time:
        if type(b) is Time:
            return Time(a.ns - b.ns)
        n = _as_num(b)
        return Time(a.ns - n * NS) if n is not None else NIL
    if type(b) is Time:
        n = _as_num(a)
        return Time(n * NS - b.ns) if n is not None else NIL
    if type(a) is IP:
        if type(b) is int:
            return _ip4(int(a.address) - b)
        if type(b) is IP:
            return int(a.address) - int(b.address)
    if type(a) is IP6 and type(b) is int:
        return _ip6(int(a.address) - b)
    x, y = _as_num(a), _as_num(b)
    return _wrap(x - y) if x is not None and y is not None else NIL


def mul(a: Value, b: Value) -> Value:
    if type(a) is int and type(b) is int:
        return _wrap(a * b)
    _refuse_empty("*", a, b)
    if type(a) is Time and type(b) is not Time:
        n = _as_num(b)
        return Time(a.ns * n) if n is not None else NIL
    if type(b) is Time and type(a) is not Time:
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
    if type(a) is int and type(b) is int:
        return _wrap(_trunc_div(a, b))
    _refuse_empty("/", a, b)
    if type(a) is Time:
        if type(b) is Time:
            return _trunc_div(a.ns, b.ns)
        n = _as_num(b)
        return Time(_trunc_div(a.ns, n)) if n is not None else NIL
    x, y = _as_num(a), _as_num(b)
    return _wrap(_trunc_div(x, y)) if x is not None and y is not None else NIL


def mod(a: Value, b: Value) -> Value:
    """C remainder: the sign follows the dividend [I]."""
    if type(a) is Time and type(b) is Time:
        t, u = a.ns, b.ns
        return Time(t - _trunc_div(t, u) * u)
    _refuse_empty("%", a, b)
    x, y = _as_num(a), _as_num(b)
    if x is None or y is None:
        return NIL
    return _wrap(x - _trunc_div(x, y) * y)


def concat(a: Value, b: Value) -> Value:
    """``.``: text concatenation. An array operand maps: ``("v: " . {"c";"d"})`` is ``{"v: c";"v: d"}`` [D TIPS]."""
    if type(a) is bytes and type(b) is bytes:
        return a + b
    for side in (a, b):
        if isinstance(side, Array) and side.keyed:
            # ({"key1"="text1"} . "x") prints an empty line on a router [O fx 169947]; what value that is, is unknown.
            raise EmulatorRefusal("emulator refuses: '.' with an array that has keyed elements is not modelled")
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
        if type(a) is int and type(b) is int:
            return _wrap(fn(a, b))
        if type(a) is IP:
            if type(b) is IP:
                return _ip4(fn(int(a.address), int(b.address)))
            if type(b) is int:
                return _ip4(fn(int(a.address), b))
        if type(a) is IP6:
            if type(b) is IP6:
                return _ip6(fn(int(a.address), int(b.address)))
            if type(b) is int:
                return _ip6(fn(int(a.address), b))
        return NIL

    return op


bit_and = _bitwise(lambda x, y: x & y)
bit_or = _bitwise(lambda x, y: x | y)
bit_xor = _bitwise(lambda x, y: x ^ y)
shift_left = _bitwise(lambda x, y: x << y if 0 <= y < 128 else 0)
shift_right = _bitwise(lambda x, y: x >> y if 0 <= y < 128 else 0)


def invert(a: Value) -> Value:
    """Unary ``~``: bitwise not of a num, ip or ip6 [D HELP]."""
    if type(a) is int:
        return ~a
    if type(a) is IP:
        return _ip4(~int(a.address))
    if type(a) is IP6:
        return _ip6(~int(a.address))
    return NIL


def negate(a: Value) -> Value:
    if type(a) is int:
        return _wrap(-a)
    if type(a) is Time:
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
    if type(v) is int:
        return v != 0
    if type(v) is bytes or type(v) is Array:
        return len(v) > 0
    return True


def logical_not(v: Value) -> bool:
    return not truthy(v)


def equal(a: Value, b: Value) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) is Code:
        return a is b
    return bool(a == b)


def not_equal(a: Value, b: Value) -> bool:
    return not equal(a, b)


def _key(v: Value) -> Any:
    if type(v) is IPPrefix or type(v) is IP6Prefix:
        return (v.network.network_address, v.network.prefixlen)
    if type(v) is IP or type(v) is IP6:
        return v.address
    if type(v) is Time:
        return v.ns
    if type(v) is Id:
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
    if type(b) is IPPrefix:
        if type(a) is IP:
            return a.address in b.network
        if type(a) is IPPrefix:
            return bool(a.network.subnet_of(b.network))
    if type(b) is IP6Prefix:
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
