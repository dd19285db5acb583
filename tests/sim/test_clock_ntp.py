"""The router's shown time (true time + skew), /system ntp client per version, and boots without a real-time clock."""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Callable

import pytest

from emulator import fixture as fixture_stage
from emulator.contract import RouterOSError
from emulator.fixture_usage import build_router
from emulator.interp import Interpreter
from emulator.router import Router, Traffic
from emulator.router.behaviour import Behaviour
from emulator.router.clock import Clock
from emulator.values import NIL, Time
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 11, 30, 22, 0, 0)
SECOND = 10**9
EPOCH = dt.datetime(1970, 1, 1)
NO_RTC = Behaviour(boot_clock="1970", ntp_sync_delay_s=60.0)


def make(version: str = "7.16.2", behaviour: Behaviour | None = None) -> Router:
    return Router(
        RouterOSVersion.parse(version), start=START, runner_factory=Interpreter, behaviour=behaviour or Behaviour()
    )


def put(router: Router, source: str) -> list[bytes]:
    result = router.run(source)
    assert result.ok, result.error
    return result.output


def ntp(router: Router, name: str) -> object:
    return router.invoke("/system ntp client", "get", {"value-name": name})


# --- skew -------------------------------------------------------------------------------------------------------------


def test_setting_the_clock_changes_what_the_router_shows_everywhere_but_not_true_time() -> None:
    router = make()
    router.invoke("/user-manager", "set", {"enabled": "yes"})
    router.invoke("/user-manager user", "add", {"name": "alice"})
    router.invoke("/tool e-mail", "set", {"server": "192.0.2.25"})
    instant = router.clock.now
    router.set_wall_clock(dt.datetime(2030, 1, 15, 8, 0, 0))
    assert router.clock.now == instant
    assert put(router, ":put [/system clock get date]; :put [/system clock get time]") == [b"2030-01-15", b"08:00:00"]
    stamp = dt.datetime(2030, 1, 15, 8, 0, 0) - EPOCH
    assert put(router, ":put [:timestamp]") == [Time(int(stamp.total_seconds()) * SECOND).__str__().encode()]
    router.invoke("/log", "info", {"message": "hello"})
    assert router.rows("/log")[-1]["time"] == b"2030-01-15 08:00:00"
    router.invoke("/tool e-mail", "send", {"to": "a@example.com"})
    assert router.mail.outbox[0].time == dt.datetime(2030, 1, 15, 8, 0, 0)
    router.nas.connect("alice", Traffic(1000, 100))
    router.advance(3)
    assert router.rows("/user-manager session")[0]["started"] == b"2030-01-15 08:00:00"
    router.invoke("/system scheduler", "add", {"name": "d", "start-time": "09:00:00", "interval": "1d"})
    assert router.rows("/system scheduler")[0]["next-run"] == b"2030-01-15 09:00:00"


def test_a_clock_set_backwards_replans_and_a_forward_jump_replays_nothing() -> None:
    router = make()
    router.invoke("/system scheduler", "add", {"name": "d", "start-date": "2026-01-01", "start-time": "23:50:00",
                                              "interval": "1d", "on-event": ":log info tick"})  # fmt: skip
    router.invoke("/system clock", "set", {"date": "2026-11-01"})
    assert router.rows("/system scheduler")[0]["next-run"] == b"2026-11-01 23:50:00"
    router.invoke("/system clock", "set", {"date": "2036-11-01"})  # ten years of nightly runs jumped over
    assert router.logs.messages("script") == []
    assert router.rows("/system scheduler")[0]["next-run"] == b"2036-11-01 23:50:00"
    router.advance(2 * 3600)
    assert router.logs.messages("script") == ["tick"]


# --- the menus -------------------------------------------------------------------------------------------------------


