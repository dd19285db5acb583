"""The ``rb{…}`` block of a User Manager comment (docs/comment-format.md), read and written as the router does.

:func:`parse` reads a comment exactly as the router's ``rbParseState`` (rsc_templates/common/state.rsc.j2) does: the
block from the first ``rb{`` to the next ``}``, pairs ``key=value`` split on ``;``, keys lower-case letters, the last
of a repeated key wins, the packed digits of the original AutomatedBilling scripts; :func:`render` writes it as
``rbWriteState`` does (the text around the block unchanged, keys in alphabetical order, empty values left out).
tests/test_payments.py holds both to the router's functions on the emulated router. The one reader of the block:
``rosbill pay``/``report`` (generator/payments.py) and the simulate report (generator/simreport.py) use it.

Must not: print, exit, or know what a key means beyond the packed digits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

_KEY = re.compile(r"[a-z]+")
_PACKED_BEFORE = re.compile(r"[0-9]{13,} *")
_PACKED = re.compile(r"[0-9]{13,}")


class BrokenState(ValueError):
    """The comment cannot be read the way the router reads it, or a key holds what it cannot."""


@dataclass(frozen=True, slots=True)
class State:
    """A comment taken apart: the operator's text before and after the block, and the block's keys in the order read.

    ``pre`` already holds the space :func:`render` puts between the operator's text and a new block (``rbParseState``
    does the same), so ``render(parse(c))`` is ``c`` for every comment with a block in rosbill's own order.
    """

    pre: str
    post: str
    keys: Mapping[str, str]
    has_block: bool
    packed: str = ""  # the original scripts' digits, replaced by the block on the next write

    def get(self, key: str) -> str:
        return self.keys.get(key, "")


def parse(comment: str, today: dt.date | None = None) -> State:
    """The comment as ``rbParseState`` reads it. ``today`` dates the packed digits' month (this year, or last year
    when the month is later than the current one); without it a packed comment is refused."""
    kv: dict[str, str] = {}
    pre, post, packed = comment, "", ""
    open_at = comment.find("rb{")
    if open_at >= 0:
        rest = comment[open_at + 3 :]
        close = rest.find("}")
        if close < 0:
            raise BrokenState("the rb{ block has no closing }")
        pre, post, body = comment[:open_at], rest[close + 1 :], rest[:close]
        for pair in body.split(";"):
            if pair == "":
                continue
            key, equals, value = pair.partition("=")
            if not equals:
                raise BrokenState(f'"{pair}" has no =')
            if not _KEY.fullmatch(key):
                raise BrokenState(f'"{key}" is not a key')
            kv[key] = value  # a repeated key: the last one wins, as :set does
        if _PACKED_BEFORE.fullmatch(pre):
            packed, pre = pre.split(" ", 1)[0], ""
    elif _PACKED.fullmatch(comment):
        packed, pre = comment, ""
    elif comment:
        pre = comment + " "
    if packed:
        _unpack(packed, today, kv)
    return State(pre, post, kv, open_at >= 0, packed)


def _unpack(packed: str, today: dt.date | None, kv: dict[str, str]) -> None:
    month = int(packed[-2:])
    if not 1 <= month <= 12:
        raise BrokenState(f"the packed comment has month {packed[-2:].lstrip('0') or '0'}")
    if today is None:
        raise BrokenState("a packed comment of the original scripts needs the router's date to be read")
    year = today.year - 1 if month > today.month else today.year
    groups = {"inv": packed[:5], "cap": packed[5:-4], "lvl": packed[-4:-2]}
    old = {key: value.lstrip("0") or "0" for key, value in groups.items()}
    old["per"] = f"{year:04d}-{month:02d}"
    for key, value in old.items():
        kv.setdefault(key, value)


def render(state: State, changes: Mapping[str, str] | None = None) -> str:
    """The comment with the block rebuilt as ``rbWriteState`` writes it: ``changes`` applied (``""`` removes a
    key), keys in alphabetical order, empty values left out, the operator's text and unknown keys unchanged."""
    keys = dict(state.keys) | dict(changes or {})
    for key, value in keys.items():
        if not _KEY.fullmatch(key) or ";" in value or "}" in value:
            raise ValueError(f"{key}={value!r} cannot be stored in the block")
    body = ";".join(f"{key}={value}" for key, value in sorted(keys.items()) if value != "")
    return f"{state.pre}rb{{{body}}}{state.post}"
