"""``:convert value from= to= transform=`` (v7.12+): byte encodings and simple transforms of a value's text.

The value is decoded from ``from`` (without ``from`` RouterOS auto-parses it, so ``[:convert 001 to=hex]`` gives
``31``: the word ``001`` is the number 1 [D HELP, O fx 169237]), transformed, then encoded as ``to``. Formats: raw,
base32, base64, hex, url, rot13, byte-array (an array of numbers); transforms: lc, uc, lcfirst, ucfirst, reverse,
rot13, crlf, md5, sha512 [D HELP]. The ed25519/x25519 key transforms and ``from=num`` (7.17) are not emulated.

``:serialize`` / ``:deserialize`` with JSON (7.13+) are at the end of the module.

Must not: know the interpreter; failures are :class:`ConvertError` for the caller to turn into a script error, and
:class:`NotModelled` where the emulator does not know RouterOS's answer (the caller refuses).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import hashlib
import json
import re
import urllib.parse
from collections.abc import Callable

from emulator.convert import word_value
from emulator.values import INT64_MAX, INT64_MIN, IP, Array, Value, callable_code, tostr, typeof


class ConvertError(ValueError):
    pass


def _rot13(data: bytes) -> bytes:
    return codecs.encode(data.decode("latin-1"), "rot13").encode("latin-1")


def _byte(value: Value) -> int:
    if type(value) is int or type(value) is bool or type(value) is bytes:
        return int(value)  # as Python's int() would: a numeric string converts, anything else is refused
    raise TypeError(value)


def _from_byte_array(value: Value) -> bytes:
    if not isinstance(value, Array):
        raise ConvertError("byte-array input must be an array")
    try:
        return bytes(_byte(v) for v in value.values())
    except (TypeError, ValueError):
        raise ConvertError("byte-array elements must be numbers 0..255") from None


_DECODE: dict[str, Callable[[bytes], bytes]] = {
    "raw": lambda b: b,
    "base64": lambda b: base64.b64decode(b, validate=True),
    "base32": lambda b: base64.b32decode(b),
    "hex": lambda b: binascii.unhexlify(b),
    "url": lambda b: urllib.parse.unquote_to_bytes(b),
    "rot13": _rot13,
}

_ENCODE: dict[str, Callable[[bytes], Value]] = {
    "raw": lambda b: b,
    "base64": base64.b64encode,
    "base32": base64.b32encode,
    "hex": lambda b: binascii.hexlify(b),
    "url": lambda b: urllib.parse.quote_from_bytes(b, safe="").encode("ascii"),
    "rot13": _rot13,
    "byte-array": lambda b: Array(list(b)),
}

_TRANSFORM: dict[str, Callable[[bytes], bytes]] = {
    "lc": bytes.lower,
    "uc": bytes.upper,
    "lcfirst": lambda b: b[:1].lower() + b[1:],
    "ucfirst": lambda b: b[:1].upper() + b[1:],
    "reverse": lambda b: b[::-1],
    "rot13": _rot13,
    "crlf": lambda b: b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
    "md5": lambda b: hashlib.md5(b).digest(),  # RouterOS's own transform, not a security use
    "sha512": lambda b: hashlib.sha512(b).digest(),
}


def convert(value: Value, source: str | None, target: str | None, transform: str | None) -> Value:
    if source is None:
        data = tostr(value)
    elif source == "byte-array":
        data = _from_byte_array(value)
    elif source in _DECODE:
        try:
            data = _DECODE[source](tostr(value))
        except (binascii.Error, ValueError):
            raise ConvertError(f"invalid {source} input") from None
    else:
        raise ConvertError(f"unknown format {source}")
    if transform is not None:
        if transform not in _TRANSFORM:
            raise ConvertError(f"unknown transform {transform}")
        data = _TRANSFORM[transform](data)
    target = target or "raw"
    if target not in _ENCODE:
        raise ConvertError(f"unknown format {target}")
    return _ENCODE[target](data)


# --- :serialize / :deserialize (JSON) --------------------------------------------------------------------------------
#
# What the Scripting manual states [D HELP ":serialize", ":deserialize"], with the 7.21.4 command tree's option names
# [O db]: ``to=json`` / ``from=json``; ``json.no-string-conversion`` keeps strings strings (otherwise a numeric string
# becomes a JSON number written as a float, ``"1234"`` → ``1234.000000`` [D HELP], ``"0000000"`` → ``0.000000``
# [O fx 178959], and on the way in a JSON string that looks like a number or an IP address becomes num / ip [D HELP]);
# keyed arrays become objects in the array's (sorted) key order, list arrays JSON arrays, ``{"a";"b";"c"}`` ⇄
# ``["a","b","c"]`` [D HELP]. Everything the sources leave open is refused as not modelled rather than guessed:
# ``json.pretty`` (its layout), dsv, ``file-name=``, values other than num, bool, str and arrays of them (nil, nothing,
# time, ip, code …), an empty or a mixed (list and keyed) array, strings with control characters, non-ASCII bytes or
# "/" (their escaping), numeric-looking strings other than plain digits, JSON null, fractional numbers and numbers
# outside int64, and malformed JSON (the router's error wording).

NO_STRING_CONVERSION = "json.no-string-conversion"
_DIGITS = re.compile(rb"[0-9]+\Z")
_NUMERIC_LOOKING = re.compile(rb"\s*[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*\Z")


class NotModelled(ValueError):
    """What RouterOS does here is not known; the caller refuses (``EmulatorRefusal``)."""


def _options(options: bytes | None, allowed: frozenset[str]) -> set[str]:
    given = set() if options is None else {o for o in options.decode("latin-1").split(",") if o}
    unknown = given - allowed
    if unknown:
        raise NotModelled(f"options={','.join(sorted(unknown))} is not modelled")
    return given


def serialize(value: Value, to: bytes | None, options: bytes | None, extra: tuple[str, ...]) -> bytes:
    """``:serialize value to=json [options=json.no-string-conversion]``."""
    if to != b"json":
        raise NotModelled(f"to={(to or b'').decode('latin-1')} is not modelled (only to=json)")
    if extra:
        raise NotModelled(f"{', '.join(extra)} with to=json is not modelled")
    keep_strings = NO_STRING_CONVERSION in _options(options, frozenset({NO_STRING_CONVERSION}))
    return _json_value(value, keep_strings)


def _json_value(value: Value, keep_strings: bool) -> bytes:
    if value is True or value is False:
        return b"true" if value else b"false"
    if type(value) is int:
        return str(value).encode()
    if type(value) is bytes:
        if not keep_strings and _DIGITS.match(value) and len(value.lstrip(b"0")) > 15:
            raise NotModelled(f'"{value.decode()}" as a JSON float is not modelled (past double precision)')
        if not keep_strings and _DIGITS.match(value):
            return f"{int(value)}.000000".encode()  # [D HELP] "1234" → 1234.000000, [O fx 178959] "0000000" → 0.000000
        if not keep_strings and _NUMERIC_LOOKING.match(value):
            raise NotModelled(f'the numeric-looking string "{value.decode("latin-1")}" is not modelled (only digits)')
        return _json_string(value)
    if isinstance(value, Array) and callable_code(value) is None:
        if not len(value):
            raise NotModelled("an empty array is not modelled ([] or {})")
        if value.items and value.keyed:
            raise NotModelled("an array with both list and keyed elements is not modelled")
        if value.items:
            return b"[" + b",".join(_json_value(v, keep_strings) for v in value.items) + b"]"
        return (
            b"{"
            + b",".join(
                _json_string(k) + b":" + _json_value(v, keep_strings)
                for k, v in value.entries()
                if isinstance(k, bytes)
            )
            + b"}"
        )
    raise NotModelled(f"a value of type {typeof(value)} is not modelled")


def _json_string(text: bytes) -> bytes:
    for byte in text:
        if byte < 0x20 or byte >= 0x7F or byte == 0x2F:
            raise NotModelled(f"the escaping of byte {byte:#04x} in a JSON string is not modelled")
    return b'"' + text.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def deserialize(text: bytes, source: bytes | None, options: bytes | None, extra: tuple[str, ...]) -> Value:
    """``:deserialize value from=json [options=json.no-string-conversion]``."""
    if source != b"json":
        raise NotModelled(f"from={(source or b'').decode('latin-1')} is not modelled (only from=json)")
    if extra:
        raise NotModelled(f"{', '.join(extra)} with from=json is not modelled")
    keep_strings = NO_STRING_CONVERSION in _options(options, frozenset({NO_STRING_CONVERSION}))
    try:
        parsed = json.loads(text.decode("utf-8"), parse_float=_no_float, parse_constant=_no_float)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotModelled(f"malformed JSON is not modelled (the router's error wording): {error}") from None
    return _console_value(parsed, keep_strings)


def _no_float(text: str) -> object:
    raise NotModelled(f"the JSON number {text} is not modelled (only integers)")


def _console_value(parsed: object, keep_strings: bool) -> Value:
    if parsed is True or parsed is False:
        return parsed
    if isinstance(parsed, int):
        if not INT64_MIN <= parsed <= INT64_MAX:
            raise NotModelled(f"the JSON number {parsed} is outside int64: not modelled")
        return parsed
    if isinstance(parsed, str):
        data = parsed.encode("utf-8", "surrogatepass")
        if keep_strings:
            return data
        typed = word_value(parsed) if parsed.isascii() else data
        if type(typed) is int or type(typed) is IP:
            return typed  # a string that looks like a number or an IP address becomes one [D HELP]
        if type(typed) is not bytes:
            raise NotModelled(f'the JSON string "{parsed}" (a {typeof(typed)} to the console) is not modelled')
        return data
    if isinstance(parsed, list):
        return Array([_console_value(v, keep_strings) for v in parsed])
    if isinstance(parsed, dict):
        return Array(
            [], {k.encode("utf-8", "surrogatepass"): _console_value(v, keep_strings) for k, v in parsed.items()}
        )
    raise NotModelled("JSON null is not modelled")
