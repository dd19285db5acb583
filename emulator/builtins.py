"""The interpreter's commands that are plain functions of their evaluated arguments.

Each takes the :class:`~emulator.runtime.RunState` and the values of its parameters in the order listed in
:data:`PURE` (``None`` for a parameter not given). Behaviour follows routeros-scripting.md §5–§6: ``:pick`` end is
exclusive and clamps [D HELP, I], ``:find`` returns nil when not found and its start is exclusive [D HELP, I],
``:len`` counts bytes [I], ``:put`` writes one line per call, ``:delay`` advances the virtual clock.

Must not: compile anything, or implement commands that need the source (``:local``, ``:if``, loops … are in
``emulator/compiler/control.py``).
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable

from emulator import convert, encodings
from emulator.contract import EmulatorRefusal, RouterOSError
from emulator.runtime import RunState, ScriptFailure
from emulator.values import IP, NIL, NOTHING, Array, Time, Value, tostr, typeof

Opt = Value | None
NS = 1_000_000_000


def message_text(value: Value) -> str:
    """An error message as text (bytes survive the round trip through ``:onerror e`` unchanged)."""
    return tostr(value).decode("utf-8", "surrogateescape")


def put(run: RunState, message: Opt) -> Value:
    run.ctx.output.append(b"" if message is None else tostr(message))
    return NOTHING


def error(run: RunState, message: Opt) -> Value:
    """``:error msg`` raises a runtime error carrying ``msg`` [D HELP]."""
    raise ScriptFailure(message_text(b"" if message is None else message))


def log(level: str) -> Callable[[RunState, Opt], Value]:
    def write(run: RunState, message: Opt) -> Value:
        run.port.log(level, b"" if message is None else tostr(message), run.ctx)
        return NOTHING

    return write


def delay(run: RunState, value: Opt) -> Value:
    """``:delay``: a number means seconds, no argument one second [O db]; the router's virtual clock advances."""
    if value is None:
        ns = NS
    elif isinstance(value, Time):
        ns = value.ns
    else:
        converted = convert.totime(value if not isinstance(value, bool) else NIL)
        if not isinstance(converted, Time):
            raise ScriptFailure("invalid value for argument delay-time")
        ns = converted.ns
    ns = max(ns, 0)
    run.delayed_ns += ns
    run.port.sleep(ns, run.ctx)
    return NOTHING


def length(run: RunState, value: Opt) -> Value:
    """``:len``: bytes of a string, elements of an array, digits of a number [I, EW HumanReadableNum]; 0 for nil."""
    if type(value) is bytes:
        return len(value)  # the common case first, the same result as below
    return length_any(value)


def length_any(value: Opt) -> Value:
    """:func:`length` for any value."""
    if value is None or value is NIL or value is NOTHING:
        return 0
    if isinstance(value, Array | bytes):
        return len(value)
    return len(tostr(value))


def _index(value: Opt, default: int) -> int:
    if type(value) is int:
        return value
    if value is None or value is NIL or value is NOTHING:
        return default
    number = convert.tonum(value)
    return number if isinstance(number, int) else default


def pick(run: RunState, value: Opt, begin: Opt, end: Opt) -> Value:
    """``:pick v start [end]``: end exclusive; one element or byte without ``end`` [D HELP]; an end past the length
    clamps, an end at or before the start gives nothing, a negative start counts as 0 [I]."""
    if type(value) is bytes and type(begin) is int and (end is None or type(end) is int):
        # The common case (a string, number positions), the same result as below with the conversions skipped.
        start = begin if begin > 0 else 0
        stop = start + 1 if end is None else end
        return value[start:stop] if stop > start else b""
    start = max(_index(begin, 0), 0)
    if isinstance(value, Array):
        values = list(value.values())
        if end is None:
            element = values[start] if start < len(values) else NOTHING
            return element.copy() if isinstance(element, Array) else element
        return Array([v.copy() if isinstance(v, Array) else v for v in values[start : max(_index(end, 0), start)]])
    text = b"" if value is None else tostr(value)
    stop = start + 1 if end is None else _index(end, start)
    return text[start:stop] if stop > start else b""


