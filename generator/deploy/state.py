"""What deploy compares: the entries rosbill wants on a router (:class:`State`, from a build or a backup) and what the
router has (:class:`Actual`), plus how two values of one property are compared.

Entries are ``/system script`` and ``/system scheduler`` items, matched by name; rosbill owns an item only when its
comment starts with ``render.MANAGED_MARK``. ``/tool e-mail`` is one settings record.

Comparison rules (why each one): script sources ignore CRLF vs LF (Winbox-made scripts hold CRLF, platform.md §5.2);
policies are sets (the router prints them in its own order); times compare as durations (the API prints ``1d00:00:00``
or ``1d``, docs/simulator.md "API server"); booleans accept ``yes/no/true/false`` (API replies use ``true/false``,
platform.md §5.2). Everything else is compared byte for byte.

Must not: talk to routers beyond :func:`read_actual`, print, or decide what to write (``plan.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.deploy.credentials import Secret
from generator.deploy.transport import Row, Target
from generator.render import MANAGED_MARK

SCRIPT = "/system/script"
SCHEDULER = "/system/scheduler"
EMAIL = "/tool/e-mail"
#: Properties rosbill reads of each menu (``.proplist`` keeps replies small and leaves out run counters).
PROPLISTS = {
    SCRIPT: (".id", "name", "source", "policy", "dont-require-permissions", "comment"),
    SCHEDULER: (".id", "name", "start-date", "start-time", "interval", "on-event", "policy", "disabled", "comment"),
}
_BOOLEAN = frozenset({"dont-require-permissions", "disabled"})
_DURATION = frozenset({"interval", "start-time"})
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_CLOCK = re.compile(rb"^(?:(\d+)w)?(?:(\d+)d)?(\d+):(\d{2}):(\d{2})(?:\.\d+)?$")
_UNIT_TIME = re.compile(rb"^(?:\d+(?:w|d|h|ms|m|s))+$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One item rosbill wants: ``fields`` in write order, without ``name``."""

    menu: str
    name: str
    fields: tuple[tuple[str, bytes], ...]

    def value(self, key: str) -> bytes | None:
        return dict(self.fields).get(key)


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """The ``/tool e-mail`` values rosbill sets, in this router's property names.

    ``accept`` lists other values that count as equal (``address=`` before 7.12 takes an IP: any address the host name
    resolves to is right). ``password`` is compared only when the router shows it (API user with ``sensitive``).
    """

    fields: tuple[tuple[str, bytes], ...]
    accept: tuple[tuple[str, tuple[bytes, ...]], ...] = ()
    password: Secret | None = field(default=None, repr=False, compare=False)

    def accepted(self, key: str) -> tuple[bytes, ...]:
        return dict(self.accept).get(key, ())


#: The script entry that holds the notify channels' tokens (render.NOTIFY_KEYS_NAME) and the start of its comment.
#: Its comment does not start with the managed mark on purpose: plans never delete it, backups never hold it.
KEYS_NAME = "BillingNotifyKeys"
KEYS_MARK = "rosbill notify keys"
KEYS_COMMENT = (
    f"{KEYS_MARK}: written by rosbill deploy from the environment; readable by every user with the read policy"
)


@dataclass(frozen=True, slots=True)
class NotifyKeysEntry:
    """The source deploy writes into ``/system script BillingNotifyKeys``: one comment line per channel token.
    The source is a :class:`Secret`: plans, diffs, logs and backups never show or keep it."""

    source: Secret = field(repr=False, compare=False)
    fields: tuple[tuple[str, bytes], ...] = (("policy", b"read"), ("comment", KEYS_COMMENT.encode()))

    @classmethod
    def of(cls, tokens: Mapping[str, Secret]) -> NotifyKeysEntry:
        lines = ["# rosbill notify keys (docs/notify.md): BillingNotify reads the lines below; do not edit."]
        lines += [f"# key {name}={secret.reveal()}" for name, secret in sorted(tokens.items())]
        return cls(Secret("\n".join(lines) + "\n"))


@dataclass(frozen=True, slots=True)
class State:
    entries: tuple[Entry, ...]
    email: EmailSettings | None = None
    keys: NotifyKeysEntry | None = field(default=None, repr=False, compare=False)
    #: Why something rosbill would write is left alone this time (a notify token not in the environment).
    notes: tuple[str, ...] = field(default=(), compare=False)

    def names(self, menu: str) -> list[str]:
        return [e.name for e in self.entries if e.menu == menu]


@dataclass(frozen=True, slots=True)
class Actual:
    """The router's rows as read through the API (every row, managed or not)."""

    scripts: tuple[Row, ...]
    scheduler: tuple[Row, ...]
    email: Row | None = field(default=None, repr=False)  # may carry the SMTP password

    def rows(self, menu: str) -> tuple[Row, ...]:
        return self.scripts if menu == SCRIPT else self.scheduler


def read_actual(target: Target, *, email: bool) -> Actual:
    """Three prints at most: scripts, scheduler, and ``/tool e-mail`` when rosbill manages it."""
    scripts = tuple(target.print(SCRIPT, PROPLISTS[SCRIPT]))
    scheduler = tuple(target.print(SCHEDULER, PROPLISTS[SCHEDULER]))
    settings = None
    if email:
        rows = target.print(EMAIL)
        settings = rows[0] if rows else {}
    return Actual(scripts, scheduler, settings)


def is_managed(row: Mapping[str, bytes]) -> bool:
    return row.get("comment", b"").startswith(MANAGED_MARK.encode())


def text(value: bytes) -> str:
    """A value for display (never used for passwords)."""
    return value.decode("utf-8", "backslashreplace")


def normalise_source(source: bytes) -> bytes:
    return source.replace(b"\r\n", b"\n")


def seconds(value: bytes) -> int | None:
    """``1d``, ``1w2d3h``, ``23:50:00``, ``1d00:00:00``, ``90`` → seconds; None when it is none of these."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    clock = _CLOCK.match(value)
    if clock:
        weeks, days, hours, minutes, secs = (int(g) if g else 0 for g in clock.groups())
        return weeks * 604800 + days * 86400 + hours * 3600 + minutes * 60 + secs
    if _UNIT_TIME.match(value):
        total = 0
        for number, unit in re.findall(rb"(\d+)(ms|w|d|h|m|s)", value):
            total += 0 if unit == b"ms" else int(number) * _UNITS[unit.decode()]
        return total
    return None


def _boolean(value: bytes) -> bool | None:
    return {b"yes": True, b"true": True, b"no": False, b"false": False}.get(value.strip().lower())


def same(key: str, want: bytes, have: bytes | None) -> bool:
    """Whether the router's value ``have`` is what rosbill wants for property ``key``."""
    if have is None:
        return want == b""
    if key == "source":
        return normalise_source(want) == normalise_source(have)
    if key == "policy":
        return _words(want) == _words(have)
    if key in _BOOLEAN:
        return _boolean(want) is not None and _boolean(want) == _boolean(have)
    if key in _DURATION:
        wanted, present = seconds(want), seconds(have)
        return want == have if wanted is None or present is None else wanted == present
    return want == have


def _words(value: bytes) -> frozenset[bytes]:
    return frozenset(w.strip() for w in value.split(b",") if w.strip())
