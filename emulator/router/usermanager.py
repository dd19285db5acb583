"""What User Manager v6 and v7 share: usage totals, profile timelines, and the session table fed by accounting.

**Session rows.** Each Acct-Session-Id is one row. Start creates it (active), every Interim-Update overwrites its
totals with the packet's cumulative values, Stop writes the final totals and closes it ([DOC] S1, S6, S19). A packet for
a row that was removed re-creates it ([INF] platform.md §7: "the next interim … re-adds the whole session total").
``close-session`` asks the NAS to disconnect the session (a Disconnect-Request/CoA, assumed configured: NAS
``/radius incoming accept=yes``, UM router ``use-coa``/``coa-port`` [INF] §1.4, §2.5); the row closes when the Stop
arrives. A row whose NAS session no longer exists (stale, e.g. after a reboot) is closed at once. With
``Behaviour.um_close_session="marks-only"`` ([DOC] MikroTik wiki User_Manager/Active_sessions) ``close-session`` only
marks the row inactive (cause ``admin-reset`` on v6, ``um-admin-request`` on v7) and the NAS session goes on: its next
Interim or Stop makes the row active again with the packet's cumulative totals (:meth:`SessionRows.reopened`).

**Profiles.** A user's assigned profiles form a queue. The first not yet expired is the actual profile; one that
starts "at logon/first-auth" starts when its user first authenticates while it is current, one that starts
"now/assigned" when it was assigned or when the previous one expired ([DOC] S1 "when the active one expires UM
switches to the next"; timing details [INF]).

Must not: parse scripts, or know which RouterOS version it runs on (v6/v7 behaviour lives in um6.py / um7.py).
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING

from emulator.contract import MenuCall, RunContext, Value
from emulator.router.menu import on_items
from emulator.router.nas import AccountingPacket
from emulator.router.proptypes import Prop, format_datetime
from emulator.router.table import Table
from emulator.values import NOTHING, Time

if TYPE_CHECKING:
    from emulator.router.router import Router


@dataclass(frozen=True, slots=True)
class Usage:
    download: int = 0
    upload: int = 0
    uptime_ns: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.download + other.download, self.upload + other.upload, self.uptime_ns + other.uptime_ns)

    def __sub__(self, other: Usage) -> Usage:
        return Usage(self.download - other.download, self.upload - other.upload, self.uptime_ns - other.uptime_ns)

    @property
    def total(self) -> int:
        return self.download + self.upload


@dataclass(slots=True)
class ProfileInstance:
    profile: bytes
    validity_ns: int  # 0: unlimited
    on_first_auth: bool  # v6 starts-at=logon, v7 starts-when=first-auth
    added_ns: int
    first_auth_ns: int | None = None
    row_id: int = 0  # v7 user-profile row


@dataclass(frozen=True, slots=True)
class ProfileState:
    instance: ProfileInstance
    state: str  # waiting | running | used
    start_ns: int | None
    end_ns: int | None  # None: unlimited (or not started)


def timeline(instances: list[ProfileInstance], now: int) -> list[ProfileState]:
    """Where each assigned profile stands at ``now``."""
    out: list[ProfileState] = []
    previous_end: int | None = None
    blocked = False  # an earlier profile is running (or waiting) so later ones wait
    for inst in instances:
        if blocked:
            out.append(ProfileState(inst, "waiting", None, None))
            continue
        if inst.on_first_auth:
            start = inst.first_auth_ns
        else:
            start = inst.added_ns if previous_end is None else max(inst.added_ns, previous_end)
        if start is None or start > now:
            out.append(ProfileState(inst, "waiting", None, None))
            blocked = True
            continue
        end = start + inst.validity_ns if inst.validity_ns > 0 else None
        if end is not None and end <= now:
            out.append(ProfileState(inst, "used", start, end))
            previous_end = end
            continue
        out.append(ProfileState(inst, "running", start, end))
        blocked = True
    return out


def current(instances: list[ProfileInstance], now: int) -> ProfileState | None:
    """The profile in force (running, or waiting for the first login), or None when all are used."""
    for state in timeline(instances, now):
        if state.state != "used":
            return state
    return None


def note_login(instances: list[ProfileInstance], now: int) -> None:
    """A login starts the current profile when it starts at first authentication."""
    state = current(instances, now)
    if state is not None and state.state == "waiting" and state.instance.on_first_auth:
        state.instance.first_auth_ns = now


#: The number columns of a session row in :attr:`SessionRows.numbers`, ``_WIDTH`` per row id.
_DOWNLOAD, _UPLOAD, _UPTIME, _LAST, _STARTED, _ENDED = range(6)
_WIDTH = 6
_NO_END = -(2**63)  # the ended column of a row that has not ended
_EPOCH = dt.datetime(1970, 1, 1)


def _seconds(local: dt.datetime) -> int:
    """A naive local wall time as whole seconds (what the row shows: format_datetime drops the fraction)."""
    return (local.replace(microsecond=0) - _EPOCH) // dt.timedelta(seconds=1)


class RowState:
    """One session row, its stored values too (the table's own record of it is empty): a year of sessions is some
    300,000 rows (issue 9). Its numbers (totals, last packet, start and end times) are not objects of their own but
    one slot each of the table's :attr:`SessionRows.numbers` column array, read and written through the properties;
    the text values are shared between rows (``_Shared``)."""

    __slots__ = (
        "_id",
        "_numbers",
        "acct_session_id",
        "active",
        "address",
        "calling_station_id",
        "extra",
        "marked",
        "status",
        "terminate_cause",
        "user",
        "user_text",
    )  # fmt: skip

    def __init__(
        self, acct_session_id: str, user: str, active: bool, numbers: array[int], row_id: int, *,
        user_text: bytes = b"", address: bytes = b"", calling_station_id: bytes = b"",
        extra: dict[str, Value] | None = None,
    ) -> None:  # fmt: skip
        self.acct_session_id = acct_session_id
        self.user = user
        self.active = active
        self.status: tuple[str, ...] = ()  # the kinds of packet seen, in order of their first arrival
        self.marked = False  # closed by close-session while its NAS session goes on (marks-only)
        self.user_text = user_text
        self.address = address
        self.calling_station_id = calling_station_id
        self.terminate_cause = b""
        self.extra: dict[str, Value] = {} if extra is None else extra  # shared by the rows whose extras are equal
        self._numbers = numbers
        self._id = row_id
        at = row_id * _WIDTH
        if len(numbers) < at + _WIDTH:
            numbers.extend([0] * (at + _WIDTH - len(numbers)))
        numbers[at : at + _WIDTH] = array("q", (0, 0, 0, 0, 0, _NO_END))

    @property
    def download(self) -> int:
        return self._numbers[self._id * _WIDTH + _DOWNLOAD]

    @download.setter
    def download(self, value: int) -> None:
        self._numbers[self._id * _WIDTH + _DOWNLOAD] = value

    @property
    def upload(self) -> int:
        return self._numbers[self._id * _WIDTH + _UPLOAD]

    @upload.setter
    def upload(self, value: int) -> None:
        self._numbers[self._id * _WIDTH + _UPLOAD] = value

    @property
    def uptime_ns(self) -> int:
        return self._numbers[self._id * _WIDTH + _UPTIME]

    @uptime_ns.setter
    def uptime_ns(self, value: int) -> None:
        self._numbers[self._id * _WIDTH + _UPTIME] = value

    @property
    def last_ns(self) -> int:
        """Shown time (ns UTC) of the last accounting packet's send (formatted only when read)."""
        return self._numbers[self._id * _WIDTH + _LAST]

    @last_ns.setter
    def last_ns(self, value: int) -> None:
        self._numbers[self._id * _WIDTH + _LAST] = value

    @property
    def started_s(self) -> int:
        """Local wall time (whole seconds since 1970) the row started, formatted when read."""
        return self._numbers[self._id * _WIDTH + _STARTED]

    @started_s.setter
    def started_s(self, value: int) -> None:
        self._numbers[self._id * _WIDTH + _STARTED] = value

    @property
    def ended_s(self) -> int | None:
        """Local wall time (whole seconds since 1970) the row ended, None while it has not."""
        value = self._numbers[self._id * _WIDTH + _ENDED]
        return None if value == _NO_END else value

    @ended_s.setter
    def ended_s(self, value: int | None) -> None:
        self._numbers[self._id * _WIDTH + _ENDED] = _NO_END if value is None else value

    @property
    def usage(self) -> Usage:
        return Usage(self.download, self.upload, self.uptime_ns)

    @usage.setter
    def usage(self, usage: Usage) -> None:
        self.download, self.upload, self.uptime_ns = usage.download, usage.upload, usage.uptime_ns


class _Shared:
    """Equal values stored once (user names, time stamps, causes, the extra values): a bounded table, emptied when
    full, so that values that never repeat cost no more than a little time."""

    __slots__ = ("_values",)
    LIMIT = 20_000

    def __init__(self) -> None:
        self._values: dict[object, object] = {}

    def get(self, value: bytes) -> bytes:
        found = self._values.get(value)
        if found is None:
            if len(self._values) >= self.LIMIT:
                self._values.clear()
            self._values[value] = value
            return value
        return found  # type: ignore[return-value]

    def extra(self, values: dict[str, Value]) -> dict[str, Value]:
        try:
            key = ("extra", *values.items())
            found = self._values.get(key)
        except TypeError:  # an unhashable value (an array): not shared
            return dict(values)
        if found is None:
            if len(self._values) >= self.LIMIT:
                self._values.clear()
            found = self._values[key] = dict(values)
        return found  # type: ignore[return-value]


class _NoRecord(dict[str, Value]):
    """The stored record of every session row: always empty (the values are the RowState's), one object for all
    rows, and refusing writes so that a write meant for one row cannot reach them all."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a session row's values live in its RowState")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = __ior__ = _refuse  # type: ignore[assignment]


NO_RECORD = _NoRecord()

_STATUS: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}


def _with_status(status: tuple[str, ...], kind: str) -> tuple[str, ...]:
    if kind in status:
        return status
    grown = _STATUS.get((status, kind))
    if grown is None:
        grown = _STATUS[(status, kind)] = (*status, kind)
    return grown


class SessionRows(Table):
    """``session``: read-only rows written by accounting. ``remove`` and ``close-session`` are the only commands that
    change them. ``fields`` maps the generic names (started, ended, address, last) to this version's property names."""

    def __init__(self, router: Router, path: tuple[str, ...], props: list[Prop], fields: dict[str, str]) -> None:
        super().__init__(path, props, addable=False, settable=False)
        self.router = router
        self.fields = fields
        self.live_props = frozenset(self.props)  # a row's values are all its RowState's (its stored record is empty)
        self.state: dict[int, RowState] = {}
        self._by_acct: dict[str, int] = {}
        self._by_user: dict[str, list[int]] = {}  # row ids per user name, so usage reads stay cheap
        #: Per user: the sums of download, upload and uptime over the user's rows, and the ids of the active rows, kept
        #: as the rows change (a user's rows grow by one a day, and monitor and usage read them every night).
        self._totals: dict[str, list[int]] = {}
        self._active: dict[str, dict[int, None]] = {}
        self._shared = _Shared()
        #: Every row's numbers, ``_WIDTH`` slots per row id (RowState reads and writes them): 8 bytes a number
        #: instead of an int object each, and no time stamp text kept per row (issue 9).
        self.numbers: array[int] = array("q")
        self.command(on_items("close-session"), self._close_session)

    def row_of(self, acct_session_id: str) -> int | None:
        row_id = self._by_acct.get(acct_session_id)
        return row_id if row_id in self.items else None

    def has_row(self, acct_session_id: str) -> bool:
        return self.row_of(acct_session_id) is not None

    def rows_of(self, user: str) -> list[RowState]:
        return [self.state[rid] for rid in self.row_ids_of(user)]

    def row_ids_of(self, user: str) -> list[int]:
        return [rid for rid in self._by_user.get(user, []) if rid in self.items]

    def totals_of(self, user: str) -> tuple[int, int, int]:
        """Download, upload and uptime summed over the user's rows (what summing :meth:`rows_of` gives)."""
        totals = self._totals.get(user)
        return (totals[0], totals[1], totals[2]) if totals is not None else (0, 0, 0)

    def active_ids_of(self, user: str) -> list[int]:
        """The user's active rows, in row order (what filtering :meth:`row_ids_of` on ``active`` gives)."""
        active = self._active.get(user)
        return sorted(rid for rid in active if rid in self.items) if active else []

    def _activate(self, row_id: int, state: RowState, active: bool) -> None:
        state.active = active
        if active:
            self._active.setdefault(state.user, {})[row_id] = None
        else:
            self._active.get(state.user, {}).pop(row_id, None)

    def _local_s(self, ns: int | None = None) -> int:
        """The local wall time the router shows at true instant ``ns`` (default now), as stored in a row."""
        return _seconds(self.router.clock.local(ns))

    def _format_s(self, seconds: int) -> bytes:
        return format_datetime(_EPOCH + dt.timedelta(seconds=seconds), self.router.version)

    def apply(self, packet: AccountingPacket, extra: dict[str, Value]) -> tuple[int, bool]:
        """Writes a packet into its row (creating it if needed); returns (row id, whether it was active before)."""
        row_id = self.row_of(packet.acct_session_id)
        if row_id is not None and self.state[row_id].marked and packet.kind != "start":
            self._reopen(row_id)
        was_active = row_id is not None and self.state[row_id].active
        if row_id is None:
            row_id = self.next_id
            self.next_id += 1
            shared = self._shared
            self.items[row_id] = NO_RECORD  # the values live in the RowState (computed)
            self.state[row_id] = RowState(
                packet.acct_session_id, packet.user, True, self.numbers, row_id,
                user_text=shared.get(packet.user.encode()), address=shared.get(packet.address.encode()),
                calling_station_id=shared.get(packet.calling_station_id.encode()), extra=shared.extra(extra),
            )  # fmt: skip
            self.state[row_id].started_s = self._local_s(packet.started_ns)
            self._by_acct[packet.acct_session_id] = row_id
            self._by_user.setdefault(packet.user, []).append(row_id)
            self._activate(row_id, self.state[row_id], True)
        state = self.state[row_id]
        totals = self._totals.get(state.user)
        if totals is None:
            totals = self._totals[state.user] = [0, 0, 0]
        numbers, at = self.numbers, row_id * _WIDTH  # the row's columns, written here without the properties
        totals[0] += packet.download - numbers[at + _DOWNLOAD]
        totals[1] += packet.upload - numbers[at + _UPLOAD]
        totals[2] += packet.uptime_ns - numbers[at + _UPTIME]
        numbers[at + _DOWNLOAD], numbers[at + _UPLOAD] = packet.download, packet.upload
        numbers[at + _UPTIME], numbers[at + _LAST] = packet.uptime_ns, self.router.clock.shown(packet.sent_ns)
        state.status = _with_status(state.status, packet.kind)
        if packet.kind == "stop":
            self._activate(row_id, state, False)
            state.ended_s = self._local_s(packet.sent_ns)
            state.terminate_cause = self._shared.get(packet.cause.encode())
        return row_id, was_active

    def close_now(self, row_id: int, cause: str) -> None:
        state = self.state[row_id]
        self._activate(row_id, state, False)
        state.ended_s = self._local_s()
        state.terminate_cause = self._shared.get(cause.encode())

    def _reopen(self, row_id: int) -> None:
        """A packet for a row close-session only marked: the session never ended, the row is active again."""
        state = self.state[row_id]
        state.marked = False
        self._activate(row_id, state, True)
        state.ended_s = None
        state.terminate_cause = b""
        self.reopened(row_id)

    def reopened(self, row_id: int) -> None:
        """Hook: a marked row became active again (before the packet's totals are written)."""

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        state = self.state[item_id]
        fields = self.fields
        # In the order the values were written when each row had a record of its own.
        row: dict[str, Value] = {
            "user": state.user_text, "acct-session-id": state.acct_session_id.encode(),
            fields["started"]: self._format_s(state.started_s), fields["address"]: state.address,
            "calling-station-id": state.calling_station_id, "terminate-cause": state.terminate_cause,
        }  # fmt: skip
        row.update(state.extra)
        ended = state.ended_s
        if ended is not None:
            row[fields["ended"]] = self._format_s(ended)
        if "last" in fields:
            row[fields["last"]] = format_datetime(self.router.clock.wall(state.last_ns), self.router.version)
        row["download"], row["upload"], row["uptime"] = state.download, state.upload, Time(state.uptime_ns)
        row["active"], row["status"] = state.active, ",".join(state.status).encode()
        return row

    def removed(self, item_id: int, values: dict[str, Value], ctx: RunContext) -> None:
        state = self.state.pop(item_id)
        self._by_acct.pop(state.acct_session_id, None)
        self._by_user[state.user].remove(item_id)
        self._active.get(state.user, {}).pop(item_id, None)
        totals = self._totals[state.user]
        totals[0] -= state.download
        totals[1] -= state.upload
        totals[2] -= state.uptime_ns

    def stale_closed(self, row_id: int) -> None:
        """Hook: a row closed by close-session without a live NAS session behind it."""

    def _close_session(self, call: MenuCall, ctx: RunContext) -> Value:
        marks_only = self.router.behaviour.um_close_session == "marks-only"
        for row_id in self.ids_of(call):
            state = self.state.get(row_id)
            if state is None or not state.active:
                continue
            session = self.router.nas.sessions.get(state.acct_session_id)
            if session is not None and not marks_only:
                self.router.nas.disconnect(session, "admin-reset")
            else:
                self.close_now(row_id, self.fields["close_cause"])
                state.marked = session is not None
                self.stale_closed(row_id)
        return NOTHING

    def remove_later(self, call: MenuCall, ctx: RunContext) -> Value:
        """``remove`` with ``Behaviour.reset_delay_s``: the rows named now disappear that much later (if still
        there); until then every read still sees them, and packets still update them."""
        ids = self.ids_of(call)  # an unknown id fails now, as remove does

        def remove() -> None:
            for item_id in ids:
                if item_id in self.items:
                    self.delete(item_id, ctx)

        self.router.later(int(self.router.behaviour.reset_delay_s * 1_000_000_000), "um-session-remove", remove)
        return NOTHING
