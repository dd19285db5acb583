"""The router's virtual wall clock, its time zone, and the queue of timed events that advancing it runs.

Time is kept as nanoseconds since the Unix epoch (UTC). Local time comes from ``time-zone-name`` (an IANA name, via
``zoneinfo``) or, with ``manual``, from a fixed ``gmt-offset`` (RouterOS's default is ``manual`` and +00:00, [INF]).
Everything that happens "later" — scheduler runs, accounting interim updates and stops, mail delivery, fixture
sessions — is an :class:`Event` in one queue; :meth:`Clock.advance_to` runs due events in time order (ties in the order
they were queued). An event may itself advance the clock (a scheduled script doing ``:delay``): the nested call runs
the events due in that span and the outer loop carries on; the clock never goes backwards.

Must not: know menus, scripts or User Manager; sleep in real time.
"""

from __future__ import annotations

import datetime as dt
import heapq
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.sim.contract import RouterOSError

SECOND = 1_000_000_000
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(slots=True)
class Event:
    at: int
    label: str
    action: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass(slots=True)
class Clock:
    now: int  # ns since the epoch, UTC
    time_zone_name: str = "manual"
    gmt_offset: int = 0  # seconds east of UTC, used when time_zone_name is "manual"
    _queue: list[tuple[int, int, Event]] = field(default_factory=list)
    _seq: int = 0
    _zone: dt.tzinfo | None = None

    def __post_init__(self) -> None:
        self.set_zone(self.time_zone_name)

    # --- time zone ---------------------------------------------------------------------------------------------------

    def set_zone(self, name: str) -> None:
        if name == "manual":
            self._zone = None
        else:
            try:
                self._zone = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise RouterOSError("input does not match any value of time-zone-name") from None
        self.time_zone_name = name

    def offset(self, ns: int | None = None) -> int:
        """Seconds east of UTC in force at ``ns`` (default now)."""
        if self._zone is None:
            return self.gmt_offset
        moment = self.utc(self.now if ns is None else ns)
        delta = moment.astimezone(self._zone).utcoffset()
        return int(delta.total_seconds()) if delta else 0

    def dst_active(self) -> bool:
        if self._zone is None:
            return False
        delta = self.utc(self.now).astimezone(self._zone).dst()
        return bool(delta)

    @staticmethod
    def utc(ns: int) -> dt.datetime:
        return EPOCH + dt.timedelta(microseconds=ns // 1000)

    def local(self, ns: int | None = None) -> dt.datetime:
        """Local wall time (naive) at ``ns`` (default now)."""
        ns = self.now if ns is None else ns
        return (self.utc(ns) + dt.timedelta(seconds=self.offset(ns))).replace(tzinfo=None)

    def from_local(self, local: dt.datetime) -> int:
        """The instant (ns UTC) of a naive local wall time. In a DST gap or overlap the first reading wins [INF]."""
        if self._zone is None:
            aware = local.replace(tzinfo=dt.timezone(dt.timedelta(seconds=self.gmt_offset)))
        else:
            aware = local.replace(tzinfo=self._zone, fold=0)
        return (aware - EPOCH) // dt.timedelta(microseconds=1) * 1000

    # --- events ------------------------------------------------------------------------------------------------------

    def at(self, ns: int, label: str, action: Callable[[], None]) -> Event:
        """Queues ``action`` to run when the clock reaches ``ns`` (at once on the next advance if ``ns`` has passed)."""
        event = Event(ns, label, action)
        self._seq += 1
        heapq.heappush(self._queue, (ns, self._seq, event))
        return event

    def after(self, delay_ns: int, label: str, action: Callable[[], None]) -> Event:
        return self.at(self.now + delay_ns, label, action)

    def advance_to(self, ns: int) -> None:
        """Runs every event due up to ``ns`` in order, then sets the clock to ``ns`` (never backwards)."""
        while self._queue and self._queue[0][0] <= ns:
            at, _, event = heapq.heappop(self._queue)
            if event.cancelled:
                continue
            self.now = max(self.now, at)
            event.action()
        self.now = max(self.now, ns)

    def run_due(self) -> None:
        """Runs events already due (e.g. queued for "now" by the call that just ran)."""
        self.advance_to(self.now)

    def pending(self) -> list[tuple[int, str]]:
        """Queued, not cancelled events as (ns, label), soonest first: for tests and debugging."""
        return sorted((at, e.label) for at, _, e in self._queue if not e.cancelled)

    def next_due(self) -> int | None:
        while self._queue and self._queue[0][2].cancelled:
            heapq.heappop(self._queue)
        return self._queue[0][0] if self._queue else None