def test_v7_ntp_client_status_follows_enabled() -> None:
    router = make("7.16.2")
    assert (ntp(router, "enabled"), ntp(router, "status"), ntp(router, "vrf")) == (False, b"stopped", b"main")
    router.invoke("/system ntp client", "set", {"enabled": "yes", "servers": "pool.ntp.org,time.example.net"})
    assert (ntp(router, "status"), ntp(router, "synced-server"), ntp(router, "mode")) == (
        b"synchronized", b"pool.ntp.org", b"unicast"
    )  # fmt: skip
    assert put(router, ":put [/system/ntp/client get status]") == [b"synchronized"]


def test_v6_sntp_client_has_no_status_and_its_last_update_from_is_nil_until_synced() -> None:
    router = make("6.49.10")
    with pytest.raises(RouterOSError):
        ntp(router, "status")
    assert put(router, ':do { :put [/system ntp client get status] } on-error={ :put "no status" }') == [b"no status"]
    assert ntp(router, "last-update-from") is NIL
    assert put(router, ":put [:typeof [/system ntp client get last-update-from]]") == [b"nil"]
    assert (ntp(router, "primary-ntp"), ntp(router, "mode")) == (b"0.0.0.0", b"broadcast")
    router.invoke("/system ntp client", "set", {"enabled": "yes", "primary-ntp": "192.0.2.123"})
    assert (ntp(router, "last-update-from"), ntp(router, "mode")) == (b"192.0.2.123", b"unicast")
    assert isinstance(ntp(router, "last-adjustment"), Time)
    with pytest.raises(RouterOSError):
        router.invoke("/system ntp client", "set", {"mode": "unicast"})  # read-only on v6 [DOC]


def test_the_ntp_menus_differ_per_version() -> None:
    v6 = make("6.49.10").tree.children["system"].children["ntp"].children["client"].commands["set"].params
    v7 = make("7.16.2").tree.children["system"].children["ntp"].children["client"].commands["set"].params
    assert {"primary-ntp", "secondary-ntp", "server-dns-names", "enabled"} <= v6 and "servers" not in v6
    assert {"servers", "mode", "vrf", "enabled"} <= v7 and "primary-ntp" not in v7


# --- 8. boot_clock ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "date"), [("6.49.10", b"jan/02/1970"), ("7.9", b"jan/02/1970"),
                                                ("7.16.2", b"1970-01-02")])  # fmt: skip
def test_without_an_rtc_a_reboot_shows_jan_02_1970(version: str, date: bytes) -> None:
    router = make(version, NO_RTC)
    router.advance(100)
    router.reboot()
    assert put(router, ":put [/system clock get date]; :put [/system clock get time]") == [date, b"00:00:00"]
    router.advance(3600)
    assert router.now() == dt.datetime(1970, 1, 2, 1, 0, 0)  # it runs from there


def test_with_an_rtc_a_reboot_keeps_the_time() -> None:
    router = make("7.16.2")
    router.reboot()
    assert router.now() == START


def test_an_enabled_ntp_client_jumps_the_clock_to_true_time_after_the_sync_delay() -> None:
    router = make("7.16.2", NO_RTC)
    router.invoke("/system ntp client", "set", {"enabled": "yes", "servers": "pool.ntp.org"})
    router.reboot()
    assert ntp(router, "status") == b"waiting"
    router.advance(59)
    assert router.now() == dt.datetime(1970, 1, 2, 0, 0, 59)
    router.advance(1)
    assert router.now() == START + dt.timedelta(seconds=60)
    assert ntp(router, "status") == b"synchronized"


def test_v6_reports_the_sync_through_last_update_from() -> None:
    router = make("6.49.10", NO_RTC)
    router.invoke("/system ntp client", "set", {"enabled": "yes", "primary-ntp": "192.0.2.123"})
    router.reboot()
    assert ntp(router, "last-update-from") is NIL
    router.advance(60)
    assert ntp(router, "last-update-from") == b"192.0.2.123"
    assert router.now() == START + dt.timedelta(seconds=60)


