"""The router's virtual wall clock, its time zone, and the queue of timed events that advancing it runs.

Time is kept as nanoseconds since the Unix epoch (UTC). Local time comes from ``time-zone-name`` (an IANA name, via
``zoneinfo``) or, with ``manual``, from a fixed ``gmt-offset`` (RouterOS's default is ``manual`` and +00:00, [INF]).
Everything that happens "later" — scheduler runs, accounting interim updates and stops, mail delivery, fixture
sessions — is an :class:`Event` in one queue; :meth:`Clock.advance_to` runs due events in time order (ties in the order
they were queued). An event may itself advance the clock (a scheduled script doing ``:delay``): the nested call runs
the events due in that span and the outer loop carries on; the clock never goes backwards.

**True time and shown time.** :attr:`Clock.now` is true time, the one timeline every event lives on. The router *shows*
``now + skew_ns`` (:meth:`Clock.shown`): ``/system clock``, ``:timestamp``, scheduler wall times, log times, mail and
User Manager time stamps all read it through :meth:`Clock.local`, and :meth:`Clock.from_local` maps a wall time the
router shows back to the true instant. The skew changes when the clock is set (``/system clock set``), when a router
without an RTC boots (jan/02/1970, [DOC] CLOCK) and when the NTP client synchronises; time-zone offsets are those in
force at the shown instant.

Must not: know menus, scripts or User Manager; sleep in real time.
"""

from __future__ import annotations