def find(run: RunState, where: Opt, key: Opt, start: Opt) -> Value:
    """``:find in key [from]``: position or index, nil when not found [D HELP, O fx 171425]; the search starts after
    ``from`` (``-1`` means from the beginning) [I]."""
    if type(where) is bytes and type(key) is bytes and (start is None or type(start) is int):
        # The common case, the same result as below with the conversions skipped.
        found = where.find(key, 0 if start is None or start < 0 else start + 1)
        return NIL if found < 0 else found
    return find_any(where, key, start)


def find_any(where: Opt, key: Opt, start: Opt) -> Value:
    """:func:`find` for any values."""
    after = _index(start, -1)
    if isinstance(where, Array):
        for index, (_, element) in enumerate(where.entries()):
            if index > after and type(element) is type(key) and element == key:
                return index
        return NIL
    haystack = b"" if where is None else tostr(where)
    needle = b"" if key is None else tostr(key)
    found = haystack.find(needle, max(after + 1, 0))
    return NIL if found < 0 else found


#: ``:typeof`` of a value by its Python type, where the type alone decides (``nil``/``nothing`` share one).
TYPE_NAMES: dict[type, bytes] = {bool: b"bool", int: b"num", bytes: b"str", Time: b"time", Array: b"array"}


def typeof_(run: RunState, value: Opt) -> Value:
    name = TYPE_NAMES.get(type(value))
    if name is not None:
        return name
    return typeof(NOTHING if value is None else value).encode()


def to_range(run: RunState, first: Opt, last: Opt) -> Value:
    """``:range 2 8`` is ``2;3;…;8``, inclusive [D HELP]; descending when ``from > to`` [I]."""
    a, b = _index(first, 0), _index(last, 0)
    if abs(b - a) >= run.limit:
        raise ScriptFailure("not enough memory")  # the emulator's bound; RouterOS would run out of memory [I]
    step = 1 if a <= b else -1
    return Array(list(range(a, b + step, step)))


def rndnum(run: RunState, first: Opt, last: Opt) -> Value:
    a, b = _index(first, 0), _index(last, 0)
    return run.interp.random.randint(min(a, b), max(a, b))


_ALNUM = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def rndstr(run: RunState, alphabet: Opt, size: Opt) -> Value:
    """``:rndstr from="abc" length=16``; ``from`` defaults to ``[0-9a-zA-Z]``, length to 16 [D HELP]."""
    chars = _ALNUM if alphabet is None else tostr(alphabet)
    count = _index(size, 16)
    if count >= run.limit:
        raise ScriptFailure("not enough memory")
    if not chars or count <= 0:
        return b""
    rng = run.interp.random
    return bytes(rng.choice(chars) for _ in range(count))


def tocrlf(run: RunState, value: Opt) -> Value:
    text = b"" if value is None else tostr(value)
    return text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def tolf(run: RunState, value: Opt) -> Value:
    return (b"" if value is None else tostr(value)).replace(b"\r\n", b"\n")


def jobname(run: RunState) -> Value:
    return run.ctx.script_name.encode("utf-8", "surrogateescape")


def nothing(run: RunState) -> Value:
    return NOTHING


def beep(run: RunState, frequency: Opt, duration: Opt) -> Value:
    return NOTHING  # the emulated router has no speaker


def resolve(run: RunState, name: Opt) -> Value:
    """``:resolve "host"``: the router's optional ``resolve(name) -> value``; without one, an address in TEST-NET-1
    (192.0.2.0/24) derived from the name, so installs that resolve their SMTP server still run [emulator]."""
    host = b"" if name is None else tostr(name)
    lookup = getattr(run.port, "resolve", None)
    if lookup is not None:
        try:
            address: Value = lookup(host)
            return address
        except RouterOSError as error:
            raise ScriptFailure(str(error)) from None
    if not host:
        raise ScriptFailure("failure: dns name does not exist")
    try:  # an address literal resolves to itself [I]
        return IP(ipaddress.IPv4Address(host.decode("ascii")))
    except (UnicodeDecodeError, ValueError):
        pass
    digest = hashlib.sha256(host.lower()).digest()
    return IP(ipaddress.IPv4Address(f"192.0.2.{1 + digest[0] % 254}"))


def convert_value(run: RunState, value: Opt, source: Opt, target: Opt, transform: Opt) -> Value:
    """``:convert`` (7.12+) [D HELP]; see ``encodings.py``."""

    def word(v: Opt) -> str | None:
        return None if v is None else tostr(v).decode("latin-1")

    try:
        return encodings.convert(NOTHING if value is None else value, word(source), word(target), word(transform))
    except encodings.ConvertError as error:
        raise ScriptFailure(f"failure: {error}") from None


