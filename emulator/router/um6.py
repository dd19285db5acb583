"""User Manager of RouterOS v6: ``/tool user-manager`` customer, user, profile (+ limitation, profile-limitation),
router and session (platform.md §1).

The login field is ``username`` (not ``name``), ``customer=`` is required on ``user add`` ([SEEN] S7). A user has
read-only counters ``download-used``, ``upload-used``, ``uptime-used`` kept **on the user** ([DOC] S6), plus
``actual-profile`` (empty once every assigned profile expired), ``last-seen`` (``never`` before any accounting
[INF]) and ``active``.

**Counter model** (platform.md §7, [INF] where marked): a user's usage is the totals of sessions that closed since the
last ``reset-counters`` plus the last reported cumulative totals of the user's active sessions. ``reset-counters``
zeroes the closed part and hides each active session's current totals — until that session's next Interim-Update (or
its Stop), which carries the cumulative session total again and so brings the pre-reset usage back. This is the
original AutomatedBilling "Active Sessions Interim Update" known issue. Removing an active session row drops its
part until the next packet re-creates the row; removing closed rows does not lower the counters (they live on the
user). Whether ``reset-counters`` also clears ``uptime-used``: yes [INF] ("all counters").

Switches (:class:`~emulator.router.behaviour.Behaviour`): ``v6_reset_counters="keeps"`` accepts
``reset-counters`` and changes nothing; ``reset_delay_s`` makes it take effect later; ``um_close_session="marks-only"``
closes the row in User Manager only (its totals join the counters; when the still-running session's next packet
re-opens the row they leave them again, unless a reset came in between, so after a reset the whole session total
counts again); ``um_disabled_accounting="ignored"`` drops Interim and Stop packets of disabled users;
``v6_print_counters="omitted"`` leaves ``download-used``, ``upload-used`` and ``uptime-used`` out of ``user print``;
``v6_clear_profiles="waiting-only"`` keeps the running profile on ``clear-profiles``; ``v6_actual_profile_waiting=
"empty"`` shows no ``actual-profile`` for a ``starts-at=logon`` profile before its first login.

**Rate.** The Access-Accept's ``Mikrotik-Rate-Limit`` comes from the actual profile's limitation
(:meth:`UserManagerV6.reply_attributes`); a live session keeps the rate it started with (no CoA).

Must not: compare RouterOS versions; parse scripts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.contract import MenuCall, RouterOSError, RunContext, Value
from emulator.router.menu import Menu, on_items
from emulator.router.nas import AccountingPacket
from emulator.router.proptypes import BOOL, NUM, STR, TIME, Enum, Prop, format_datetime, text_of
from emulator.router.table import Table
from emulator.router.usermanager import ProfileInstance, SessionRows, Usage, current, note_login, timeline
from emulator.values import NOTHING, Time

if TYPE_CHECKING:
    from emulator.router.router import Router

ROOT = ("tool", "user-manager")
SECOND = 1_000_000_000
COUNTERS = frozenset({"download-used", "upload-used", "uptime-used"})
#: The user values ``Users.computed`` returns (its ``live_props``: a ``where`` on the others, and the simulation's
#: daily read of logins and comments, need not compute them).
LIVE = COUNTERS | {"actual-profile", "last-seen", "active"}


class Users(Table):
    def __init__(self, um: UserManagerV6) -> None:
        props = [
            Prop("customer", STR, required=True),
            Prop("username", STR, required=True, unique=True),
            Prop("password", STR, default=b"", sensitive=True),
            Prop("first-name", STR), Prop("last-name", STR), Prop("phone", STR), Prop("location", STR),
            Prop("email", STR), Prop("comment", STR), Prop("ip-address", STR), Prop("caller-id", STR),
            Prop("caller-id-bind-on-first-use", BOOL, default=False), Prop("shared-users", NUM, default=1),
            Prop("disabled", BOOL, default=False),
            Prop("download-used", NUM, readonly=True), Prop("upload-used", NUM, readonly=True),
            Prop("uptime-used", TIME, readonly=True), Prop("actual-profile", STR, readonly=True),
            Prop("last-seen", STR, readonly=True), Prop("active", BOOL, readonly=True),
            Prop("incomplete", BOOL, readonly=True, default=False), Prop("registration-date", STR, readonly=True),
        ]  # fmt: skip
        super().__init__((*ROOT, "user"), props)
        self.um = um
        self.live_props = LIVE  # what computed() returns (tests/sim/test_sim_speed_exact.py holds it to that)
        spec = on_items("create-and-activate-profile", extra=("customer", "profile"), required=frozenset({"profile"}))
        self.command(spec, self._create_and_activate)
        self.command(on_items("clear-profiles"), self._clear_profiles)
        self.command(on_items("reset-counters"), self._reset_counters)

    def check_add(self, values: dict[str, Value], ctx: RunContext) -> None:
        if self.um.customers.lookup(values["customer"]) is None:
            raise RouterOSError("input does not match any value of customer")  # [INF] wording
        values["registration-date"] = format_datetime(self.um.router.clock.local(), self.um.router.version)

    def added(self, item_id: int, ctx: RunContext) -> None:
        self.um.base[item_id] = Usage()
        self.um.assigned[item_id] = []

    def removed(self, item_id: int, values: dict[str, Value], ctx: RunContext) -> None:
        self.um.base.pop(item_id, None)
        self.um.assigned.pop(item_id, None)
        self.um.last_seen.pop(item_id, None)

    def print_hidden(self) -> frozenset[str]:
        if self.um.router.behaviour.v6_print_counters == "omitted":
            return COUNTERS
        return frozenset()

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        um = self.um
        usage = um.usage_of(item_id)
        now = um.router.clock.now
        state = current(um.assigned.get(item_id, []), now)
        if (
            state is not None
            and state.state == "waiting"
            and state.instance.on_first_auth
            and um.router.behaviour.v6_actual_profile_waiting == "empty"
        ):
            state = None  # not started yet: shown only from the first login (v6_actual_profile_waiting="empty")
        seen = um.last_seen.get(item_id)
        user = text_of(values["username"])
        return {
            "download-used": usage.download,
            "upload-used": usage.upload,
            "uptime-used": Time(usage.uptime_ns),
            "actual-profile": state.instance.profile if state else None,
            "last-seen": format_datetime(um.router.clock.wall(seen), um.router.version) if seen else b"never",
            "active": bool(um.sessions.active_ids_of(user)),
        }

    def _create_and_activate(self, call: MenuCall, ctx: RunContext) -> Value:
        profile_id = self.um.profiles.lookup(STR.coerce("profile", call.args["profile"]))
        if profile_id is None:
            raise RouterOSError("input does not match any value of profile")  # [INF] wording
        profile = self.um.profiles.items[profile_id]
        for item_id in self.ids_of(call):
            self.um.assigned[item_id].append(
                ProfileInstance(
                    profile=profile["name"],
                    validity_ns=profile["validity"].ns,
                    on_first_auth=profile["starts-at"] == b"logon",
                    added_ns=self.um.router.clock.now,
                )
            )
        return NOTHING

    def _clear_profiles(self, call: MenuCall, ctx: RunContext) -> Value:
        keep_running = self.um.router.behaviour.v6_clear_profiles == "waiting-only"
        now = self.um.router.clock.now
        for item_id in self.ids_of(call):
            running = [s.instance for s in timeline(self.um.assigned[item_id], now) if s.state == "running"]
            self.um.assigned[item_id] = running if keep_running else []
        return NOTHING

    def _reset_counters(self, call: MenuCall, ctx: RunContext) -> Value:
        ids = self.ids_of(call)  # an unknown user fails now, whatever the switches say
        behaviour = self.um.router.behaviour
        if behaviour.v6_reset_counters == "keeps":
            return NOTHING  # accepted, changes nothing

        def reset() -> None:
            for item_id in ids:
                if item_id in self.items:
                    self.um.reset_counters(item_id)

        if behaviour.reset_delay_s > 0:
            self.um.router.later(int(behaviour.reset_delay_s * SECOND), "um-reset-counters", reset)
        else:
            reset()
        return NOTHING


class Sessions(SessionRows):
    def __init__(self, um: UserManagerV6) -> None:
        names = [("customer", STR), ("user", STR), ("acct-session-id", STR), ("calling-station-id", STR),
                 ("user-ip", STR), ("host-ip", STR), ("nas-port", NUM), ("nas-port-type", STR), ("from-time", STR),
                 ("till-time", STR), ("uptime", TIME), ("download", NUM), ("upload", NUM), ("status", STR),
                 ("terminate-cause", STR), ("active", BOOL)]  # fmt: skip
        fields = {"started": "from-time", "ended": "till-time", "address": "user-ip", "close_cause": "admin-reset"}
        super().__init__(um.router, (*ROOT, "session"), [Prop(n, t, readonly=True) for n, t in names], fields)
        self.um = um

    def stale_closed(self, row_id: int) -> None:
        self.um.closed(row_id)
        state = self.state[row_id]
        if state.marked:
            self.um.contributed[row_id] = state.usage

    def reopened(self, row_id: int) -> None:
        # Its totals left the counters' closed part again (unless a reset zeroed that part meanwhile).
        self.um.reopened(row_id)


class UserManagerV6:
    """The v6 User Manager: its menus plus the accounting server the NAS reports to."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.base: dict[int, Usage] = {}  # closed-session totals since the last reset, per user id
        self.hidden: set[int] = set()  # active session rows whose totals a reset hid until their next packet
        #: Rows close-session only marked (marks-only) → the totals that joined ``base`` when they closed.
        self.contributed: dict[int, Usage] = {}
        self.assigned: dict[int, list[ProfileInstance]] = {}
        self.last_seen: dict[int, int] = {}
        self.customers = Table((*ROOT, "customer"), [
            Prop("login", STR, required=True, unique=True), Prop("password", STR, default=b"", sensitive=True),
            Prop("permissions", Enum("owner", "read-only", "read-write"), default=b"owner"), Prop("parent", STR),
            Prop("time-zone", STR), Prop("currency", STR, default=b"USD"), Prop("comment", STR),
        ])  # fmt: skip
        self.users = Users(self)
        self.profiles = Table((*ROOT, "profile"), [
            Prop("name", STR, required=True, unique=True), Prop("owner", STR, default=b"admin"),
            Prop("name-for-users", STR), Prop("validity", TIME, default=Time(0)),
            Prop("starts-at", Enum("logon", "now"), default=b"logon"), Prop("price", STR, default=b"0"),
            Prop("override-shared-users", STR, default=b"off"),
        ])  # fmt: skip
        self.limitations = Table((*ROOT, "profile", "limitation"), [
            Prop("name", STR, required=True, unique=True), Prop("owner", STR, default=b"admin"),
            Prop("download-limit", NUM, default=0), Prop("upload-limit", NUM, default=0),
            Prop("transfer-limit", NUM, default=0), Prop("uptime-limit", TIME, default=Time(0)),
            Prop("rate-limit-rx", STR), Prop("rate-limit-tx", STR), Prop("group-name", STR),
            Prop("address-list", STR), Prop("ip-pool", STR),
        ])  # fmt: skip
        self.profile_limitations = Table((*ROOT, "profile", "profile-limitation"), [
            Prop("profile", STR, required=True), Prop("limitation", STR, required=True),
            Prop("from-time", TIME, default=Time(0)), Prop("till-time", TIME, default=Time(86399 * 10**9)),
            Prop("weekdays", STR, default=b"sunday,monday,tuesday,wednesday,thursday,friday,saturday"),
        ])  # fmt: skip
        self.routers = Table((*ROOT, "router"), [
            Prop("name", STR, required=True, unique=True), Prop("ip-address", STR, default=b"127.0.0.1"),
            Prop("shared-secret", STR, default=b"", sensitive=True), Prop("customer", STR, default=b"admin"),
            Prop("log", STR, default=b""), Prop("use-coa", BOOL, default=False), Prop("coa-port", NUM, default=1700),
            Prop("disabled", BOOL, default=False), Prop("comment", STR),
        ])  # fmt: skip
        self.sessions = Sessions(self)
        # A default customer "admin" exists after install ([DOC] S6).
        self.customers.insert({"login": b"admin"})
        self.routers.insert({"name": b"local", "ip-address": b"127.0.0.1", "use-coa": True})

    @property
    def menus(self) -> list[Menu]:
        m: list[Menu] = [self.customers, self.users, self.profiles, self.limitations, self.profile_limitations]
        return [*m, self.routers, self.sessions]

    # --- usage -------------------------------------------------------------------------------------------------------

    def usage_of(self, user_id: int) -> Usage:
        base = self.base.get(user_id, Usage())
        download, upload, uptime = base.download, base.upload, base.uptime_ns
        states = self.sessions.state
        for row_id in self.sessions.active_ids_of(text_of(self.users.items[user_id]["username"])):
            state = states[row_id]
            if row_id not in self.hidden:
                download, upload, uptime = download + state.download, upload + state.upload, uptime + state.uptime_ns
        return Usage(download, upload, uptime)

    def usage(self, username: str) -> Usage:
        """The user's counters as ``download-used``/``upload-used``/``uptime-used`` show them now."""
        self.router.clock.settle()
        user_id = self.users.lookup(username)
        if user_id is None:
            raise KeyError(username)
        return self.usage_of(user_id)

    def reset_counters(self, user_id: int) -> None:
        self.base[user_id] = Usage()
        for row_id in self.sessions.row_ids_of(text_of(self.users.items[user_id]["username"])):
            self.contributed.pop(row_id, None)  # the closed part is gone: nothing to take back on re-opening
            if self.sessions.state[row_id].active:
                self.hidden.add(row_id)

    def reopened(self, row_id: int) -> None:
        share = self.contributed.pop(row_id, None)
        user_id = self.users.lookup(self.sessions.state[row_id].user)
        if share is not None and user_id is not None:
            self.base[user_id] = self.base.get(user_id, Usage()) - share

    def closed(self, row_id: int) -> None:
        """A session row closed: its final totals join the user's counters."""
        self.hidden.discard(row_id)
        state = self.sessions.state[row_id]
        user_id = self.users.lookup(state.user)
        if user_id is not None:
            self.base[user_id] = self.base.get(user_id, Usage()) + state.usage

    # --- AccountingServer --------------------------------------------------------------------------------------------

    def has_row(self, acct_session_id: str) -> bool:
        return self.sessions.has_row(acct_session_id)

    def authorize(self, user: str, service: str) -> bool:
        """Known, enabled users with a profile in force may log in ([INF]: v6 rejects users without an active
        profile; shared-users and limitations are not enforced by the emulator)."""
        user_id = self.users.lookup(user)
        if user_id is None or self.users.items[user_id].get("disabled"):
            return False
        instances = self.assigned.get(user_id, [])
        now = self.router.clock.now
        if current(instances, now) is None:
            return False
        note_login(instances, now)
        return True

    def account(self, packet: AccountingPacket) -> None:
        user_id = self.users.lookup(packet.user)
        if (
            packet.kind != "start"
            and user_id is not None
            and self.users.items[user_id].get("disabled")
            and self.router.behaviour.um_disabled_accounting == "ignored"
        ):
            return  # dropped: this traffic never reaches the counters
        port_type = b"virtual" if packet.service == "ppp" else b"wireless-802.11"
        extra: dict[str, Value] = {
            "customer": b"admin",
            "nas-port-type": port_type,
            "host-ip": b"127.0.0.1",
            "nas-port": 0,
        }
        if user_id is not None:
            extra["customer"] = self.users.items[user_id]["customer"]
            self.last_seen[user_id] = self.router.clock.shown(packet.sent_ns)
        row_id, was_active = self.sessions.apply(packet, extra)
        created_closed = packet.kind == "stop" and not was_active and len(self.sessions.state[row_id].status) == 1
        self.hidden.discard(row_id)  # any packet carries the cumulative total again
        if packet.kind == "stop" and (was_active or created_closed):
            self.closed(row_id)

    def reply_attributes(self, user: str) -> dict[str, str]:
        """What the Access-Accept carries for the rate: v6 users have no attributes; the rate is the limitation's
        ``rate-limit-rx``/``rate-limit-tx`` of the user's actual profile, sent as ``Mikrotik-Rate-Limit: rx/tx`` ([DOC]
        S6 User_Manager/Users "rate limits", platform.md §1.2), and its ``address-list`` as ``Mikrotik-Address-List``
        ([INF]; ``v6_limitation_address_list``); the first limitation with each gives it. A ``group-name`` or
        ``ip-pool`` of that limitation is refused as not modelled. Only profile-limitations for the whole day and week
        are modelled; a narrower window (from-time, till-time, weekdays) is refused as not modelled."""
        user_id = self.users.lookup(user)
        if user_id is None:
            return {}
        state = current(self.assigned.get(user_id, []), self.router.clock.now)
        if state is None:
            return {}
        whole = {"from-time": 0, "till-time": 86399 * SECOND}
        attributes: dict[str, str] = {}
        for row in self.profile_limitations.items.values():
            if row.get("profile") != state.instance.profile:
                continue
            times = {k: row[k].ns for k in whole}
            days = set(text_of(row["weekdays"]).split(","))
            if times != whole or len(days) != 7:
                raise RouterOSError("not modelled: a profile-limitation for part of the day or week")
            limitation_id = self.limitations.lookup(row["limitation"])
            if limitation_id is None:
                continue
            limitation = self.limitations.items[limitation_id]
            for unsent in ("group-name", "ip-pool"):
                if limitation.get(unsent):
                    raise RouterOSError(f"not modelled: a limitation's {unsent} in the Access-Accept")
            rx, tx = text_of(limitation.get("rate-limit-rx") or b""), text_of(limitation.get("rate-limit-tx") or b"")
            if rx or tx:
                attributes.setdefault("Mikrotik-Rate-Limit", f"{rx or '0'}/{tx or '0'}")
            address_list = text_of(limitation.get("address-list") or b"")
            if address_list and self.router.behaviour.v6_limitation_address_list == "sent":
                attributes.setdefault("Mikrotik-Address-List", address_list)
        return attributes

    def profile_states(self, username: str) -> list[str]:
        """Driver view: each assigned profile as ``name:state``."""
        self.router.clock.settle()
        user_id = self.users.lookup(username)
        if user_id is None:
            return []
        return [
            f"{s.instance.profile.decode()}:{s.state}" for s in timeline(self.assigned[user_id], self.router.clock.now)
        ]
