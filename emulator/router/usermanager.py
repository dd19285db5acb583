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

from dataclasses import dataclass, field
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


@dataclass(slots=True)
class RowState:
    acct_session_id: str
    user: str
    active: bool
    usage: Usage
    status: list[str] = field(default_factory=list)
    last_ns: int = 0  # shown time (ns UTC) of the last accounting packet's send (formatted only when read)
    marked: bool = False  # closed by close-session while its NAS session goes on (marks-only)


class SessionRows(Table):
    """``session``: read-only rows written by accounting. ``remove`` and ``close-session`` are the only commands that
    change them. ``fields`` maps the generic names (started, ended, address, last) to this version's property names."""

    def __init__(self, router: Router, path: tuple[str, ...], props: list[Prop], fields: dict[str, str]) -> None:
        super().__init__(path, props, addable=False, settable=False)
        self.router = router
        self.fields = fields
        live = {"download", "upload", "uptime", "active", "status", *fields.get("last", "").split()}
        self.live_props = frozenset(live)
        self.state: dict[int, RowState] = {}
        self._by_acct: dict[str, int] = {}
        self._by_user: dict[str, list[int]] = {}  # row ids per user name, so usage reads stay cheap
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

    def apply(self, packet: AccountingPacket, extra: dict[str, Value]) -> tuple[int, bool]:
        """Writes a packet into its row (creating it if needed); returns (row id, whether it was active before)."""
        usage = Usage(packet.download, packet.upload, packet.uptime_ns)
        row_id = self.row_of(packet.acct_session_id)
        if row_id is not None and self.state[row_id].marked and packet.kind != "start":
            self._reopen(row_id)
        was_active = row_id is not None and self.state[row_id].active
        if row_id is None:
            row_id = self.next_id
            self.next_id += 1
            started = format_datetime(self.router.clock.local(packet.started_ns), self.router.version)
            self.items[row_id] = {
                "user": packet.user.encode(), "acct-session-id": packet.acct_session_id.encode(),
                self.fields["started"]: started, self.fields["address"]: packet.address.encode(),
                "calling-station-id": packet.calling_station_id.encode(), "terminate-cause": b"",
            }  # fmt: skip
            self.items[row_id].update(extra)
            self.state[row_id] = RowState(packet.acct_session_id, packet.user, True, usage)
            self._by_acct[packet.acct_session_id] = row_id
            self._by_user.setdefault(packet.user, []).append(row_id)
        row = self.items[row_id]
        state = self.state[row_id]
        state.usage = usage
        if packet.kind not in state.status:
            state.status.append(packet.kind)
        state.last_ns = self.router.clock.shown(packet.sent_ns)
        if packet.kind == "stop":
            state.active = False
            row[self.fields["ended"]] = format_datetime(self.router.clock.local(packet.sent_ns), self.router.version)
            row["terminate-cause"] = packet.cause.encode()
        return row_id, was_active

    def close_now(self, row_id: int, cause: str) -> None:
        state = self.state[row_id]
        state.active = False
        row = self.items[row_id]
        row[self.fields["ended"]] = format_datetime(self.router.clock.local(), self.router.version)
        row["terminate-cause"] = cause.encode()

    def _reopen(self, row_id: int) -> None:
        """A packet for a row close-session only marked: the session never ended, the row is active again."""
        state = self.state[row_id]
        state.marked = False
        state.active = True
        row = self.items[row_id]
        row.pop(self.fields["ended"], None)
        row["terminate-cause"] = b""
        self.reopened(row_id)

    def reopened(self, row_id: int) -> None:
        """Hook: a marked row became active again (before the packet's totals are written)."""

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        state = self.state[item_id]
        live: dict[str, Value] = {}
        if "last" in self.fields:
            live[self.fields["last"]] = format_datetime(self.router.clock.wall(state.last_ns), self.router.version)
        return live | {
            "download": state.usage.download,
            "upload": state.usage.upload,
            "uptime": Time(state.usage.uptime_ns),
            "active": state.active,
            "status": ",".join(state.status).encode(),
        }

    def removed(self, item_id: int, values: dict[str, Value], ctx: RunContext) -> None:
        state = self.state.pop(item_id)
        self._by_acct.pop(state.acct_session_id, None)
        self._by_user[state.user].remove(item_id)

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