def test_with_the_client_disabled_the_1970_clock_never_jumps() -> None:
    router = make("7.16.2", NO_RTC)
    router.reboot()
    router.advance(86400)
    assert router.now() == dt.datetime(1970, 1, 3, 0, 0, 0)
    router.invoke("/system ntp client", "set", {"enabled": "yes"})  # enabled a day later: syncs 60 s after that
    router.advance(59)
    assert router.now().year == 1970
    router.advance(1)
    assert router.now() == START + dt.timedelta(days=1, seconds=60)


def test_the_sync_delay_switch_sets_when_the_clock_jumps() -> None:
    router = make("7.16.2", Behaviour(boot_clock="1970", ntp_sync_delay_s=600.0))
    router.invoke("/system ntp client", "set", {"enabled": "yes"})
    router.reboot()
    router.advance(599)
    assert router.now().year == 1970
    router.advance(1)
    assert router.now() == START + dt.timedelta(seconds=600)


def test_a_power_cut_boots_into_1970_too() -> None:
    router = make("7.16.2", NO_RTC)
    router.cut_power()
    router.restore_power(downtime_s=30)
    assert router.now() == dt.datetime(1970, 1, 2, 0, 0, 0)
    assert router.clock.now - router.boot_ns == 0


def test_the_scheduler_runs_by_the_1970_clock_until_ntp_and_does_not_replay_after_the_jump() -> None:
    router = make("7.16.2", NO_RTC)
    router.invoke("/system ntp client", "set", {"enabled": "yes"})
    entry = {"name": "Nightly", "start-date": "1970-01-01", "start-time": "00:00:30", "interval": "1d"}
    router.invoke("/system scheduler", "add", {**entry, "on-event": ":log info [/system clock get date]"})
    router.reboot()
    router.advance(60 + 3600)
    # one run in 1970 (00:00:30 on jan/02), then the jump to 2026: no replay of the 20,000 nights in between
    assert router.logs.messages("script") == ["1970-01-02"]
    assert router.rows("/system scheduler")[0]["next-run"] == b"2026-12-01 00:00:30"
    router.advance(86400)
    assert router.logs.messages("script") == ["1970-01-02", "2026-12-01"]


def test_fixture_sessions_keep_the_worlds_time_while_the_router_shows_1970() -> None:
    fixture = fixture_stage.load(
        """
router: {start: 2026-11-30 22:00:00}
ntp: {enabled: yes, servers: pool.ntp.org}
profiles: [{name: Gold}]
users:
  - {name: alice, package: Gold, sessions: [{start: 2026-11-30 22:10:00, download-per-day: 86400, upload-per-day: 0}]}
"""
    )
    late_sync = Behaviour(boot_clock="1970", ntp_sync_delay_s=3600)
    router = build_router(fixture, RouterOSVersion.parse("7.16.2"), behaviour=late_sync)
    assert ntp(router, "enabled") is True and ntp(router, "servers") == b"pool.ntp.org"
    router.reboot()
    router.advance(9 * 60)
    assert router.rows("/ppp active") == []
    router.advance(61)  # 22:10 in true time, while the router shows 00:10 on jan/02/1970
    assert len(router.rows("/ppp active")) == 1
    assert router.now() == dt.datetime(1970, 1, 2, 0, 10, 1)


def test_the_fixture_ntp_key_maps_servers_to_v6_fields_and_rejects_other_keys() -> None:
    fixture = fixture_stage.load("ntp: {enabled: yes, servers: [192.0.2.1, 192.0.2.2, pool.ntp.org]}\n")
    router = build_router(fixture, RouterOSVersion.parse("6.49.10"))
    assert (ntp(router, "enabled"), ntp(router, "primary-ntp"), ntp(router, "secondary-ntp")) == (
        True, b"192.0.2.1", b"192.0.2.2"
    )  # fmt: skip
    assert ntp(router, "server-dns-names") == b"pool.ntp.org"
    with pytest.raises(fixture_stage.FixtureError, match=r"ntp\.server"):
        fixture_stage.load("ntp: {server: x}\n")
    with pytest.raises(fixture_stage.FixtureError, match=r"ntp\.enabled"):
        fixture_stage.load("ntp: {enabled: maybe}\n")


