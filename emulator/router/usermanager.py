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
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
_DOWNLOAD, _UPLOAD, _UPTIME, _LAST, _STARTED, _ENDED, _ACCT = range(7)
_WIDTH = 7
_NO_END = -(2**63)  # the ended column of a row that has not ended
_ODD_ACCT = -1  # what _acct_number says of an acct-session-id that is not a number's hex
_EPOCH = dt.datetime(1970, 1, 1)
#: The reference columns of a session row in :attr:`SessionRows.refs`, ``_REFS`` per row id: indexes into the
#: table's shared values (:class:`_Values`), and the flags (status index << 2 | marked << 1 | active).
_USER, _USER_TEXT, _ADDRESS, _CALLING, _CAUSE, _EXTRA, _FLAGS = range(7)
_REFS = 7
_ACTIVE, _MARKED = 1, 2


def _acct_number(text: str) -> int:
    """The acct-session-id as a number when the text is exactly that number in lowercase hex without leading zeros
    (what the emulated NAS sends, e.g. ``81a0002c``), else ``_ODD_ACCT``: the text is then kept as it is."""
    if 0 < len(text) <= 15:
        try:
            number = int(text, 16)
        except ValueError:
            return _ODD_ACCT
        if number >= 0 and f"{number:x}" == text:
            return number
    return _ODD_ACCT


def _seconds(local: dt.datetime) -> int:
    """A naive local wall time as whole seconds (what the row shows: format_datetime drops the fraction)."""
    return (local.replace(microsecond=0) - _EPOCH) // dt.timedelta(seconds=1)


class _Values:
    """The values session rows share (user names, addresses, calling-station ids, causes, the extra values, the
    status lists), each stored once in ``values`` and named by its index there. ``_index`` finds the index of a
    value seen before; it is bounded (emptied when full), so a value that never repeats costs a list slot and a
    little time, and a value seen again after a clear is stored again (a duplicate, never a wrong value).
    Values are never taken out: a removed row's values stay (they are the ones other rows repeat)."""

    __slots__ = ("_index", "values")
    LIMIT = 20_000

    def __init__(self) -> None:
        self.values: list[Any] = []  # texts (str, bytes), extras (dicts), status lists (tuples)
        self._index: dict[object, int] = {}

    def _add(self, key: object, value: object) -> int:
        if len(self._index) >= self.LIMIT:
            self._index.clear()
        at = self._index[key] = len(self.values)
        self.values.append(value)
        return at

    def text(self, value: str | bytes) -> int:
        """The index of a text (str and bytes never compare equal, so they never share an index)."""
        found = self._index.get(value)
        return self._add(value, value) if found is None else found

    def extra(self, values: dict[str, Value]) -> int:
        """The index of a copy of ``values`` (rows whose extras are equal, value types included, share one)."""
        try:
            key = ("extra", *((name, type(value), value) for name, value in values.items()))
            found = self._index.get(key)
        except TypeError:  # an unhashable value (an array): not shared
            self.values.append(dict(values))
            return len(self.values) - 1
        return self._add(key, dict(values)) if found is None else found

    def status(self, status: tuple[str, ...]) -> int:
        key = ("status", status)
        found = self._index.get(key)
        return self._add(key, status) if found is None else found


