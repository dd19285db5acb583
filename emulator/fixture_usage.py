"""Puts a user fixture on an emulated router and drives its users' traffic as the virtual clock advances.

:func:`apply` populates User Manager through ordinary menu calls (so v6/v7 differences and validation are the
router's): v6 ``/tool user-manager user add customer=admin username=…`` plus ``create-and-activate-profile``; v7
``/user-manager user add name=…`` plus ``user-profile add`` and ``/user-manager set enabled=yes``. v7 has no e-mail or
name fields (platform.md §2.1), so their values reach the router only through the fixture's ``v7-comment`` template.
Whatever the router refuses (a duplicate name, an unknown package) is listed in :attr:`Report.problems`.

Fixture times are the world's local time (``Clock.true_local``): a router whose clock is wrong (set by hand, or at
jan/02/1970 after a boot without RTC) does not move its users' sessions.

Each user becomes a :class:`Client` that logs in through the NAS: one session per day inside the daily window
(``days`` overrides a date's volume; zero means no session), plus the explicit sessions. A session that is kicked
(``/ppp active remove``, ``close-session``) or dropped by a reboot reconnects after ``reconnect`` with fresh counters,
as a PPPoE client would; a refused login is retried with doubling back-off up to an hour [INF: realistic clients retry
constantly; the cap keeps event counts low].

Must not: parse YAML (``fixture.py`` does), print, or compare RouterOS versions.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass, field

from emulator.contract import MenuCall, RouterOSError, RunContext, Value
from emulator.fixture import Fixture, Session, User, Volume
from emulator.router import Router, Traffic
from emulator.router.behaviour import Behaviour
from emulator.router.clock import Event
from emulator.router.nas import NasSession
from emulator.router.router import DEFAULT_BEHAVIOUR, RunnerFactory
from emulator.version import RouterOSVersion

SECOND = 1_000_000_000
DAY = 86400 * SECOND
MAX_BACKOFF = 3600 * SECOND


@dataclass(slots=True)
class Report:
    users: list[str] = field(default_factory=list)  # users User Manager accepted
    problems: list[str] = field(default_factory=list)  # what the router refused, per user


def build_router(
    fixture: Fixture,
    version: RouterOSVersion,
    *,
    runner_factory: RunnerFactory | None = None,
    behaviour: Behaviour = DEFAULT_BEHAVIOUR,
) -> Router:
    """A router of ``version`` starting at the fixture's time, populated and driven by it (see :func:`apply`), with
    the given answers to the open behaviour questions."""
    router = Router(
        version,
        runner_factory=runner_factory,
        start=fixture.start,
        time_zone=fixture.time_zone,
        accounting_latency=fixture.latency_s,
        behaviour=behaviour,
    )
    apply(fixture, router)
    return router


def apply(fixture: Fixture, router: Router) -> Report:
    """Loads e-mail settings, profiles and users into ``router`` and starts their clients."""
    report = Report()
    ctx = RunContext(script_name="fixture")
    version = router.version
    _email(fixture, router, ctx, report)
    _ntp(fixture, router, ctx, report)
    if router.um is None:
        report.problems.append("the router has no user-manager package: users not loaded")
        return report
    v7 = version.user_manager_v7
    root = ("user-manager",) if v7 else ("tool", "user-manager")
    if v7:
        router.call(MenuCall(root, "set", {"enabled": b"yes"}), ctx)
    for profile in fixture.profiles:
        args: dict[str, Value] = {"name": profile.name.encode(), "price": profile.price.encode()}
        if v7:
            args["validity"] = f"{profile.validity_s}s".encode() if profile.validity_s else b"unlimited"
            args["starts-when"] = profile.starts.encode()
        else:
            args["validity"] = f"{profile.validity_s}s".encode()
            args["starts-at"] = b"now" if profile.starts == "assigned" else b"logon"
        _try(router, MenuCall((*root, "profile"), "add", args), ctx, report, f"profile {profile.name}")
    clients = []
    for user in fixture.users:
        if _add_user(fixture, router, root, user, ctx, report):
            report.users.append(user.name)
        clients.append(Client(router, user, fixture.interim_s))
    for client in clients:
        client.start()
    return report


def _try(router: Router, call: MenuCall, ctx: RunContext, report: Report, what: str) -> bool:
    try:
        router.call(call, ctx)
    except RouterOSError as refused:
        report.problems.append(f"{what}: {refused}")
        return False
    return True


def _email(fixture: Fixture, router: Router, ctx: RunContext, report: Report) -> None:
    version = router.version
    names = {"server": version.email_server_param, "address": version.email_server_param,
             "tls": version.email_tls_param, "start-tls": version.email_tls_param}  # fmt: skip
    for key, value in fixture.email.items():
        args: dict[str, Value] = {names.get(key, key): str(value).encode()}
        _try(router, MenuCall(("tool", "e-mail"), "set", args), ctx, report, f"e-mail {key}")


def _ntp(fixture: Fixture, router: Router, ctx: RunContext, report: Report) -> None:
    """``ntp:``: v7 takes ``servers`` as given; v6 (SNTP) takes up to two addresses as ``primary-ntp`` and
    ``secondary-ntp`` and names as ``server-dns-names``."""
    args: dict[str, Value] = {}
    if "enabled" in fixture.ntp:
        args["enabled"] = b"yes" if fixture.ntp["enabled"] else b"no"
    servers = [s for s in str(fixture.ntp.get("servers", "")).split(",") if s]
    if servers and "servers" in router.ntp.props:
        args["servers"] = ",".join(servers).encode()
    elif servers:
        addresses = [s for s in servers if _is_address(s)]
        names = [s for s in servers if not _is_address(s)]
        for key, address in zip(("primary-ntp", "secondary-ntp"), addresses, strict=False):
            args[key] = address.encode()
        if names:
            args["server-dns-names"] = ",".join(names).encode()
    if args:
        _try(router, MenuCall(("system", "ntp", "client"), "set", args), ctx, report, "ntp client")


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _add_user(
    fixture: Fixture, router: Router, root: tuple[str, ...], user: User, ctx: RunContext, report: Report
) -> bool:
    name = user.name.encode()
    if router.version.user_manager_v7:
        args: dict[str, Value] = {"name": name, "password": user.password.encode(), "disabled": user.disabled}
        fields = {"email": user.email or "", "first-name": user.first_name or "", "last-name": user.last_name or "",
                  "phone": user.phone or "", "comment": user.comment or ""}  # fmt: skip
        comment = fixture.v7_comment.format_map({k.replace("-", "_"): v for k, v in fields.items()})
        if comment:
            args["comment"] = comment.encode()
        package_call = MenuCall(
            (*root, "user-profile"), "add", {"user": name, "profile": (user.package or "").encode()}
        )
    else:
        args = {"customer": b"admin", "username": name, "password": user.password.encode(), "disabled": user.disabled}
        for key, value in (("email", user.email), ("first-name", user.first_name), ("last-name", user.last_name),
                           ("phone", user.phone), ("comment", user.comment)):  # fmt: skip
            if value is not None:
                args[key] = value.encode()
        package_args: dict[str, Value] = {
            "numbers": name,
            "customer": b"admin",
            "profile": (user.package or "").encode(),
        }
        package_call = MenuCall((*root, "user"), "create-and-activate-profile", package_args)
    if not _try(router, MenuCall((*root, "user"), "add", args), ctx, report, f"user {user.name}"):
        return False
    if user.package is None:
        report.problems.append(f"user {user.name}: no package")
    else:
        _try(router, package_call, ctx, report, f"user {user.name} package {user.package}")
    return True


class Client:
    """One fixture user's device: connects through the NAS on the fixture's schedule."""

    def __init__(self, router: Router, user: User, interim_s: int) -> None:
        self.router = router
        self.user = user
        self.interim_ns = (user.interim_s or interim_s) * SECOND
        self.reconnect_ns = max(1, user.reconnect_s) * SECOND
        # Keyed by the session itself (NasSession compares by identity), not id(): a router snapshot's copy has
        # new sessions, and an id() key would still name the original's (emulator/router/snapshot.py).
        self.ends: dict[NasSession, int | None] = {}  # session → planned end
        self.timers: dict[NasSession, Event] = {}
        self.caller_id = "02:00:00:" + ":".join(f"{b:02X}" for b in user.name.encode().ljust(3, b"\0")[:3])

    def start(self) -> None:
        now = self.router.clock.now
        for session in self.user.sessions:
            self._plan_session(session)
        if self.user.daily is not None or self.user.days:
            self._plan_day(self.router.clock.true_local(now).date())

    # --- schedule ----------------------------------------------------------------------------------------------------

    def _volume(self, date: dt.date) -> Volume:
        if date in self.user.days:
            return self.user.days[date]
        return self.user.daily.volume if self.user.daily else Volume()

    def _plan_day(self, date: dt.date) -> None:
        clock = self.router.clock
        daily = self.user.daily
        start_t, end_t = (daily.start, daily.end) if daily else (dt.time(8), dt.time(22))
        start = clock.true_instant(dt.datetime.combine(date, start_t))
        end_day = date + dt.timedelta(days=1) if end_t <= start_t else date
        end = clock.true_instant(dt.datetime.combine(end_day, end_t))
        amount = self._volume(date)
        if not amount.empty and end > clock.now:
            traffic = Traffic(amount.download, amount.upload, per_ns=end - start)
            clock.at(max(start, clock.now), f"fixture-day:{self.user.name}", lambda: self._connect(traffic, start, end))
        midnight = clock.true_instant(dt.datetime.combine(date + dt.timedelta(days=1), dt.time()))
        clock.at(midnight, f"fixture-plan:{self.user.name}", lambda: self._plan_day(date + dt.timedelta(days=1)))

    def _plan_session(self, session: Session) -> None:
        clock = self.router.clock
        start = clock.true_instant(session.start)
        end = clock.true_instant(session.end) if session.end is not None else None
        if end is not None and end <= clock.now:
            return
        traffic = Traffic(session.per_day.download, session.per_day.upload, per_ns=DAY)
        clock.at(max(start, clock.now), f"fixture-session:{self.user.name}", lambda: self._connect(traffic, start, end))

    # --- connection --------------------------------------------------------------------------------------------------

    def _connect(self, traffic: Traffic, started: int, end: int | None, attempt: int = 0) -> None:
        clock = self.router.clock
        if end is not None and clock.now >= end:
            return
        session = self.router.nas.connect(
            self.user.name,
            traffic,
            service=self.user.service,
            interim_ns=self.interim_ns,
            started_ns=started,
            caller_id=self.caller_id,
            on_end=self._ended,
        )
        if session is None:
            delay = min(MAX_BACKOFF, self.reconnect_ns << min(attempt, 20))
            clock.after(
                delay, f"fixture-retry:{self.user.name}", lambda: self._connect(traffic, clock.now, end, attempt + 1)
            )
            return
        self.ends[session] = end
        if end is not None:
            self.timers[session] = clock.at(end, f"fixture-logout:{self.user.name}", lambda: self._logout(session))

    def _logout(self, session: NasSession) -> None:
        self.router.nas.disconnect(session, "user-request")

    def _ended(self, session: NasSession, cause: str) -> None:
        end = self.ends.pop(session, None)
        timer = self.timers.pop(session, None)
        if timer is not None:
            timer.cancel()
        if cause == "user-request":
            return
        clock = self.router.clock
        if end is not None and clock.now >= end:
            return
        # Kicked or rebooted: the client dials again; the new session's counters start at zero (platform.md §7, 1e).
        clock.after(self.reconnect_ns, f"fixture-reconnect:{self.user.name}",
                    lambda: self._connect(session.traffic, clock.now, end))  # fmt: skip
