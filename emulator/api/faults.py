"""Fault injection for deploy tests: what the emulated router's API should get wrong, and when.

A :class:`Faults` value is plain configuration; :class:`FaultState` is the live counter one server shares between its
connections, so "cut after N commands" counts across reconnects and a cut fires once (the retry after a reconnect
then succeeds, which is what a deploy's recovery path needs to be tested against).

Must not: know sockets or menus beyond matching command words and property names.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Misread:
    """Read-back mismatch: ``print``/``get`` report ``value`` for ``prop`` (in ``menu``, e.g. ``/system/script``, or
    every menu when empty) while the router holds the real value."""

    prop: str
    value: bytes
    menu: str = ""


@dataclass(frozen=True, slots=True)
class Faults:
    #: Drop the connection (no reply, no ``!fatal``) when the (N+1)-th command after login arrives.
    cut_after: int | None = None
    #: Drop the connection when this command word arrives, e.g. ``"/system/script/set"``.
    cut_at: str | None = None
    #: ``"before"``: the cut command never reaches the router; ``"after"``: it runs, then the connection drops
    #: before its reply (the client cannot know whether the change happened).
    cut_when: Literal["before", "after"] = "before"
    #: Read-back mismatches.
    misreads: tuple[Misread, ...] = ()
    #: ``/system/resource`` and every ``/system/package`` row report this version, e.g. ``"6.49.10"``; a bare
    #: number gets the `` (stable)`` suffix ``/system/resource`` prints.
    reported_version: str | None = None
    #: Hide User Manager: its menus answer ``no such command prefix`` and ``/system/package`` does not list it.
    without_user_manager: bool = False

    def misread_for(self, menu: str, prop: str) -> bytes | None:
        for misread in self.misreads:
            if misread.prop == prop and misread.menu in ("", menu):
                return misread.value
        return None


class FaultState:
    """Counts commands across all connections of one server; thread-safe."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._lock = threading.Lock()
        self._commands = 0
        self._cut_done = False

    def should_cut(self, command: str) -> bool:
        """Called once per command after login; True when this command is the one to cut at (fires once)."""
        with self._lock:
            self._commands += 1
            if self._cut_done:
                return False
            hit = (self.faults.cut_after is not None and self._commands > self.faults.cut_after) or (
                self.faults.cut_at is not None and command == self.faults.cut_at
            )
            if hit:
                self._cut_done = True
            return hit

    @property
    def cut_fired(self) -> bool:
        with self._lock:
            return self._cut_done