class RowState:
    """A view of one session row: its values live in the table's columns (``numbers``, ``refs``), so a
    closed row is some bytes in arrays, not an object (a year of sessions is some 300,000 rows, issue 9). A view is
    made when asked for (``SessionRows.state[row_id]``) and holds nothing but the table and the row id."""

    __slots__ = ("_id", "_rows")

    def __init__(self, rows: SessionRows, row_id: int) -> None:
        self._rows = rows
        self._id = row_id

    def _ref(self, column: int) -> Any:
        rows = self._rows
        return rows.shared.values[rows.refs[self._id * _REFS + column]]

    @property
    def acct_session_id(self) -> str:
        return self._rows.acct_of(self._id)

    @property
    def user(self) -> str:
        value: str = self._ref(_USER)
        return value

    @property
    def user_text(self) -> bytes:
        value: bytes = self._ref(_USER_TEXT)
        return value

    @property
    def address(self) -> bytes:
        value: bytes = self._ref(_ADDRESS)
        return value

    @property
    def calling_station_id(self) -> bytes:
        value: bytes = self._ref(_CALLING)
        return value

    @property
    def terminate_cause(self) -> bytes:
        value: bytes = self._ref(_CAUSE)
        return value

    @terminate_cause.setter
    def terminate_cause(self, value: bytes) -> None:
        rows = self._rows
        rows.refs[self._id * _REFS + _CAUSE] = rows.shared.text(value)

    @property
    def extra(self) -> dict[str, Value]:
        value: dict[str, Value] = self._ref(_EXTRA)
        return value

    @property
    def status(self) -> tuple[str, ...]:
        """The kinds of packet seen, in order of their first arrival."""
        rows = self._rows
        value: tuple[str, ...] = rows.shared.values[rows.refs[self._id * _REFS + _FLAGS] >> 2]
        return value

    @status.setter
    def status(self, value: tuple[str, ...]) -> None:
        rows, at = self._rows, self._id * _REFS + _FLAGS
        rows.refs[at] = rows.shared.status(value) << 2 | rows.refs[at] & 3

    def _flag(self, bit: int) -> bool:
        return bool(self._rows.refs[self._id * _REFS + _FLAGS] & bit)

    def _set_flag(self, bit: int, on: bool) -> None:
        refs, at = self._rows.refs, self._id * _REFS + _FLAGS
        refs[at] = refs[at] | bit if on else refs[at] & ~bit

    @property
    def active(self) -> bool:
        return self._flag(_ACTIVE)

    @active.setter
    def active(self, value: bool) -> None:
        self._set_flag(_ACTIVE, value)

    @property
    def marked(self) -> bool:
        """Closed by close-session while its NAS session goes on (marks-only)."""
        return self._flag(_MARKED)

    @marked.setter
    def marked(self, value: bool) -> None:
        self._set_flag(_MARKED, value)

    def _number(self, column: int) -> int:
        return self._rows.numbers[self._id * _WIDTH + column]

    def _set_number(self, column: int, value: int) -> None:
        self._rows.numbers[self._id * _WIDTH + column] = value

    @property
    def download(self) -> int:
        return self._number(_DOWNLOAD)

    @download.setter
    def download(self, value: int) -> None:
        self._set_number(_DOWNLOAD, value)

    @property
    def upload(self) -> int:
        return self._number(_UPLOAD)

    @upload.setter
    def upload(self, value: int) -> None:
        self._set_number(_UPLOAD, value)

    @property
    def uptime_ns(self) -> int:
        return self._number(_UPTIME)

    @uptime_ns.setter
    def uptime_ns(self, value: int) -> None:
        self._set_number(_UPTIME, value)

    @property
    def last_ns(self) -> int:
        """Shown time (ns UTC) of the last accounting packet's send (formatted only when read)."""
        return self._number(_LAST)

    @last_ns.setter
    def last_ns(self, value: int) -> None:
        self._set_number(_LAST, value)

    @property
    def started_s(self) -> int:
        """Local wall time (whole seconds since 1970) the row started, formatted when read."""
        return self._number(_STARTED)

    @started_s.setter
    def started_s(self, value: int) -> None:
        self._set_number(_STARTED, value)

    @property
    def ended_s(self) -> int | None:
        """Local wall time (whole seconds since 1970) the row ended, None while it has not."""
        value = self._number(_ENDED)
        return None if value == _NO_END else value

    @ended_s.setter
    def ended_s(self, value: int | None) -> None:
        self._set_number(_ENDED, _NO_END if value is None else value)

    @property
    def usage(self) -> Usage:
        numbers, at = self._rows.numbers, self._id * _WIDTH
        return Usage(numbers[at + _DOWNLOAD], numbers[at + _UPLOAD], numbers[at + _UPTIME])

    @usage.setter
    def usage(self, usage: Usage) -> None:
        self.download, self.upload, self.uptime_ns = usage.download, usage.upload, usage.uptime_ns


class _RowStates(Mapping[int, RowState]):
    """``SessionRows.state``: row id → a :class:`RowState` view, for every row in the table's ``items``."""

    __slots__ = ("_rows",)

    def __init__(self, rows: SessionRows) -> None:
        self._rows = rows

    def __getitem__(self, row_id: int) -> RowState:
        if row_id not in self._rows.items:
            raise KeyError(row_id)
        return RowState(self._rows, row_id)

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows.items)

    def __len__(self) -> int:
        return len(self._rows.items)


