"""The router as a NAS: live PPP and hotspot sessions, their cumulative counters, and RADIUS accounting to User Manager.

A :class:`NasSession` moves traffic at a constant rate; its counters are cumulative since the session started. The NAS
reports it the way RFC 2866 says ([DOC] S19, platform.md §7): Accounting-Start when it begins, an Interim-Update every
``interim`` carrying the **cumulative** session totals, and Accounting-Stop with the final totals when it ends.
Each packet reaches the accounting server (User Manager on the same router) ``latency_ns`` later ([INF]: a small
configurable delay, 2 s by default, so a script that resets counters right after kicking a session can be shown to
lose). ``/ppp active remove`` and ``/ip hotspot active remove`` end a session (terminate cause ``admin-reset``) and
so send a Stop ([DOC]+[SEEN] platform.md §2.5).

While the router has no power (:meth:`Router.cut_power`) nobody can log in, and packets on their way to User Manager
are lost (they are router-internal events, see :meth:`Router.at`).

Must not: know User Manager's data model (it talks to it through :class:`AccountingServer`), or compare versions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from emulator.contract import RunContext, Value
from emulator.router.clock import Event, Repeating
from emulator.router.firewall import AddressListMenu
from emulator.router.proptypes import BOOL, NUM, STR, TIME, Prop
from emulator.router.table import Table
from emulator.values import Time

if TYPE_CHECKING:
    from emulator.router.router import Router

SECOND = 1_000_000_000
DAY = 86400 * SECOND


@dataclass(frozen=True, slots=True)
class AccountingPacket:
    kind: str  # "start" | "interim" | "stop"
    user: str
    acct_session_id: str
    service: str  # "ppp" | "hotspot"
    started_ns: int
    download: int  # cumulative bytes to the user (Acct-Output-Octets) since the session started
    upload: int  # cumulative bytes from the user (Acct-Input-Octets)
    uptime_ns: int  # Acct-Session-Time
    sent_ns: int
    cause: str = ""  # Acct-Terminate-Cause on stop: user-request, admin-reset, session-timeout …
    calling_station_id: str = ""
    address: str = ""


class AccountingServer(Protocol):
    """What the NAS needs from User Manager: authentication and accounting."""

    def authorize(self, user: str, service: str) -> bool: ...

    def account(self, packet: AccountingPacket) -> None: ...

    def has_row(self, acct_session_id: str) -> bool:
        """Whether a packet for this session would find its row (rather than re-create it)."""
        ...


@dataclass(frozen=True, slots=True)
class Traffic:
    """A constant rate: ``download``/``upload`` bytes every ``per_ns`` (integer maths, so totals are exact)."""

    download: int
    upload: int
    per_ns: int = DAY


@dataclass(eq=False, slots=True)
class NasSession:
    user: str
    service: str
    acct_session_id: str
    started_ns: int
    traffic: Traffic
    interim_ns: int
    caller_id: str = ""
    address: str = ""
    row_id: int = 0
    ended_ns: int | None = None
    cause: str = ""
    interim_event: Event | Repeating | None = None
    interim_sent_ns: int = 0  # send time of the Interim-Update on its way (or next due)
    #: Called after the session ended (fixture clients use it to reconnect).
    on_end: Callable[[NasSession, str], None] | None = None
    #: Mikrotik-Rate-Limit and Mikrotik-Address-List of the Access-Accept: fixed for the session's life (a change in
    #: User Manager reaches it only at the next login; CoA is not modelled) [INF] docs/assumptions.md.
    rate_limit: str = ""
    address_list: str = ""
    #: The dynamic ``/ip firewall address-list`` entry of a PPP session with an address list (0: none).
    list_entry: int = 0

    def totals(self, at_ns: int) -> tuple[int, int, int]:
        """(download, upload, uptime ns) cumulative at ``at_ns``."""
        end = at_ns if self.ended_ns is None else min(at_ns, self.ended_ns)
        elapsed = max(0, end - self.started_ns)
        per = self.traffic.per_ns
        return self.traffic.download * elapsed // per, self.traffic.upload * elapsed // per, elapsed


class Nas:
    def __init__(self, router: Router, *, latency_ns: int = 2 * SECOND) -> None:
        self.router = router
        self.latency_ns = latency_ns
        self.server: AccountingServer | None = None
        self.sessions: dict[str, NasSession] = {}  # live sessions by Acct-Session-Id
        self._serial = 0
        #: Interim-Updates that arrived but are not yet written: session → [first send ns, last send ns, order of the
        #: last arrival]; applied by :meth:`settle` before anything else happens on the router (see _plan_interim).
        self._arrived: dict[NasSession, list[int]] = {}
        self._arrivals = 0
        router.clock.settlers.append(self.settle)
        self.ppp = PppActiveMenu(self)
        self.hotspot = HotspotActiveMenu(self)
        self.address_lists = AddressListMenu()

    def connect(
        self,
        user: str,
        traffic: Traffic,
        *,
        service: str = "ppp",
        interim_ns: int = 300 * SECOND,
        started_ns: int | None = None,
        caller_id: str = "",
        address: str = "",
        on_end: Callable[[NasSession, str], None] | None = None,
    ) -> NasSession | None:
        """Logs ``user`` in (None if User Manager rejects them). ``started_ns`` in the past models a session that
        was already running when the emulation began: its Start and a catch-up interim are sent now."""
        if not self.router.powered:
            return None  # the router is off: the client's dial-in gets no answer
        if self.server is not None and not self.server.authorize(user, service):
            return None
        now = self.router.clock.now
        self._serial += 1
        session = NasSession(
            user=user,
            service=service,
            acct_session_id=f"{0x81A00000 + self._serial:x}",
            started_ns=now if started_ns is None else min(started_ns, now),
            traffic=traffic,
            interim_ns=max(SECOND, interim_ns),
            caller_id=caller_id,
            address=address or f"10.0.{self._serial // 250 % 250}.{self._serial % 250 + 2}",
            on_end=on_end,
        )
        reply = getattr(self.server, "reply_attributes", None)
        if reply is not None:
            attributes = reply(user)
            session.rate_limit = attributes.get("Mikrotik-Rate-Limit", "")
            session.address_list = attributes.get("Mikrotik-Address-List", "")
        menu = self.ppp if service == "ppp" else self.hotspot
        session.row_id = menu.show(session)
        if service == "ppp" and session.address_list:
            # PPP puts the remote address on the Access-Accept's list for the session's life (firewall.py).
            session.list_entry = self.address_lists.add_dynamic(session.address_list, session.address)
        self.sessions[session.acct_session_id] = session
        self._send(session, "start")
        if session.started_ns < now:
            self._send(session, "interim")
        self._plan_interim(session)
        return session

    def disconnect(self, session: NasSession, cause: str = "admin-reset") -> None:
        """Ends a live session: its row disappears and a Stop with the final totals is sent."""
        if session.ended_ns is not None:
            return
        session.ended_ns = self.router.clock.now
        session.cause = cause
        # The queued interim is not cancelled: one sent before the end is still on its way ([INF] fixed latency).
        (self.ppp if session.service == "ppp" else self.hotspot).hide(session)
        self.address_lists.remove_dynamic(session.list_entry)
        self.sessions.pop(session.acct_session_id, None)
        self._send(session, "stop")
        if session.on_end is not None:
            session.on_end(session, cause)

    def drop_all(self, *, notify: bool = True) -> list[NasSession]:
        """Reboot: every session ends without a Stop reaching User Manager (its rows stay "active", stale) [INF].
        ``notify=False`` (a power cut) leaves telling the clients to :meth:`notify_dropped`, called after boot, so
        they redial a running router."""
        dropped = list(self.sessions.values())
        self.sessions.clear()
        for session in dropped:
            session.ended_ns = self.router.clock.now
            session.cause = "nas-reboot"
            if session.interim_event is not None:
                session.interim_event.cancel()
                session.interim_event = None
            (self.ppp if session.service == "ppp" else self.hotspot).hide(session)
            self.address_lists.remove_dynamic(session.list_entry)
        if notify:
            self.notify_dropped(dropped)
        return dropped

    @staticmethod
    def notify_dropped(dropped: list[NasSession]) -> None:
        for session in dropped:
            if session.on_end is not None:
                session.on_end(session, "nas-reboot")

    def by_user(self, user: str) -> list[NasSession]:
        return [s for s in self.sessions.values() if s.user == user]

    def _plan_interim(self, session: NasSession) -> None:
        """Queues the arrival of the session's next Interim-Update: it carries the totals of its send time (a pure
        function of the constant rate) and arrives ``latency_ns`` later, then the next one is planned.

        Speed without a change of results: an arrival is a :class:`~emulator.router.clock.Repeating` step that only
        notes the packet; :meth:`settle` writes the noted packets before anything reads or changes what they write or
        depend on: every menu command (scripts, API, driver), every router-internal event (Start and Stop, scheduler
        runs, delayed resets, the NTP sync: :meth:`Router.at`), a change of the shown time or time zone, a power cut,
        and before the clock returns to its driver. Between two such moments the packets of a
        session only overwrite each other's cumulative totals, so writing the last one (and the first, where it
        re-creates a removed row) gives the rows, totals and time stamps that writing each would."""
        server = self.server
        if server is None:
            return
        router = self.router
        epoch = router.epoch
        latency = self.latency_ns
        started, interim = session.started_ns, session.interim_ns  # fixed for the session's life

        def arrive(_: int) -> int | None:
            # Runs once per interim of every live session (millions in a simulated year): kept to plain local reads.
            at = session.interim_sent_ns
            if router.epoch != epoch:
                session.interim_event = None  # no longer queued (and no cycle for the collector to find)
                return None  # the power failed after it was queued: a router-internal event is lost (Router.at)
            ended = session.ended_ns
            if ended is not None and ended <= at:
                session.interim_event = None
                return None  # the session ended before this interim was due
            order = self._arrivals = self._arrivals + 1
            noted = self._arrived.get(session)
            if noted is None:
                self._arrived[session] = [at, at, order]
            else:
                noted[1] = at
                noted[2] = order
            if ended is not None:
                session.interim_event = None
                return None
            sent = started + ((router.clock.now - started) // interim + 1) * interim  # the next one due
            session.interim_sent_ns = sent
            return sent + latency

        now = router.clock.now
        session.interim_sent_ns = started + ((now - started) // interim + 1) * interim
        label = f"interim:{session.user}"
        session.interim_event = router.clock.repeat(session.interim_sent_ns + latency, label, arrive)

    def settle(self) -> None:
        """Writes the Interim-Updates that arrived since the last call, as if each had been written on arrival.

        Per session the last packet is written, in the order of the sessions' last arrivals (what the last packet of
        a user sets, such as v6 ``last-seen``, is the last one's). What lies between is overwritten by the last
        packet's cumulative totals; with ``keeps-totals`` the increments add up to the same sum. Where a session's row
        was removed, its first packet re-creates it: that one is written first, in the order of the first arrivals,
        so re-created rows get their ``*id`` in the same order. Writing a packet twice changes nothing."""
        arrived = self._arrived
        server = self.server
        if not arrived or server is None:
            return
        self._arrived = {}
        for session, (first, _, _) in arrived.items():
            if not server.has_row(session.acct_session_id):
                server.account(self._packet(session, "interim", first))
        ordered = sorted(arrived.items(), key=lambda item: item[1][2]) if len(arrived) > 1 else arrived.items()
        for session, (_, last, _) in ordered:
            server.account(self._packet(session, "interim", last))

    def _packet(self, session: NasSession, kind: str, at: int) -> AccountingPacket:
        download, upload, uptime = session.totals(at)
        return AccountingPacket(
            kind=kind,
            user=session.user,
            acct_session_id=session.acct_session_id,
            service=session.service,
            started_ns=session.started_ns,
            download=download,
            upload=upload,
            uptime_ns=uptime,
            sent_ns=at,
            cause=session.cause if kind == "stop" else "",
            calling_station_id=session.caller_id,
            address=session.address,
        )

    def _send(self, session: NasSession, kind: str) -> None:
        server = self.server
        if server is None:
            return
        packet = self._packet(session, kind, self.router.clock.now)
        # Router.at writes the interims that arrived before this packet first.
        self.router.later(self.latency_ns, f"accounting-{kind}:{session.user}", lambda: server.account(packet))


class _ActiveMenu(Table):
    """A read-only view of live sessions; ``remove`` disconnects."""

    def __init__(self, nas: Nas, path: tuple[str, ...], props: list[Prop]) -> None:
        super().__init__(path, props, addable=False, settable=False)
        self.nas = nas
        self.live: dict[int, NasSession] = {}

    def show(self, session: NasSession) -> int:
        item_id = self.next_id
        self.next_id += 1
        self.items[item_id] = self.row(session)
        self.live[item_id] = session
        return item_id

    def hide(self, session: NasSession) -> None:
        self.items.pop(session.row_id, None)
        self.live.pop(session.row_id, None)

    def row(self, session: NasSession) -> dict[str, Value]:
        raise NotImplementedError

    def removed(self, item_id: int, values: dict[str, Value], ctx: RunContext) -> None:
        session = self.live.pop(item_id, None)
        if session is not None:
            self.nas.disconnect(session, "admin-reset")


class PppActiveMenu(_ActiveMenu):
    def __init__(self, nas: Nas) -> None:
        names = [("name", STR), ("service", STR), ("caller-id", STR), ("address", STR), ("uptime", TIME),
                 ("encoding", STR), ("session-id", STR), ("limit-bytes-in", NUM), ("limit-bytes-out", NUM),
                 ("radius", BOOL)]  # fmt: skip
        super().__init__(nas, ("ppp", "active"), [Prop(n, t, readonly=True) for n, t in names])

    def row(self, session: NasSession) -> dict[str, Value]:
        return {
            "name": session.user.encode(), "service": b"pppoe", "caller-id": session.caller_id.encode(),
            "address": session.address.encode(), "encoding": b"",
            "session-id": b"0x" + session.acct_session_id.upper().encode(),
            "limit-bytes-in": 0, "limit-bytes-out": 0, "radius": True,
        }  # fmt: skip

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        session = self.live.get(item_id)
        if session is None:
            return {}
        return {"uptime": Time(session.totals(self.nas.router.clock.now)[2])}


class HotspotActiveMenu(_ActiveMenu):
    def __init__(self, nas: Nas) -> None:
        names = [("server", STR), ("user", STR), ("domain", STR), ("address", STR), ("mac-address", STR),
                 ("login-by", STR), ("uptime", TIME), ("idle-time", TIME), ("bytes-in", NUM), ("bytes-out", NUM),
                 ("radius", BOOL)]  # fmt: skip
        super().__init__(nas, ("ip", "hotspot", "active"), [Prop(n, t, readonly=True) for n, t in names])

    def row(self, session: NasSession) -> dict[str, Value]:
        return {
            "server": b"hotspot1", "user": session.user.encode(), "domain": b"", "address": session.address.encode(),
            "mac-address": session.caller_id.encode(), "login-by": b"http-chap", "idle-time": Time(0), "radius": True,
        }  # fmt: skip

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        session = self.live.get(item_id)
        if session is None:
            return {}
        download, upload, uptime = session.totals(self.nas.router.clock.now)
        # bytes-in is what the NAS received from the client (upload), bytes-out what it sent (download) [INF].
        return {"uptime": Time(uptime), "bytes-in": upload, "bytes-out": download}