# --- the event queue --------------------------------------------------------------------------------------------------


class _OneQueue:
    """The reference order: every event and every occurrence of a repeating one in a single heap by (time, sequence
    number), a sequence number taken at each queueing (what the clock did before it kept repeating entries per
    instant)."""

    def __init__(self) -> None:
        self.now = 0
        self.seq = 0
        self.heap: list[tuple[int, int, str, object]] = []

    def at(self, ns: int, label: str, action: Callable[[], None]) -> list[bool]:
        self.seq += 1
        cancelled = [False]
        heapq.heappush(self.heap, (ns, self.seq, label, (action, cancelled)))
        return cancelled

    def repeat(self, ns: int, label: str, step: Callable[[int], int | None]) -> list[bool]:
        self.seq += 1
        cancelled = [False]
        heapq.heappush(self.heap, (ns, self.seq, label, (step, cancelled, True)))
        return cancelled

    def advance_to(self, ns: int) -> None:
        while self.heap and self.heap[0][0] <= ns:
            at, _, label, item = heapq.heappop(self.heap)
            if item[1][0]:  # type: ignore[index]
                continue
            self.now = max(self.now, at)
            if len(item) == 3:  # type: ignore[arg-type]
                following = item[0](at)  # type: ignore[index]
                if following is not None and not item[1][0]:  # type: ignore[index]
                    self.seq += 1
                    heapq.heappush(self.heap, (following, self.seq, label, item))
            else:
                item[0]()  # type: ignore[index]
        self.now = max(self.now, ns)


def _queue_history(clock: Clock | _OneQueue, seed: int) -> list[tuple[int, str]]:
    """What runs when, for a random history of events and repeating entries (the same for the same ``seed`` as long
    as the order is the same)."""
    rng = random.Random(seed)
    seen: list[tuple[int, str]] = []
    handles: list[object] = []

    def cancel(handle: object) -> None:
        if isinstance(handle, list):
            handle[0] = True
        else:
            handle.cancel()  # type: ignore[attr-defined]

    def repeating(label: str, period: int, stops: int) -> Callable[[int], int | None]:
        def step(at: int) -> int | None:
            seen.append((clock.now, label))
            if rng.random() < 0.05 and handles:
                cancel(rng.choice(handles))
            return None if at >= stops else at + period

        return step

    def event(label: str) -> Callable[[], None]:
        def action() -> None:
            seen.append((clock.now, label))
            choice = rng.random()
            if choice < 0.2:
                handles.append(clock.at(clock.now + rng.choice([0, 5, 10]), f"{label}+", event(f"{label}+")))
            elif choice < 0.3:
                handles.append(clock.repeat(clock.now + 10, f"{label}r", repeating(f"{label}r", 10, 200)))
            elif choice < 0.35:
                clock.advance_to(clock.now + rng.choice([0, 5, 10]))  # a script's :delay

        return action

    for number in range(40):
        start = rng.choice([0, 10, 10, 20, 30])
        if rng.random() < 0.6:
            handles.append(clock.repeat(start, f"r{number}", repeating(f"r{number}", rng.choice([10, 20]), 300)))
        else:
            handles.append(clock.at(start, f"e{number}", event(f"e{number}")))
    for until in (0, 10, 15, 20, 100, 400):
        clock.advance_to(until)
    return seen


@pytest.mark.parametrize("seed", range(8))
def test_repeating_entries_and_events_run_in_one_order_by_time_and_queueing(seed: int) -> None:
    """Many repeating entries due at the same instants (sessions that logged in together), events at those instants
    too, cancellations, and events that queue more or advance the clock themselves: the clock runs them in the order
    of one queue by (time, sequence number)."""
    seen = _queue_history(Clock(now=0), seed)
    assert seen == _queue_history(_OneQueue(), seed)
    assert len(seen) > 200
