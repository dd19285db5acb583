"""RADIUS accounting into User Manager the way RFC 2866 reports it, and resetting usage while a session is open
(platform.md §7): cumulative interim updates, usage = closed + active, and the reset that comes back."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.router import Router, Traffic
from emulator.values import Array, Time
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 11, 30, 20, 0, 0)
SECOND = 10**9
RATE = Traffic(download=1000 * 3600, upload=100 * 3600, per_ns=3600 * SECOND)  # 1000 B/s down, 100 B/s up
VERSIONS = ["6.49.10", "7.16.2"]


def make(version: str, *, latency: float = 2.0) -> Router:
    router = Router(RouterOSVersion.parse(version), start=START, accounting_latency=latency)
    if router.version.user_manager_v7:
        router.invoke("/user-manager", "set", {"enabled": "yes"})
        router.invoke("/user-manager profile", "add", {"name": "Gold"})
        router.invoke("/user-manager user", "add", {"name": "alice", "password": "pw"})
        router.invoke("/user-manager user-profile", "add", {"user": "alice", "profile": "Gold"})
    else:
        router.invoke("/tool user-manager profile", "add", {"name": "Gold", "starts-at": "now"})
        router.invoke("/tool user-manager user", "add", {"customer": "admin", "username": "alice", "password": "pw"})
        router.invoke("/tool user-manager user", "create-and-activate-profile", {"numbers": "alice", "profile": "Gold"})
    return router


def usage(router: Router) -> tuple[int, int]:
    """(download, upload) as a billing script reads them on this version."""
    if router.version.user_manager_v7:
        m = router.invoke("/user-manager user", "monitor", {"numbers": "alice"}, flags={"once", "as-value"})
        assert isinstance(m, Array)
        return m.get(b"total-download"), m.get(b"total-upload")
    get = router.invoke
    return (
        get("/tool user-manager user", "get", {"number": "alice", "value-name": "download-used"}),  # type: ignore[return-value]
        get("/tool user-manager user", "get", {"number": "alice", "value-name": "upload-used"}),
    )


def reset(router: Router) -> None:
    """The version's usual reset: v6 reset-counters, v7 remove the user's session rows (platform.md §2.4)."""
    if router.version.user_manager_v7:
        rows = router.invoke("/user-manager session", "find", {"user": "alice"})
        router.invoke("/user-manager session", "remove", {"numbers": rows})
    else:
        router.invoke("/tool user-manager user", "reset-counters", {"numbers": "alice"})


def kick(router: Router) -> None:
    router.invoke("/ppp active", "remove", {"numbers": router.invoke("/ppp active", "find", {"name": "alice"})})


def session_path(router: Router) -> str:
    return "/user-manager session" if router.version.user_manager_v7 else "/tool user-manager session"


@pytest.mark.parametrize("version", VERSIONS)
def test_interim_updates_carry_cumulative_session_totals(version: str) -> None:
    router = make(version)
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(1)
    assert usage(router) == (0, 0)  # Start not arrived yet (latency 2 s)
    router.advance(2)
    assert usage(router) == (0, 0)  # Start carries zero
    router.advance(300)
    assert usage(router) == (300_000, 30_000)  # first interim at 5 min, arrived 2 s later
    router.advance(300)
    assert usage(router) == (600_000, 60_000)  # cumulative, not 300k + 600k


@pytest.mark.parametrize("version", VERSIONS)
def test_usage_lags_until_the_next_interim(version: str) -> None:
    router = make(version)
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(299 + 300)
    assert usage(router) == (300_000, 30_000)  # 599 s of traffic, but only the 5-min interim arrived


@pytest.mark.parametrize("version", VERSIONS)
def test_usage_is_closed_sessions_plus_active_sessions_last_report(version: str) -> None:
    router = make(version)
    first = router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    assert first is not None
    router.advance(100)
    router.nas.disconnect(first, "user-request")  # Stop with 100 s of traffic
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(305)
    assert usage(router) == (100_000 + 300_000, 10_000 + 30_000)
    rows = router.rows(session_path(router))
    assert [r["active"] for r in rows] == [False, True]
    assert rows[0]["terminate-cause"] == b"user-request"


@pytest.mark.parametrize("version", VERSIONS)
def test_resetting_while_a_session_is_open_comes_back_at_the_next_interim(version: str) -> None:
    router = make(version)
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(3600 + 5)
    assert usage(router) == (3_600_000, 360_000)
    reset(router)
    assert usage(router) == (0, 0)  # looks reset …
    router.advance(300)
    assert usage(router) == (3_900_000, 390_000)  # … until the next interim re-reports the whole session


@pytest.mark.parametrize("version", VERSIONS)
def test_kicking_waiting_for_the_stop_then_resetting_sticks(version: str) -> None:
    router = make(version)
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(3600 + 5)
    kick(router)
    router.advance(3)  # `:delay 3s`: longer than the 2 s accounting latency
    reset(router)
    router.advance(3600)
    assert usage(router) == (0, 0)
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)  # the client reconnects: a new session from zero
    router.advance(305)
    assert usage(router) == (300_000, 30_000)


@pytest.mark.parametrize("version", VERSIONS)
def test_kicking_and_resetting_without_waiting_loses_to_the_late_stop(version: str) -> None:
    router = make(version)
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(3600 + 5)
    kick(router)
    reset(router)
    assert usage(router) == (0, 0)
    router.advance(3)
    assert usage(router) == (3_605_000, 360_500)  # the late Stop brings the final session totals back


@pytest.mark.parametrize("version", VERSIONS)
def test_waiting_less_than_the_accounting_latency_is_not_enough(version: str) -> None:
    router = make(version, latency=10.0)
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(3600 + 15)
    kick(router)
    router.advance(3)
    reset(router)
    router.advance(60)
    assert usage(router)[0] > 0


@pytest.mark.parametrize("version", VERSIONS)
def test_close_session_disconnects_at_the_nas_and_the_stop_closes_the_row(version: str) -> None:
    router = make(version)
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(60)
    path = session_path(router)
    router.invoke(path, "close-session", {"numbers": router.invoke(path, "find", {"user": "alice"})})
    assert router.rows("/ppp active") == []
    assert router.rows(path)[0]["active"] is True  # until the Stop arrives
    router.advance(2)
    (row,) = router.rows(path)
    assert (row["active"], row["terminate-cause"], row["download"]) == (False, b"admin-reset", 60_000)


@pytest.mark.parametrize("version", VERSIONS)
def test_close_session_on_a_stale_row_closes_it_at_once(version: str) -> None:
    router = make(version)
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(305)
    router.reboot()  # the NAS loses the session without sending a Stop
    path = session_path(router)
    assert router.rows(path)[0]["active"] is True
    router.invoke(path, "close-session", {"numbers": router.invoke(path, "find", {"user": "alice"})})
    assert router.rows(path)[0]["active"] is False
    assert usage(router) == (300_000, 30_000)


@pytest.mark.parametrize("version", VERSIONS)
def test_hotspot_sessions_count_and_removing_one_sends_a_stop(version: str) -> None:
    router = make(version)
    router.nas.connect("alice", RATE, service="hotspot", interim_ns=300 * SECOND)
    router.advance(120)
    (row,) = router.rows("/ip hotspot active")
    assert (row["user"], row["bytes-out"], row["bytes-in"], row["uptime"]) == (
        b"alice",
        120_000,
        12_000,
        Time(120 * SECOND),
    )
    router.invoke(
        "/ip hotspot active", "remove", {"numbers": router.invoke("/ip hotspot active", "find", {"user": "alice"})}
    )
    router.advance(2)
    assert usage(router) == (120_000, 12_000)


def test_v6_counters_live_on_the_user_so_removing_closed_rows_keeps_them() -> None:
    router = make("6.49.10")
    session = router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    assert session is not None
    router.advance(100)
    router.nas.disconnect(session, "user-request")
    router.advance(2)
    router.invoke(
        "/tool user-manager session", "remove", {"numbers": router.invoke("/tool user-manager session", "find")}
    )
    assert usage(router) == (100_000, 10_000)
    uptime = router.invoke("/tool user-manager user", "get", {"number": "alice", "value-name": "uptime-used"})
    assert uptime == Time(100 * SECOND)


def test_v7_totals_are_the_stored_session_rows() -> None:
    router = make("7.16.2")
    session = router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    assert session is not None
    router.advance(100)
    router.nas.disconnect(session, "user-request")
    router.advance(2)
    monitor = router.invoke("/user-manager user", "monitor", {"numbers": "alice"}, flags={"once", "as-value"})
    assert isinstance(monitor, Array)
    assert (monitor.get(b"total-uptime"), monitor.get(b"active-sessions")) == (Time(100 * SECOND), 0)
    router.invoke("/user-manager session", "remove", {"numbers": router.invoke("/user-manager session", "find")})
    assert usage(router) == (0, 0)


def test_v6_reset_counters_also_clears_uptime() -> None:
    router = make("6.49.10")
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.advance(305)
    reset(router)
    assert router.invoke("/tool user-manager user", "get", {"number": "alice", "value-name": "uptime-used"}) == Time(0)


def test_a_session_already_running_when_emulation_starts_reports_its_history() -> None:
    router = make("7.16.2")
    started = router.now_ns() - 3600 * SECOND
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND, started_ns=started)
    router.advance(2)
    assert usage(router) == (3_600_000, 360_000)
    (row,) = router.rows("/user-manager session")
    assert row["started"] == b"2026-11-30 19:00:00"


def test_v7_accounting_needs_user_manager_enabled() -> None:
    router = make("7.16.2")
    router.invoke("/user-manager", "set", {"enabled": "no"})
    assert router.nas.connect("alice", RATE) is None
    assert router.rows("/ppp active") == []


@pytest.mark.parametrize("version", VERSIONS)
def test_disabled_and_unknown_users_cannot_log_in(version: str) -> None:
    router = make(version)
    menu = "/user-manager user" if router.version.user_manager_v7 else "/tool user-manager user"
    router.invoke(menu, "disable", {"numbers": "alice"})
    assert router.nas.connect("alice", RATE) is None
    assert router.nas.connect("mallory", RATE) is None


def test_v6_users_without_a_profile_in_force_cannot_log_in() -> None:
    router = make("6.49.10")
    router.invoke("/tool user-manager user", "clear-profiles", {"numbers": "alice"})
    assert router.nas.connect("alice", RATE) is None


def test_ppp_active_shows_the_live_session() -> None:
    router = make("7.16.2")
    router.nas.connect("alice", RATE, caller_id="02:00:00:00:00:01")
    router.advance(61)
    (row,) = router.rows("/ppp active")
    assert (row["name"], row["caller-id"], row["uptime"], row["radius"]) == (
        b"alice", b"02:00:00:00:00:01", Time(61 * SECOND), True
    )  # fmt: skip
