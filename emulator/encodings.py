"""``:convert value from= to= transform=`` (v7.12+): byte encodings and simple transforms of a value's text.

The value is decoded from ``from`` (without ``from`` RouterOS auto-parses it, so ``[:convert 001 to=hex]`` gives
``31``: the word ``001`` is the number 1 [D HELP, O fx 169237]), transformed, then encoded as ``to``. Formats: raw,
base32, base64, hex, url, rot13, byte-array (an array of numbers); transforms: lc, uc, lcfirst, ucfirst, reverse,
rot13, crlf, md5, sha512 [D HELP]. The ed25519/x25519 key transforms and ``from=num`` (7.17) are not emulated.

Must not: know the interpreter; failures are :class:`ConvertError` for the caller to turn into a script error.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import hashlib
import urllib.parse
from collections.abc import Callable

from emulator.values import Array, Value, tostr


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