def _word(value: Opt) -> bytes | None:
    return None if value is None else tostr(value)


def _given(**params: Opt) -> tuple[str, ...]:
    return tuple(f"{name}=" for name, value in params.items() if value is not None)


def serialize(run: RunState, value: Opt, delimiter: Opt, file_name: Opt, options: Opt, order: Opt, to: Opt) -> Value:
    """``:serialize value to=json [options=…]`` (7.13+) [D HELP]; see ``encodings.serialize`` for what is refused."""
    extra = _given(delimiter=delimiter, order=order) + (("file-name=",) if file_name is not None else ())
    try:
        return encodings.serialize(NOTHING if value is None else value, _word(to), _word(options), extra)
    except encodings.NotModelled as refused:
        raise EmulatorRefusal(f"emulator refuses: :serialize: {refused}") from None


def deserialize(run: RunState, value: Opt, delimiter: Opt, source: Opt, options: Opt) -> Value:
    """``:deserialize value from=json [options=…]`` (7.13+) [D HELP]; see ``encodings.deserialize``."""
    try:
        return encodings.deserialize(
            b"" if value is None else tostr(value), _word(source), _word(options), _given(delimiter=delimiter)
        )
    except encodings.NotModelled as refused:
        raise EmulatorRefusal(f"emulator refuses: :deserialize: {refused}") from None


def not_emulated(name: str) -> Callable[..., Value]:
    def refuse(run: RunState, *args: Opt) -> Value:
        raise ScriptFailure(f":{name} is not supported by the emulator")

    return refuse


def _conversion(fn: Callable[[Value], Value]) -> Callable[[RunState, Opt], Value]:
    def run_conversion(run: RunState, value: Opt) -> Value:
        return fn(NOTHING if value is None else value)

    return run_conversion


def tonum(run: RunState, value: Opt) -> Value:
    """``:tonum``; the router's ``behaviour.tonum_leading_zero`` decides how ``"010"`` reads (the interpreter reads it
    from the port once, ``Interpreter.tonum_octal``; ports without a ``behaviour``, such as the test fakes, read
    decimal)."""
    return convert.tonum(NOTHING if value is None else value, octal=run.interp.tonum_octal)


def toarray(run: RunState, value: Opt, delimiter: Opt = None) -> Value:
    return convert.toarray(NOTHING if value is None else value, b"," if delimiter is None else tostr(delimiter))


#: name → (function, parameter order).
PURE: dict[str, tuple[Callable[..., Value], tuple[str, ...]]] = {
    "put": (put, ("message",)),
    "error": (error, ("message",)),
    "delay": (delay, ("delay-time",)),
    "len": (length, ("value",)),
    "pick": (pick, ("counter", "begin", "end")),
    "find": (find, ("in", "key", "from")),
    "typeof": (typeof_, ("value",)),
    "toarray": (toarray, ("value", "delimiter")),
    "tobool": (_conversion(convert.tobool), ("value",)),
    "toid": (_conversion(convert.toid), ("value",)),
    "toip": (_conversion(convert.toip), ("value",)),
    "toip6": (_conversion(convert.toip6), ("value",)),
    "tonum": (tonum, ("value",)),
    "tostr": (_conversion(tostr), ("value",)),
    "totime": (_conversion(convert.totime), ("value",)),
    "tonsec": (_conversion(convert.tonsec), ("value",)),
    "nothing": (nothing, ()),
    "jobname": (jobname, ()),
    "range": (to_range, ("from", "to")),
    "rndnum": (rndnum, ("from", "to")),
    "rndstr": (rndstr, ("from", "length")),
    "tocrlf": (tocrlf, ("input",)),
    "tolf": (tolf, ("input",)),
    "beep": (beep, ("frequency", "length")),
    "resolve": (resolve, ("domain-name",)),
    "convert": (convert_value, ("value", "from", "to", "transform")),
    "serialize": (serialize, ("value", "delimiter", "file-name", "options", "order", "to")),
    "deserialize": (deserialize, ("value", "delimiter", "from", "options")),
    **{name: (not_emulated(name), ()) for name in ("ping", "grep", "lock")},
}