import datetime as dt
import heapq
import zoneinfo
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from emulator.contract import RouterOSError

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
class Repeating:
    """A router-internal event that recurs (an accounting interim): one queue entry at a time, and ``step`` is called
    at each occurrence with its instant and returns the next one (None: it stops).

    ``step`` must only note what happened (work for :attr:`Clock.settlers`): it runs without the cost of an
    :class:`Event` per occurrence, and whoever reads or changes what the noted work affects calls :meth:`Clock.settle`
    first (the router does on every menu call, see :meth:`Router.call`).
    """

    at: int
    label: str
    step: Callable[[int], int | None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass(slots=True)
class Clock:
    now: int  # true time: ns since the epoch, UTC
    time_zone_name: str = "manual"
    gmt_offset: int = 0  # seconds east of UTC, used when time_zone_name is "manual"
    skew_ns: int = 0  # what the router shows minus true time
    #: How deep advance_to calls are nested right now (0: between driver calls).
    depth: int = 0
    _queue: list[tuple[int, int, Event]] = field(default_factory=list)
    #: :class:`Repeating` entries, ordered with ``_queue`` by (time, sequence number) as if they were one queue: the
    #: instants that have entries (a heap) and per instant its entries as (sequence number, entry), in that order.
    #: Sessions that log in together have their interims due together, so a step is O(1) rather than two heap
    #: operations on a heap of every live session (issue 9).
    _repeat_times: list[int] = field(default_factory=list)
    _repeat_at: dict[int, deque[tuple[int, Repeating]]] = field(default_factory=dict)
    #: Apply what :class:`Repeating` steps noted; run by :meth:`settle`, which :meth:`advance_to` calls before it
    #: returns and :meth:`show`/:meth:`set_zone` before the shown time changes.
    settlers: list[Callable[[], None]] = field(default_factory=list)
    _seq: int = 0
    _zone: dt.tzinfo | None = None

    def __post_init__(self) -> None:
        self.set_zone(self.time_zone_name)

    # --- time zone ---------------------------------------------------------------------------------------------------

    def set_zone(self, name: str) -> None:
        self.settle()  # noted work may format local times
        if name == "manual":
            self._zone = None
        else:
            try:
                self._zone = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise RouterOSError("input does not match any value of time-zone-name") from None
        self.time_zone_name = name

    def offset(self, ns: int | None = None) -> int:
        """Seconds east of UTC in force at true instant ``ns`` (default now), i.e. at the time the router shows then."""
        return self._offset_at(self.shown(ns))

    def _offset_at(self, shown_ns: int) -> int:
        if self._zone is None:
            return self.gmt_offset
        delta = self.utc(shown_ns).astimezone(self._zone).utcoffset()
        return int(delta.total_seconds()) if delta else 0

    def dst_active(self) -> bool:
        if self._zone is None:
            return False
        delta = self.utc(self.shown()).astimezone(self._zone).dst()
        return bool(delta)

    @staticmethod
    def utc(ns: int) -> dt.datetime:
        return EPOCH + dt.timedelta(microseconds=ns // 1000)

    def shown(self, ns: int | None = None) -> int:
        """The UTC instant (ns) the router's clock shows at true instant ``ns`` (default now)."""
        return (self.now if ns is None else ns) + self.skew_ns

    def wall(self, shown_ns: int) -> dt.datetime:
        """Local wall time (naive) of a shown UTC instant."""
        return (self.utc(shown_ns) + dt.timedelta(seconds=self._offset_at(shown_ns))).replace(tzinfo=None)

    def local(self, ns: int | None = None) -> dt.datetime:
        """Local wall time (naive) the router shows at true instant ``ns`` (default now)."""
        return self.wall(self.shown(ns))

    def shown_from_local(self, local: dt.datetime) -> int:
        """The shown UTC instant (ns) of a naive local wall time. In a DST gap or overlap the first reading wins
        [INF]."""
        if self._zone is None:
            aware = local.replace(tzinfo=dt.timezone(dt.timedelta(seconds=self.gmt_offset)))
        else:
            aware = local.replace(tzinfo=self._zone, fold=0)
        return (aware - EPOCH) // dt.timedelta(microseconds=1) * 1000

    def from_local(self, local: dt.datetime) -> int:
        """The true instant (ns UTC) at which the router shows the naive local wall time ``local``."""
        return self.shown_from_local(local) - self.skew_ns

    def true_local(self, ns: int | None = None) -> dt.datetime:
        """Local wall time of true instant ``ns`` on a correct clock (the world's time: fixture clients use it)."""
        return self.wall(self.now if ns is None else ns)

    def true_instant(self, local: dt.datetime) -> int:
        """The true instant of a local wall time on a correct clock (the inverse of :meth:`true_local`)."""
        return self.shown_from_local(local)

    def show(self, local: dt.datetime) -> None:
        """Sets the skew so that the router shows ``local`` now (``/system clock set``, NTP, a 1970 boot)."""
        self.settle()  # noted work stamps shown times
        self.skew_ns = self.shown_from_local(local) - self.now

    # --- events ------------------------------------------------------------------------------------------------------

    def at(self, ns: int, label: str, action: Callable[[], None]) -> Event:
        """Queues ``action`` to run when the clock reaches ``ns`` (at once on the next advance if ``ns`` has passed)."""
        event = Event(ns, label, action)
        self._seq += 1
        heapq.heappush(self._queue, (ns, self._seq, event))
        return event

    def after(self, delay_ns: int, label: str, action: Callable[[], None]) -> Event:
        return self.at(self.now + delay_ns, label, action)

    def repeat(self, ns: int, label: str, step: Callable[[int], int | None]) -> Repeating:
        """Queues a :class:`Repeating` event whose first occurrence is at ``ns``."""
        entry = Repeating(ns, label, step)
        self._seq += 1
        self._queue_repeating(ns, self._seq, entry)
        return entry

    def _queue_repeating(self, ns: int, seq: int, entry: Repeating) -> None:
        # Sequence numbers only grow, so appending keeps each instant's entries in their order.
        same = self._repeat_at.get(ns)
        if same is None:
            self._repeat_at[ns] = deque(((seq, entry),))
            heapq.heappush(self._repeat_times, ns)
        else:
            same.append((seq, entry))

    @property
    def _repeating(self) -> list[tuple[int, int, Repeating]]:
        """The queued :class:`Repeating` entries as (time, sequence number, entry), soonest first."""
        return [(at, seq, entry) for at in sorted(self._repeat_at) for seq, entry in self._repeat_at[at]]

    def advance_to(self, ns: int) -> None:
        """Runs every event due up to ``ns`` in order, then sets the clock to ``ns`` (never backwards).

        The two queues are one timeline: an entry of either runs when its (time, sequence number) is the smallest, so
        the order is the one a single queue would give. The settlers run before it returns.
        """
        self.depth += 1
        queue, times, repeat_at = self._queue, self._repeat_times, self._repeat_at
        heappop = heapq.heappop
        try:
            while True:
                if times:
                    # The Repeating branch runs once per accounting interim of every session: no slices, no calls
                    # but the step. Entries compare by (time, sequence number); the numbers are unique.
                    at = times[0]
                    if at <= ns:
                        same = repeat_at[at]
                        seq, entry = same[0]
                        if not queue or at < (head := queue[0])[0] or (at == head[0] and seq < head[1]):
                            same.popleft()
                            if not same:
                                del repeat_at[at]
                                heappop(times)
                            if entry.cancelled:
                                continue
                            if at > self.now:
                                self.now = at
                            following = entry.step(at)
                            if following is not None and not entry.cancelled:
                                entry.at = following
                                self._seq = seq = self._seq + 1
                                if (later := repeat_at.get(following)) is not None:
                                    later.append((seq, entry))  # what _queue_repeating does, inlined
                                else:
                                    self._queue_repeating(following, seq, entry)
                            continue
                if not queue or queue[0][0] > ns:
                    break
                at, _, event = heappop(queue)
                if event.cancelled:
                    continue
                self.now = max(self.now, at)
                event.action()
            self.settle()
            self.now = max(self.now, ns)
        finally:
            self.depth -= 1

    def settle(self) -> None:
        """Applies what :class:`Repeating` steps noted (see :attr:`settlers`)."""
        for settler in self.settlers:
            settler()

    def pending(self) -> list[tuple[int, str]]:
        """Queued, not cancelled events as (ns, label), soonest first: for tests and debugging."""
        entries: list[tuple[int, int, Event | Repeating]] = [*self._queue, *self._repeating]
        return sorted((at, e.label) for at, _, e in entries if not e.cancelled)