class _NoRecord(dict[str, Value]):
    """The stored record of every session row: always empty (the values are in the table's columns), one object for all
    rows, and refusing writes so that a write meant for one row cannot reach them all."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a session row's values live in its RowState")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = __ior__ = _refuse  # type: ignore[assignment]


NO_RECORD = _NoRecord()


class SessionRows(Table):
    """``session``: read-only rows written by accounting. ``remove`` and ``close-session`` are the only commands that
    change them. ``fields`` maps the generic names (started, ended, address, last) to this version's property names.

    A row's values are not an object of its own but slots in the table's columns, indexed by row id (issue 9: a
    closed row costs some 200 bytes instead of an object, a record and texts): ``numbers`` (totals, last packet,
    start and end times, the acct-session-id as a number) and ``refs`` (indexes into ``shared``, the values rows have
    in common, and the flags). :attr:`state` gives a view of a row.
    """

    #: Removed rows whose closed-index entries are kept before a clean-up (when they are also half of the index).
    STALE_LIMIT = 1000

    def __init__(self, router: Router, path: tuple[str, ...], props: list[Prop], fields: dict[str, str]) -> None:
        super().__init__(path, props, addable=False, settable=False)
        self.router = router
        self.fields = fields
        self.live_props = frozenset(self.props)  # a row's values are all in the columns (its stored record is empty)
        #: The acct-session-id index: open rows (and every row whose id is not a number) in ``_by_acct``; a row that
        #: closes moves to ``_closed_keys`` (its acct number, sorted) and ``_closed_ids`` (its row id), 16 bytes
        #: instead of a dict entry and a text. Removed rows stay there until ``_stale`` calls for a clean-up (a
        #: lookup only takes a row still in ``items``).
        self._by_acct: dict[str, int] = {}
        self._closed_keys: array[int] = array("q")
        self._closed_ids: array[int] = array("q")
        self._stale = 0
        self._by_user: dict[str, list[int]] = {}  # row ids per user name, so usage reads stay cheap
        #: Per user: the sums of download, upload and uptime over the user's rows, and the ids of the active rows, kept
        #: as the rows change (a user's rows grow by one a day, and monitor and usage read them every night).
        self._totals: dict[str, list[int]] = {}
        self._active: dict[str, dict[int, None]] = {}
        self.shared = _Values()
        self._blank = self.shared.text(b"")  # (an index stays valid: ``shared`` only grows)
        self._fresh = self.shared.status(()) << 2 | _ACTIVE  # the flags of a new row
        #: The columns, per row id: ``_WIDTH`` numbers (8 bytes each instead of an int object, no time stamp texts,
        #: the acct-session-id as its number, or -1 - its index in ``shared`` when it is not one) and ``_REFS`` indexes
        #: into ``shared`` (4 bytes each).
        self.numbers: array[int] = array("q")
        self.refs: array[int] = array("i")
        self.command(on_items("close-session"), self._close_session)

    @property
    def state(self) -> _RowStates:
        """Row id → a view of the row (:class:`RowState`), for every row in ``items``."""
        return _RowStates(self)

    def row_of(self, acct_session_id: str) -> int | None:
        row_id = self._by_acct.get(acct_session_id)
        if row_id is not None and row_id in self.items:
            return row_id
        return self._closed_row(_acct_number(acct_session_id)) if self._closed_keys else None

    def _closed_row(self, number: int) -> int | None:
        """The row in the closed index with this acct number (:func:`_acct_number`), if any is still in ``items``."""
        if number == _ODD_ACCT:
            return None
        keys, ids, items = self._closed_keys, self._closed_ids, self.items
        at = bisect_left(keys, number)
        while at < len(keys) and keys[at] == number:  # (a removed row's entry may precede the live one)
            if ids[at] in items:
                return ids[at]
            at += 1
        return None

    def acct_of(self, row_id: int) -> str:
        """The row's acct-session-id."""
        number = self.numbers[row_id * _WIDTH + _ACCT]
        if number < 0:
            text: str = self.shared.values[-1 - number]
            return text
        return f"{number:x}"

    def _retire(self, row_id: int) -> None:
        """A row closed: its acct-session-id moves from ``_by_acct`` to the closed index (once; a row that opens
        again, marks-only, stays there: a lookup searches both)."""
        number = self.numbers[row_id * _WIDTH + _ACCT]
        if number < 0:
            return  # (not a number: it stays in ``_by_acct``)
        text = f"{number:x}"
        if self._by_acct.get(text) != row_id:
            return
        del self._by_acct[text]
        at = bisect_right(self._closed_keys, number)
        self._closed_keys.insert(at, number)
        self._closed_ids.insert(at, row_id)

    def has_row(self, acct_session_id: str) -> bool:
        return self.row_of(acct_session_id) is not None

    def rows_of(self, user: str) -> list[RowState]:
        return [RowState(self, rid) for rid in self.row_ids_of(user)]

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

    def _user(self, row_id: int) -> str:
        value: str = self.shared.values[self.refs[row_id * _REFS + _USER]]
        return value

    def _activate(self, row_id: int, active: bool) -> None:
        refs, at = self.refs, row_id * _REFS + _FLAGS
        if active:
            refs[at] |= _ACTIVE
            self._active.setdefault(self._user(row_id), {})[row_id] = None
        else:
            refs[at] &= ~_ACTIVE
            self._active.get(self._user(row_id), {}).pop(row_id, None)

    def _local_s(self, ns: int | None = None) -> int:
        """The local wall time the router shows at true instant ``ns`` (default now), as stored in a row."""
        return _seconds(self.router.clock.local(ns))

    def _format_s(self, seconds: int) -> bytes:
        return format_datetime(_EPOCH + dt.timedelta(seconds=seconds), self.router.version)

    def _new_row(self, packet: AccountingPacket, extra: dict[str, Value], acct: int) -> int:
        row_id = self.next_id
        self.next_id += 1
        self.items[row_id] = NO_RECORD  # the values live in the columns (computed)
        shared, numbers, refs = self.shared, self.numbers, self.refs
        if len(refs) != row_id * _REFS:  # (ids only grow: the columns end at the last id handed out)
            numbers.extend([0] * (row_id * _WIDTH - len(numbers)))
            refs.extend([0] * (row_id * _REFS - len(refs)))
        if acct == _ODD_ACCT:  # the text itself, once (an acct-session-id hardly repeats)
            shared.values.append(packet.acct_session_id)
            acct = -len(shared.values)
        numbers.extend((0, 0, 0, 0, self._local_s(packet.started_ns), _NO_END, acct))
        user = packet.user
        refs.extend((
            shared.text(user), shared.text(user.encode()), shared.text(packet.address.encode()),
            shared.text(packet.calling_station_id.encode()), self._blank, shared.extra(extra), self._fresh,
        ))  # fmt: skip
        self._by_acct[packet.acct_session_id] = row_id
        self._by_user.setdefault(user, []).append(row_id)
        self._active.setdefault(user, {})[row_id] = None
        return row_id

    def apply(self, packet: AccountingPacket, extra: dict[str, Value]) -> tuple[int, bool]:
        """Writes a packet into its row (creating it if needed); returns (row id, whether it was active before)."""
        row_id = self._by_acct.get(packet.acct_session_id)
        refs, kind = self.refs, packet.kind
        was_active: bool | None = None  # (None: an existing row, known below)
        if row_id is None or row_id not in self.items:
            number = _acct_number(packet.acct_session_id)
            row_id = self._closed_row(number) if self._closed_keys else None
            if row_id is None:
                row_id, was_active = self._new_row(packet, extra, number), False
        if was_active is None:
            if refs[row_id * _REFS + _FLAGS] & _MARKED and kind != "start":
                self._reopen(row_id)
            was_active = bool(refs[row_id * _REFS + _FLAGS] & _ACTIVE)
        at = row_id * _REFS
        values = self.shared.values
        user: str = values[refs[at + _USER]]
        totals = self._totals.get(user)
        if totals is None:
            totals = self._totals[user] = [0, 0, 0]
        numbers, n = self.numbers, row_id * _WIDTH  # the row's columns, written here without the properties
        totals[0] += packet.download - numbers[n + _DOWNLOAD]
        totals[1] += packet.upload - numbers[n + _UPLOAD]
        totals[2] += packet.uptime_ns - numbers[n + _UPTIME]
        numbers[n + _DOWNLOAD], numbers[n + _UPLOAD] = packet.download, packet.upload
        numbers[n + _UPTIME], numbers[n + _LAST] = packet.uptime_ns, self.router.clock.shown(packet.sent_ns)
        flags = refs[at + _FLAGS]
        status: tuple[str, ...] = values[flags >> 2]
        if kind not in status:
            refs[at + _FLAGS] = self.shared.status((*status, kind)) << 2 | flags & 3
        if kind == "stop":
            self._activate(row_id, False)
            numbers[n + _ENDED] = self._local_s(packet.sent_ns)
            refs[at + _CAUSE] = self.shared.text(packet.cause.encode())
            self._retire(row_id)
        return row_id, was_active

    def close_now(self, row_id: int, cause: str) -> None:
        self._activate(row_id, False)
        self.numbers[row_id * _WIDTH + _ENDED] = self._local_s()
        self.refs[row_id * _REFS + _CAUSE] = self.shared.text(cause.encode())
        self._retire(row_id)

    def _reopen(self, row_id: int) -> None:
        """A packet for a row close-session only marked: the session never ended, the row is active again."""
        self.refs[row_id * _REFS + _FLAGS] &= ~_MARKED
        self._activate(row_id, True)
        self.numbers[row_id * _WIDTH + _ENDED] = _NO_END
        self.refs[row_id * _REFS + _CAUSE] = self._blank
        self.reopened(row_id)

    def reopened(self, row_id: int) -> None:
        """Hook: a marked row became active again (before the packet's totals are written)."""

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        fields, shared = self.fields, self.shared.values
        refs, at = self.refs, item_id * _REFS
        numbers, n = self.numbers, item_id * _WIDTH
        acct = self.acct_of(item_id)
        # In the order the values were written when each row had a record of its own.
        row: dict[str, Value] = {
            "user": shared[refs[at + _USER_TEXT]], "acct-session-id": acct.encode(),
            fields["started"]: self._format_s(numbers[n + _STARTED]),
            fields["address"]: shared[refs[at + _ADDRESS]],
            "calling-station-id": shared[refs[at + _CALLING]],
            "terminate-cause": shared[refs[at + _CAUSE]],
        }  # fmt: skip
        row.update(shared[refs[at + _EXTRA]])
        ended = numbers[n + _ENDED]
        if ended != _NO_END:
            row[fields["ended"]] = self._format_s(ended)
        if "last" in fields:
            row[fields["last"]] = format_datetime(self.router.clock.wall(numbers[n + _LAST]), self.router.version)
        row["download"], row["upload"] = numbers[n + _DOWNLOAD], numbers[n + _UPLOAD]
        row["uptime"] = Time(numbers[n + _UPTIME])
        flags = refs[at + _FLAGS]
        row["active"], row["status"] = bool(flags & _ACTIVE), ",".join(shared[flags >> 2]).encode()
        return row

    def removed(self, item_id: int, values: dict[str, Value], ctx: RunContext) -> None:
        acct = self.acct_of(item_id)
        if self._by_acct.get(acct) == item_id:
            del self._by_acct[acct]
        elif self.numbers[item_id * _WIDTH + _ACCT] >= 0:
            self._stale += 1  # its entry in the closed index stays, ignored, until there are many such
            if self._stale > self.STALE_LIMIT and self._stale * 2 > len(self._closed_keys):
                self._drop_stale()
        user = self._user(item_id)
        self._by_user[user].remove(item_id)
        self._active.get(user, {}).pop(item_id, None)
        totals, numbers, at = self._totals[user], self.numbers, item_id * _WIDTH
        totals[0] -= numbers[at + _DOWNLOAD]
        totals[1] -= numbers[at + _UPLOAD]
        totals[2] -= numbers[at + _UPTIME]

    def _drop_stale(self) -> None:
        """The closed index without the entries of removed rows."""
        items = self.items
        pairs = zip(self._closed_keys, self._closed_ids, strict=True)
        kept = [(key, row_id) for key, row_id in pairs if row_id in items]
        self._closed_keys = array("q", [key for key, _ in kept])
        self._closed_ids = array("q", [row_id for _, row_id in kept])
        self._stale = 0

    def stale_closed(self, row_id: int) -> None:
        """Hook: a row closed by close-session without a live NAS session behind it."""

    def _close_session(self, call: MenuCall, ctx: RunContext) -> Value:
        marks_only = self.router.behaviour.um_close_session == "marks-only"
        for row_id in self.ids_of(call):
            if row_id not in self.items or not self.refs[row_id * _REFS + _FLAGS] & _ACTIVE:
                continue
            acct = self.acct_of(row_id)
            session = self.router.nas.sessions.get(acct)
            if session is not None and not marks_only:
                self.router.nas.disconnect(session, "admin-reset")
            else:
                self.close_now(row_id, self.fields["close_cause"])
                if session is not None:
                    self.refs[row_id * _REFS + _FLAGS] |= _MARKED
                else:
                    self.refs[row_id * _REFS + _FLAGS] &= ~_MARKED
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
