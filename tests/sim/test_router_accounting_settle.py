"""Interim-Updates are noted when they arrive and written when something could see them (nas.py ``settle``): the
results must be exactly those of writing each packet on arrival, the way the emulator did before.

The reference router below writes every packet on arrival (``EagerNas._plan_interim`` is the former code, one queued
event per interim). Both routers get the same random history: sessions of several users (two at once for some),
hourly and odd interims, reads in the middle of a session, resets (v6 ``reset-counters``, v7 removing rows, also
delayed), ``close-session`` (also marks-only), kicks, disabled users with ignored accounting, clock and zone changes,
reboots and power cuts, with advances that land exactly on arrival instants. After every step every row, total and
time stamp a script or driver can read must be equal.
"""

from __future__ import annotations

import datetime as dt
import gc
import random

import pytest

from emulator.router import Router, Traffic
from emulator.router.behaviour import Behaviour
from emulator.router.nas import Nas, NasSession
from emulator.values import Array
from emulator.version import RouterOSVersion

SECOND = 10**9
START = dt.datetime(2026, 11, 30, 5, 0, 0)
USERS = ["alice", "bob", "carol", "dave"]


def _eager_plan_interim(self: Nas, session: NasSession) -> None:
    """The former event-by-event model: one queued event per Interim-Update, written on arrival."""
    server = self.server
    if server is None:
        return
    now = self.router.clock.now
    at = session.started_ns + ((now - session.started_ns) // session.interim_ns + 1) * session.interim_ns

    def arrive() -> None:
        if session.ended_ns is not None and session.ended_ns <= at:
            return
        server.account(self._packet(session, "interim", at))
        if session.ended_ns is None:
            _eager_plan_interim(self, session)

    session.interim_event = self.router.at(at + self.latency_ns, f"interim:{session.user}", arrive)


def make(version: str, behaviour: Behaviour, *, eager: bool) -> Router:
    router = Router(RouterOSVersion.parse(version), start=START, behaviour=behaviour)
    if eager:
        router.nas._plan_interim = _eager_plan_interim.__get__(router.nas)  # type: ignore[method-assign]
    v7 = router.version.user_manager_v7
    root = "/user-manager" if v7 else "/tool user-manager"
    if v7:
        router.invoke(root, "set", {"enabled": "yes"})
        router.invoke(f"{root} profile", "add", {"name": "Gold"})
    else:
        router.invoke(f"{root} profile", "add", {"name": "Gold", "starts-at": "now"})
    if behaviour.boot_clock == "1970":  # after a reboot the NTP sync jumps the shown time in the middle of a run
        servers = {"servers": "pool.ntp.org"} if v7 else {"primary-ntp": "192.0.2.123"}
        router.invoke("/system ntp client", "set", {"enabled": "yes", **servers})
    for name in USERS:
        if v7:
            router.invoke(f"{root} user", "add", {"name": name})
            router.invoke(f"{root} user-profile", "add", {"user": name, "profile": "Gold"})
        else:
            router.invoke(f"{root} user", "add", {"customer": "admin", "username": name})
            router.invoke(f"{root} user", "create-and-activate-profile", {"numbers": name, "profile": "Gold"})
    return router


def snapshot(router: Router) -> list[object]:
    """Everything accounting writes, as scripts and drivers read it."""
    v7 = router.version.user_manager_v7
    root = "/user-manager" if v7 else "/tool user-manager"
    seen: list[object] = [router.clock.now, router.clock.pending()]
    seen.append(router.rows(f"{root} session"))
    seen.append(router.rows(f"{root} user"))
    for name in USERS:
        usage = router.um.usage(name) if router.um is not None else None
        seen.append((name, usage))
        if v7:
            monitor = router.invoke(f"{root} user", "monitor", {"numbers": name}, flags={"once", "as-value"})
            assert isinstance(monitor, Array)
            seen.append(list(monitor.entries()))
        else:
            seen.append(router.um.profile_states(name))  # type: ignore[union-attr]
    printed = router.invoke(f"{root} session", "print", flags={"as-value"})
    assert isinstance(printed, Array)
    seen.append([list(row.entries()) for row in printed.values() if isinstance(row, Array)])
    return seen


def step(router: Router, rng: random.Random, sessions: dict[str, list[NasSession]]) -> None:
    v7 = router.version.user_manager_v7
    root = "/user-manager" if v7 else "/tool user-manager"
    name = rng.choice(USERS)
    action = rng.choice(["connect", "connect", "advance", "advance", "advance", "exact", "read", "reset", "kick",
                         "close", "disable", "enable", "clock", "zone", "reboot", "power", "remove-closed",
                         "remove-all"])  # fmt: skip
    if action == "connect":
        interim = rng.choice([3600, 3600, 300, 7, 1])
        rate = Traffic(rng.randrange(1, 10**9), rng.randrange(1, 10**8), per_ns=3600 * SECOND)
        past = rng.choice([None, None, router.clock.now - rng.randrange(1, 5000) * SECOND])
        session = router.nas.connect(name, rate, interim_ns=interim * SECOND, started_ns=past)
        if session is not None:
            sessions.setdefault(name, []).append(session)
    elif action == "advance":
        router.advance(rng.choice([0.5, 1, 2, 3, 59, 600, 3599, 3600, 3601, 7200, 86400]))
    elif action == "exact":  # land on the instant an interim arrives (ties with what happens then)
        live = [s for s in router.nas.sessions.values()]
        if live:
            session = rng.choice(live)
            if session.interim_event is not None and not session.interim_event.cancelled:
                router.clock.advance_to(session.interim_event.at)
    elif action == "read":
        router.invoke(f"{root} session", "print", flags={"count-only"})
    elif action == "reset":
        if v7:
            rows = router.invoke(f"{root} session", "find", {"user": name})
            router.invoke(f"{root} session", "remove", {"numbers": rows})
        else:
            router.invoke(f"{root} user", "reset-counters", {"numbers": name})
    elif action == "remove-closed":
        rows = router.invoke(f"{root} session", "find", where=lambda row: not row.get("active"))
        router.invoke(f"{root} session", "remove", {"numbers": rows})
    elif action == "remove-all":  # every row, live ones too: the next packets re-create them
        router.invoke(f"{root} session", "remove", {"numbers": router.invoke(f"{root} session", "find")})
    elif action == "kick":
        found = router.invoke("/ppp active", "find", {"name": name})
        router.invoke("/ppp active", "remove", {"numbers": found})
    elif action == "close":
        rows = router.invoke(f"{root} session", "find", {"user": name})
        router.invoke(f"{root} session", "close-session", {"numbers": rows})
    elif action in ("disable", "enable"):
        router.invoke(f"{root} user", "set", {"numbers": name, "disabled": "yes" if action == "disable" else "no"})
    elif action == "clock":
        router.set_wall_clock(router.now() + dt.timedelta(seconds=rng.choice([-7200, -1, 1, 3600, 86400])))
    elif action == "zone":
        router.invoke("/system clock", "set", {"time-zone-name": rng.choice(["Europe/Berlin", "America/Lima"])})
    elif action == "reboot":
        router.reboot()
    elif action == "power":
        router.cut_power()
        router.restore_power(rng.choice([1, 30, 4000]))


BEHAVIOURS = {
    "default": Behaviour(),
    "keeps-totals": Behaviour(um_session_remove="keeps-totals"),
    "marks-only": Behaviour(um_close_session="marks-only"),
    "ignored": Behaviour(um_disabled_accounting="ignored"),
    "delayed-reset": Behaviour(reset_delay_s=5),
    "no-rtc-ntp": Behaviour(boot_clock="1970", ntp_sync_delay_s=600.0),
}


@pytest.mark.parametrize("behaviour", sorted(BEHAVIOURS))
@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
@pytest.mark.parametrize("seed", range(6))
def test_noted_interims_read_as_if_written_on_arrival(version: str, behaviour: str, seed: int) -> None:
    lazy = make(version, BEHAVIOURS[behaviour], eager=False)
    eager = make(version, BEHAVIOURS[behaviour], eager=True)
    rng_lazy, rng_eager = random.Random(seed), random.Random(seed)
    lazy_sessions: dict[str, list[NasSession]] = {}
    eager_sessions: dict[str, list[NasSession]] = {}
    for number in range(120):
        step(lazy, rng_lazy, lazy_sessions)
        step(eager, rng_eager, eager_sessions)
        assert snapshot(lazy) == snapshot(eager), f"step {number}"


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
def test_a_read_from_an_event_mid_session_sees_every_interim_that_arrived(version: str) -> None:
    """Totals read by a command in the middle of a long session (here from a timed event, as a scheduler run would)
    equal the event-by-event totals, and the queue holds one entry per session, not one per interim."""
    lazy = make(version, Behaviour(), eager=False)
    eager = make(version, Behaviour(), eager=True)
    reads: dict[str, list[object]] = {"lazy": [], "eager": []}
    for router, key in ((lazy, "lazy"), (eager, "eager")):
        router.nas.connect("alice", Traffic(3_600_000, 360_000, per_ns=3600 * SECOND), interim_ns=60 * SECOND)
        for minute in (1, 59, 61, 125, 600):
            moment = router.clock.now + minute * 60 * SECOND + 2 * SECOND  # exactly when an interim arrives

            def read(router: Router = router, key: str = key) -> None:
                reads[key].append(snapshot(router))

            router.clock.at(moment, "read", read)
        router.advance(11 * 3600)
    assert reads["lazy"] == reads["eager"]
    assert len(reads["lazy"]) == 5
    assert [label for _, label in lazy.clock.pending()].count("interim:alice") == 1


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
def test_rows_re_created_by_noted_interims_get_ids_in_arrival_order(version: str) -> None:
    """Two live sessions whose rows were removed: alice's first interim arrives before bob's, her last after his, and
    nothing reads in between. The row of the first packet to arrive is re-created first, as on arrival."""
    results = []
    for eager in (False, True):
        router = make(version, Behaviour(), eager=eager)
        rate = Traffic(3_600_000, 360_000, per_ns=3600 * SECOND)
        router.nas.connect("alice", rate, interim_ns=420 * SECOND)
        router.advance(1800)  # bob starts half an hour later with an hourly interim
        router.nas.connect("bob", rate, interim_ns=3600 * SECOND)
        router.advance(10)  # both Starts are in
        root = "/user-manager" if router.version.user_manager_v7 else "/tool user-manager"
        router.invoke(f"{root} session", "remove", {"numbers": router.invoke(f"{root} session", "find")})
        router.advance(3660)  # alice's interims arrive at +2102 s … +5462 s, bob's one at +5402 s
        results.append(snapshot(router))
        users = [row["user"] for row in router.rows(f"{root} session")]
        assert users == [b"alice", b"bob"]
    assert results[0] == results[1]


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
def test_interims_noted_before_an_ntp_jump_keep_the_time_stamps_of_their_arrival(version: str) -> None:
    """A router without RTC boots in 1970 and NTP sets the clock 600 s later, in the middle of an advance: the
    packets that arrived before the jump carry 1970 time stamps (last-accounting-packet, v6 last-seen)."""
    results = []
    for eager in (False, True):
        router = make(version, BEHAVIOURS["no-rtc-ntp"], eager=eager)
        router.reboot()
        router.nas.connect("alice", Traffic(3_600_000, 360_000, per_ns=3600 * SECOND), interim_ns=597 * SECOND)
        router.advance(590)
        router.advance(60)  # the interim arrives at 599 s, NTP sets the clock at 600 s, the next comes at 1196 s
        results.append(snapshot(router))
    assert results[0] == results[1]


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
def test_interims_noted_before_a_delayed_reset_are_reset_with_it(version: str) -> None:
    """``reset_delay_s``: the reset (v6 reset-counters, v7 removing the rows) takes effect 5 s later, in the middle of
    an advance; the interims that arrived in those 5 s were written before it, so it resets them too."""
    results = []
    for eager in (False, True):
        router = make(version, BEHAVIOURS["delayed-reset"], eager=eager)
        router.nas.connect("alice", Traffic(3_600_000, 360_000, per_ns=3600 * SECOND), interim_ns=4 * SECOND)
        router.advance(100)
        if router.version.user_manager_v7:
            rows = router.invoke("/user-manager session", "find", {"user": "alice"})
            router.invoke("/user-manager session", "remove", {"numbers": rows})
        else:
            router.invoke("/tool user-manager user", "reset-counters", {"numbers": "alice"})
        router.advance(5.5)  # an interim arrives 2 s after the command, the reset happens at 5 s, the next at 6 s
        results.append(snapshot(router))
    assert results[0] == results[1]


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
def test_an_ended_session_is_freed_without_the_cyclic_collector(version: str) -> None:
    """A session and its queued interim reference each other while it is live; once the interim stops (logout, kick,
    reboot, power cut) nothing is left for the cyclic collector, which ``simulate.run`` lets run rarely (issue 9)."""
    router = make(version, Behaviour(), eager=False)
    rate = Traffic(3_600_000, 360_000, per_ns=3600 * SECOND)
    gc.collect()
    gc.disable()
    try:
        ended = [router.nas.connect(name, rate, interim_ns=600 * SECOND) for name in ("alice", "bob")]
        router.advance(1300)
        for session in ended:
            assert session is not None
            router.nas.disconnect(session, "user-request" if session.user == "alice" else "admin-reset")
        router.nas.connect("carol", rate, interim_ns=600 * SECOND)
        router.advance(700)
        router.reboot()  # carol's session is dropped, its interim cancelled
        router.nas.connect("dave", rate, interim_ns=600 * SECOND)
        router.advance(100)
        router.cut_power()  # dave's queued interim is lost with the power
        router.restore_power(30)
        router.advance(3600)
        router.nas.connect("alice", rate, interim_ns=600 * SECOND)  # live at the end: still referenced by the queue
        router.advance(1300)
        del ended, session
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        cyclic = [o for o in gc.garbage if isinstance(o, NasSession)]
        assert len(router.nas.sessions) == 1
        assert cyclic == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
