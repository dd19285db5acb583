"""User Manager of RouterOS v7: ``/user-manager`` settings, user, profile, user-profile, limitation,
profile-limitation, router and session (platform.md §2).

The login field is ``name``; there is no e-mail/first-name/last-name field and no ``reset-counters`` on users
([DOC] S3). ``user monitor <id> once as-value`` returns ``total-download``, ``total-upload``, ``total-uptime``,
``active-sessions``, ``active-sub-sessions``, ``actual-profile``, ``attributes-details`` ([DOC] S1, S2); ``once`` is
required with ``as-value`` (6.43 rule); ``proplist=`` from 7.19 ([SEEN]).

**Counter model** ([INF] platform.md §2.4, §7): a user's totals are the sum over the session rows stored for that
user name, active or closed. Removing rows (``session remove [find user=…]``, the reset real tools use) lowers them;
an active session's next Interim-Update re-creates its row with the whole cumulative session total, so a reset done
while a session is open comes back. The settings' ``enabled`` must be ``yes`` for User Manager to answer RADIUS: while
disabled it rejects logins and accounting is lost [INF]. Limitations (incl. ``reset-counters-interval``) are stored
but not enforced.

Switches (:class:`~emulator.router.behaviour.Behaviour`): ``um_session_remove="keeps-totals"`` makes the totals
User Manager's own, fed per Acct-Session-Id by the increment each packet brings over the last one seen for that id, so
removing rows changes nothing and a later packet for a removed row adds only its increment ([SEEN] a third-party panel
keeps its own baseline because "sessions don't suffice for zeroing", router-review.md row 3); ``reset_delay_s`` makes
``session remove`` take effect later; ``um_disabled_accounting="ignored"`` drops Interim and Stop packets of disabled
users; ``um_close_session="marks-only"`` (see usermanager.py).

Must not: compare RouterOS versions; parse scripts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.contract import CommandSpec, MenuCall, RouterOSError, RunContext, Value
from emulator.router.menu import NO_SUCH_ITEM, READ, Menu, Singleton, proplist, record_array, text_line
from emulator.router.nas import AccountingPacket
from emulator.router.proptypes import BOOL, NUM, STR, TIME, Either, Enum, Prop, format_datetime, text_of
from emulator.router.table import Table
from emulator.router.usermanager import ProfileInstance, SessionRows, Usage, current, note_login, timeline
from emulator.values import NOTHING, Array, Time

if TYPE_CHECKING:
    from emulator.router.router import Router

ROOT = ("user-manager",)
#: Attribute names the emulated User Manager takes in ``attributes`` (user and group): the RADIUS attributes of RFC 2865
#: and MikroTik's vendor attributes the MikroTik RADIUS client documents (help.mikrotik.com RADIUS, "MikroTik specific
#: RADIUS attributes"). Custom ones (``/user-manager attribute``) are not modelled: an unknown name is refused.
KNOWN_ATTRIBUTES = frozenset({
    "Framed-IP-Address", "Framed-IP-Netmask", "Framed-Pool", "Framed-Route", "Framed-IPv6-Prefix",
    "Delegated-IPv6-Prefix", "Session-Timeout", "Idle-Timeout", "Acct-Interim-Interval", "Class", "Filter-Id",
    "Mikrotik-Rate-Limit", "Mikrotik-Address-List", "Mikrotik-Group", "Mikrotik-Recv-Limit", "Mikrotik-Xmit-Limit",
    "Mikrotik-Total-Limit",
})  # fmt: skip


def check_attributes(changes: dict[str, Value]) -> None:
    """``attributes`` must be ``Name:value,…`` with names :data:`KNOWN_ATTRIBUTES` knows (else: not modelled)."""
    text = changes.get("attributes")
    if not isinstance(text, bytes) or not text:
        return
    for part in text.decode("utf-8", "replace").split(","):
        name, colon, _ = part.partition(":")
        if not colon or not name:
            raise RouterOSError(f"invalid value for argument attributes: {part!r} is not Name:value")  # [INF] wording
        if name not in KNOWN_ATTRIBUTES:
            raise RouterOSError(f"not modelled: User Manager attribute {name}")


class Users(Table):
    def __init__(self, um: UserManagerV7) -> None:
        props = [
            Prop("name", STR, required=True, unique=True), Prop("password", STR, default=b"", sensitive=True),
            Prop("otp-secret", STR, default=b"", sensitive=True), Prop("group", STR, default=b"default"),
            Prop("shared-users", Either(NUM, "unlimited"), default=1), Prop("caller-id", STR),
            Prop("attributes", STR), Prop("comment", STR), Prop("disabled", BOOL, default=False),
        ]  # fmt: skip
        super().__init__((*ROOT, "user"), props)
        self.um = um
        self.live_props = frozenset({"attributes"})
        params = {"numbers"} | ({"proplist"} if um.router.version.has_monitor_proplist else set())
        spec = CommandSpec("monitor", params=frozenset(params), flags=frozenset({"once", "as-value"}), unnamed=1,
                           positional=("numbers",), policy=READ)  # fmt: skip
        self.command(spec, self._monitor)

    def check_add(self, values: dict[str, Value], ctx: RunContext) -> None:
        check_attributes(values)

    def check_set(self, item_id: int, changes: dict[str, Value], ctx: RunContext) -> None:
        check_attributes(changes)

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        # Behaviour.um_attributes_read: whether a script reads the attribute list as one text or as an array.
        if self.um.router.behaviour.um_attributes_read == "array":
            text = values.get("attributes", b"")
            items = [p for p in (text if isinstance(text, bytes) else b"").split(b",") if p]
            return {"attributes": Array(items=list(items))}
        return {}

    def monitor(self, item_id: int) -> dict[str, Value]:
        um = self.um
        name = text_of(self.items[item_id]["name"])
        usage = um.usage(name)
        state = current(um.instances_of(name), um.router.clock.now)
        return {
            "total-uptime": Time(usage.uptime_ns),
            "total-download": usage.download,
            "total-upload": usage.upload,
            "active-sessions": len(um.sessions.active_ids_of(name)),
            "active-sub-sessions": 0,
            "actual-profile": state.instance.profile if state else b"",
            "attributes-details": b"",
        }

    def _monitor(self, call: MenuCall, ctx: RunContext) -> Value:
        ids = self.ids_of(call)
        if not ids:
            raise RouterOSError(NO_SUCH_ITEM)
        if "as-value" in call.flags and "once" not in call.flags:
            # `once` is mandatory with as-value since 6.43 (platform.md §0.1) [INF wording]
            raise RouterOSError("as-value requires once")
        wanted = proplist(call)
        records = []
        for item_id in ids:
            values = self.monitor(item_id)
            if wanted is not None:
                values = {k: v for k, v in values.items() if k in wanted}
            records.append(values)
        if "as-value" in call.flags:
            if len(records) > 1:
                raise RouterOSError("invalid internal item number")  # [INF] one map per call
            return record_array(records[0])
        for values in records:
            ctx.output.append(text_line(values))
        return NOTHING


class Groups(Table):
    def check_add(self, values: dict[str, Value], ctx: RunContext) -> None:
        check_attributes(values)

    def check_set(self, item_id: int, changes: dict[str, Value], ctx: RunContext) -> None:
        check_attributes(changes)


class UserProfiles(Table):
    """Profile assignments; ``state`` and ``end-time`` are read-only and follow the profile timeline."""

    def __init__(self, um: UserManagerV7) -> None:
        props = [Prop("user", STR, required=True), Prop("profile", STR, required=True),
                 Prop("state", STR, readonly=True), Prop("end-time", STR, readonly=True)]  # fmt: skip
        super().__init__((*ROOT, "user-profile"), props, settable=False)
        self.um = um
        self.instances: dict[int, ProfileInstance] = {}
        #: row ids per user (``user`` cannot be changed after add), so logins and monitor stay cheap
        self.by_user: dict[bytes, list[int]] = {}

    def check_add(self, values: dict[str, Value], ctx: RunContext) -> None:
        if self.um.users.lookup(values["user"]) is None:
            raise RouterOSError("input does not match any value of user")  # [INF] wording
        if self.um.profiles.lookup(values["profile"]) is None:
            raise RouterOSError("input does not match any value of profile")

    def added(self, item_id: int, ctx: RunContext) -> None:
        values = self.items[item_id]
        profile = self.um.profiles.items[self.um.profiles.lookup(values["profile"]) or 0]
        validity = profile["validity"]
        self.by_user.setdefault(values["user"], []).append(item_id)
        self.instances[item_id] = ProfileInstance(
            profile=values["profile"],
            validity_ns=validity.ns if isinstance(validity, Time) else 0,
            on_first_auth=profile["starts-when"] == b"first-auth",
            added_ns=self.um.router.clock.now,
            row_id=item_id,
        )

    def removed(self, item_id: int, values: dict[str, Value], ctx: RunContext) -> None:
        self.instances.pop(item_id, None)
        rows = self.by_user.get(values.get("user", b""), [])
        if item_id in rows:
            rows.remove(item_id)

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        um = self.um
        user = text_of(values["user"])
        clock = um.router.clock
        for state in timeline(um.instances_of(user), clock.now):
            if state.instance.row_id != item_id:
                continue
            word = state.state
            if word == "running" and um.sessions.active_ids_of(user):
                word = "running-active"
            if state.start_ns is None:
                end = b"not-yet-running"
            elif state.end_ns is None:
                end = b"unlimited"
            else:
                end = format_datetime(clock.local(state.end_ns), um.router.version)
            return {"state": word.encode(), "end-time": end}
        return {}


class Sessions(SessionRows):
    def __init__(self, um: UserManagerV7) -> None:
        names = [("user", STR), ("acct-session-id", STR), ("acct-multi-session-id", STR), ("active", BOOL),
                 ("started", STR), ("ended", STR), ("uptime", TIME), ("download", NUM), ("upload", NUM),
                 ("last-accounting-packet", STR), ("status", STR), ("terminate-cause", STR),
                 ("calling-station-id", STR), ("user-address", STR), ("nas-ip-address", STR),
                 ("nas-identifier", STR), ("nas-port-id", STR), ("nas-port-type", STR)]  # fmt: skip
        fields = {"started": "started", "ended": "ended", "address": "user-address", "last": "last-accounting-packet",
                  "close_cause": "um-admin-request"}  # fmt: skip
        super().__init__(um.router, (*ROOT, "session"), [Prop(n, t, readonly=True) for n, t in names], fields)
        self.command(self.commands["remove"].spec, self._remove_rows)

    def _remove_rows(self, call: MenuCall, ctx: RunContext) -> Value:
        if self.router.behaviour.reset_delay_s > 0:
            return self.remove_later(call, ctx)
        return self._remove(call, ctx)


class UserManagerV7:
    """The v7 User Manager: its menus plus the accounting server the NAS reports to."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.settings = Singleton(ROOT, [
            Prop("enabled", BOOL, default=False), Prop("authentication-port", NUM, default=1812),
            Prop("accounting-port", NUM, default=1813), Prop("certificate", STR, default=b"none"),
            Prop("require-message-auth", STR, default=b"no"), Prop("use-profiles", BOOL, default=False),
        ])  # fmt: skip
        self.users = Users(self)
        self.profiles = Table((*ROOT, "profile"), [
            Prop("name", STR, required=True, unique=True), Prop("name-for-users", STR),
            Prop("validity", Either(TIME, "unlimited"), default=b"unlimited"),
            Prop("starts-when", Enum("assigned", "first-auth"), default=b"assigned"),
            Prop("price", STR, default=b"0"), Prop("override-shared-users", STR, default=b"off"), Prop("comment", STR),
        ])  # fmt: skip
        self.user_profiles = UserProfiles(self)
        self.limitations = Table((*ROOT, "limitation"), [
            Prop("name", STR, required=True, unique=True), Prop("download-limit", NUM, default=0),
            Prop("upload-limit", NUM, default=0), Prop("transfer-limit", NUM, default=0),
            Prop("uptime-limit", TIME, default=Time(0)), Prop("rate-limit-rx", STR), Prop("rate-limit-tx", STR),
            Prop("reset-counters-interval", Either(TIME, "disabled", "hourly", "daily", "weekly", "monthly"),
                 default=b"disabled"),
            Prop("reset-counters-start-time", STR), Prop("comment", STR),
        ])  # fmt: skip
        self.profile_limitations = Table((*ROOT, "profile-limitation"), [
            Prop("profile", STR, required=True), Prop("limitation", STR, required=True),
            Prop("from-time", TIME, default=Time(0)), Prop("till-time", TIME, default=Time(86399 * 10**9)),
            Prop("weekdays", STR, default=b"sunday,monday,tuesday,wednesday,thursday,friday,saturday"),
            Prop("comment", STR),
        ])  # fmt: skip
        self.routers = Table((*ROOT, "router"), [
            Prop("name", STR, required=True, unique=True), Prop("address", STR, default=b"127.0.0.1"),
            Prop("shared-secret", STR, default=b"", sensitive=True), Prop("coa-port", NUM, default=3799),
            Prop("disabled", BOOL, default=False), Prop("comment", STR),
        ])  # fmt: skip
        self.sessions = Sessions(self)
        # ``user group`` ([DOC] S1, S2 user/group): outer-auths, inner-auths, attributes; "default" and
        # "default-anonymous" exist after install. Only ``attributes`` has an effect here (the Access-Accept).
        self.groups = Groups((*ROOT, "user", "group"), [
            Prop("name", STR, required=True, unique=True), Prop("outer-auths", STR), Prop("inner-auths", STR),
            Prop("attributes", STR), Prop("comment", STR),
        ])  # fmt: skip
        self.groups.insert({"name": b"default"})
        self.groups.insert({"name": b"default-anonymous"})
        # ``payment`` ([DOC] S1, S2): rows the web shop (PayPal, Authorize.Net) writes; read-only for scripts, and
        # nothing here writes them, so it is always empty.
        self.payments = Table((*ROOT, "payment"), [
            Prop(name, STR, readonly=True) for name in ("user", "profile", "price", "currency", "trans-start",
                                                        "trans-end", "trans-status", "method", "user-message")
        ], addable=False, settable=False, removable=False)  # fmt: skip
        #: keeps-totals: User Manager's own per-user totals, and the last totals seen per Acct-Session-Id.
        self.totals: dict[str, Usage] = {}
        self.seen: dict[str, Usage] = {}

    @property
    def menus(self) -> list[Menu]:
        return [self.settings, self.users, self.groups, self.profiles, self.user_profiles, self.limitations,
                self.profile_limitations, self.routers, self.sessions, self.payments]  # fmt: skip

    def reply_attributes(self, user: str) -> dict[str, str]:
        """The attributes User Manager puts in a user's Access-Accept: the group's, then the user's own (a user's
        attribute replaces the group's of the same name [INF]) ([DOC] S1: ``attributes`` on user and user group)."""
        out: dict[str, str] = {}
        user_id = self.users.lookup(user)
        if user_id is None:
            return out
        row = self.users.items[user_id]
        group_id = self.groups.lookup(row.get("group", b"default"))
        sources = [self.groups.items[group_id].get("attributes", b"")] if group_id is not None else []
        for text in (*sources, row.get("attributes", b"")):
            for part in (text if isinstance(text, bytes) else b"").decode("utf-8", "replace").split(","):
                name, colon, value = part.partition(":")
                if colon and name:
                    out[name] = value
        return out

    @property
    def enabled(self) -> bool:
        return bool(self.settings.record.get("enabled"))

    def instances_of(self, user: str) -> list[ProfileInstance]:
        table = self.user_profiles
        return [table.instances[rid] for rid in table.by_user.get(user.encode(), ()) if rid in table.instances]

    def usage(self, username: str) -> Usage:
        """What ``user monitor … once`` reports as totals now: the sum over the user's stored session rows (or, with
        keeps-totals, User Manager's own running totals)."""
        self.router.clock.settle()
        if self.router.behaviour.um_session_remove == "keeps-totals":
            return self.totals.get(username, Usage())
        return Usage(*self.sessions.totals_of(username))  # the sum over the rows, kept as they change

    # --- AccountingServer --------------------------------------------------------------------------------------------

    def has_row(self, acct_session_id: str) -> bool:
        return self.sessions.has_row(acct_session_id)

    def authorize(self, user: str, service: str) -> bool:
        if not self.enabled:
            return False
        user_id = self.users.lookup(user)
        if user_id is None or self.users.items[user_id].get("disabled"):
            return False
        instances = self.instances_of(user)
        now = self.router.clock.now
        if self.settings.record.get("use-profiles") and current(instances, now) is None:
            return False
        note_login(instances, now)
        return True

    def account(self, packet: AccountingPacket) -> None:
        if not self.enabled:
            return
        behaviour = self.router.behaviour
        if packet.kind != "start" and behaviour.um_disabled_accounting == "ignored":
            user_id = self.users.lookup(packet.user)
            if user_id is not None and self.users.items[user_id].get("disabled"):
                return  # dropped: this traffic never reaches the totals
        if behaviour.um_session_remove == "keeps-totals":
            usage = Usage(packet.download, packet.upload, packet.uptime_ns)
            increment = usage - self.seen.get(packet.acct_session_id, Usage())
            self.seen[packet.acct_session_id] = usage
            self.totals[packet.user] = self.totals.get(packet.user, Usage()) + increment
        identity = self.router.identity.record.get("name", b"MikroTik")
        port_type = b"virtual" if packet.service == "ppp" else b"wireless-802.11"
        extra: dict[str, Value] = {
            "acct-multi-session-id": b"",
            "nas-ip-address": b"127.0.0.1",
            "nas-identifier": identity,
            "nas-port-id": b"",
            "nas-port-type": port_type,
        }
        self.sessions.apply(packet, extra)
