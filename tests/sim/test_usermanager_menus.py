"""User Manager menus: v6 /tool user-manager and v7 /user-manager data models (platform.md §1, §2)."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.contract import RouterOSError
from emulator.router import Router, Traffic
from emulator.values import Array, Id, Time
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 11, 1, 10, 0, 0)
SECOND = 10**9
DAY = 86400
RATE = Traffic(download=86_400_000, upload=8_640_000)  # 1000 B/s down per day


def v6() -> Router:
    return Router(RouterOSVersion.parse("6.49.10"), start=START)


def v7() -> Router:
    router = Router(RouterOSVersion.parse("7.16.2"), start=START)
    router.invoke("/user-manager", "set", {"enabled": "yes"})
    return router


U6 = "/tool user-manager user"
U7 = "/user-manager user"


# --- v6 ---------------------------------------------------------------------------------------------------------------


def test_v6_has_a_default_admin_customer_and_user_add_needs_one() -> None:
    router = v6()
    assert [r["login"] for r in router.rows("/tool user-manager customer")] == [b"admin"]
    with pytest.raises(RouterOSError, match="missing value"):
        router.invoke(U6, "add", {"username": "alice"})
    with pytest.raises(RouterOSError):
        router.invoke(U6, "add", {"customer": "nobody", "username": "alice"})
    assert router.invoke(U6, "add", {"customer": "admin", "username": "alice"}) == Id(1)


def test_v6_users_are_found_by_username_and_have_personal_fields() -> None:
    router = v6()
    router.invoke(U6, "add", {"customer": "admin", "username": "alice", "email": "alice@example.com",
                              "first-name": "Alice", "last-name": "Liddell", "comment": "cap=50GB"})  # fmt: skip
    (found,) = router.invoke(U6, "find", {"username": "alice"}).values()  # type: ignore[union-attr]
    record = router.invoke(U6, "get", {"number": found})
    assert isinstance(record, Array)
    assert record.get(b"email") == b"alice@example.com" and record.get(b"comment") == b"cap=50GB"
    assert record.get(b"download-used") == 0 and record.get(b"last-seen") == b"never"
    with pytest.raises(RouterOSError):
        router.invoke(U6, "find", {"name": "alice"})  # v6 has no `name`


def test_v6_counters_are_read_only() -> None:
    router = v6()
    router.invoke(U6, "add", {"customer": "admin", "username": "alice"})
    with pytest.raises(RouterOSError, match="unknown parameter"):
        router.invoke(U6, "set", {"numbers": "alice", "download-used": 0})


def test_v6_create_and_activate_profile_sets_the_actual_profile_until_it_expires() -> None:
    router = v6()
    router.invoke("/tool user-manager profile", "add", {"name": "Month", "validity": "30d", "starts-at": "now"})
    router.invoke(U6, "add", {"customer": "admin", "username": "alice"})
    router.invoke(U6, "create-and-activate-profile", {"numbers": "alice", "customer": "admin", "profile": "Month"})
    assert router.invoke(U6, "get", {"number": "alice", "value-name": "actual-profile"}) == b"Month"
    router.advance(31 * DAY)
    assert router.invoke(U6, "get", {"number": "alice", "value-name": "actual-profile"}) == b""
    assert "actual-profile" not in router.rows(U6)[0]
    with pytest.raises(RouterOSError):
        router.invoke(U6, "create-and-activate-profile", {"numbers": "alice", "profile": "Nope"})


def test_v6_a_logon_profile_starts_at_the_first_login() -> None:
    router = v6()
    router.invoke("/tool user-manager profile", "add", {"name": "Week", "validity": "7d"})  # starts-at=logon
    router.invoke(U6, "add", {"customer": "admin", "username": "alice"})
    router.invoke(U6, "create-and-activate-profile", {"numbers": "alice", "profile": "Week"})
    router.advance(10 * DAY)
    assert router.um.profile_states("alice") == ["Week:waiting"]  # type: ignore[union-attr]
    assert router.nas.connect("alice", RATE) is not None
    router.advance(6 * DAY)
    assert router.invoke(U6, "get", {"number": "alice", "value-name": "actual-profile"}) == b"Week"
    router.advance(2 * DAY)
    assert router.invoke(U6, "get", {"number": "alice", "value-name": "actual-profile"}) == b""


def test_v6_user_shows_active_and_last_seen() -> None:
    router = v6()
    router.invoke("/tool user-manager profile", "add", {"name": "P", "starts-at": "now"})
    router.invoke(U6, "add", {"customer": "admin", "username": "alice"})
    router.invoke(U6, "create-and-activate-profile", {"numbers": "alice", "profile": "P"})
    router.nas.connect("alice", RATE)
    router.advance(5)
    row = router.rows(U6)[0]
    assert row["active"] is True and row["last-seen"] == b"nov/01/2026 10:00:00"
    session = router.rows("/tool user-manager session")[0]
    assert (session["user"], session["customer"], session["from-time"]) == (b"alice", b"admin", b"nov/01/2026 10:00:00")


# --- v7 ---------------------------------------------------------------------------------------------------------------


def test_v7_users_have_name_group_and_shared_users_but_no_e_mail() -> None:
    router = v7()
    router.invoke(U7, "add", {"name": "alice", "password": "pw", "shared-users": "unlimited", "comment": "a@x.com"})
    row = router.rows(U7)[0]
    assert (row["name"], row["group"], row["shared-users"], row["comment"]) == (
        b"alice",
        b"default",
        b"unlimited",
        b"a@x.com",
    )
    with pytest.raises(RouterOSError, match="unknown parameter email"):
        router.invoke(U7, "add", {"name": "bob", "email": "b@x.com"})
    with pytest.raises(RouterOSError, match="bad command name"):
        router.invoke(U7, "reset-counters", {"numbers": "alice"})


def test_v7_monitor_once_as_value_returns_one_map() -> None:
    router = v7()
    router.invoke("/user-manager profile", "add", {"name": "Gold"})
    router.invoke(U7, "add", {"name": "alice"})
    router.invoke("/user-manager user-profile", "add", {"user": "alice", "profile": "Gold"})
    router.nas.connect("alice", RATE, interim_ns=60 * SECOND)
    router.advance(62)
    monitor = router.invoke(
        U7, "monitor", {"numbers": router.invoke(U7, "find", {"name": "alice"})}, flags={"once", "as-value"}
    )
    assert isinstance(monitor, Array)
    assert {k.decode(): v for k, v in monitor.keyed.items()} == {
        "total-download": 60_000, "total-upload": 6_000, "total-uptime": Time(60 * SECOND), "active-sessions": 1,
        "active-sub-sessions": 0, "actual-profile": b"Gold", "attributes-details": b"",
    }  # fmt: skip


def test_v7_monitor_as_value_needs_once_and_proplist_needs_7_19() -> None:
    router = v7()
    router.invoke(U7, "add", {"name": "alice"})
    with pytest.raises(RouterOSError):
        router.invoke(U7, "monitor", {"numbers": "alice"}, flags={"as-value"})
    with pytest.raises(RouterOSError, match="unknown parameter proplist"):
        router.invoke(U7, "monitor", {"numbers": "alice", "proplist": "total-download"}, flags={"once", "as-value"})
    newer = Router(RouterOSVersion.parse("7.19"))
    newer.invoke(U7, "add", {"name": "alice"})
    m = newer.invoke(U7, "monitor", {"numbers": "alice", "proplist": "total-download"}, flags={"once", "as-value"})
    assert isinstance(m, Array) and set(m.keyed) == {b"total-download"}


def test_v7_user_profile_states_follow_validity_and_first_auth() -> None:
    router = v7()
    router.invoke("/user-manager profile", "add", {"name": "Month", "validity": "30d"})
    router.invoke("/user-manager profile", "add", {"name": "Trial", "validity": "1d", "starts-when": "first-auth"})
    router.invoke(U7, "add", {"name": "alice"})
    router.invoke("/user-manager user-profile", "add", {"user": "alice", "profile": "Month"})
    router.invoke("/user-manager user-profile", "add", {"user": "alice", "profile": "Trial"})
    rows = router.rows("/user-manager user-profile")
    assert [(r["state"], r["end-time"]) for r in rows] == [
        (b"running", b"2026-12-01 10:00:00"),
        (b"waiting", b"not-yet-running"),
    ]
    router.advance(30 * DAY)
    assert [r["state"] for r in router.rows("/user-manager user-profile")] == [b"used", b"waiting"]
    router.nas.connect("alice", RATE)
    router.advance(2)  # the Accounting-Start makes the session active
    assert [r["state"] for r in router.rows("/user-manager user-profile")] == [b"used", b"running-active"]
    assert (
        router.invoke(U7, "monitor", {"numbers": "alice"}, flags={"once", "as-value"}).get(b"actual-profile")
        == b"Trial"
    )  # type: ignore[union-attr]


def test_v7_user_profile_needs_an_existing_user_and_profile() -> None:
    router = v7()
    router.invoke(U7, "add", {"name": "alice"})
    with pytest.raises(RouterOSError, match="profile"):
        router.invoke("/user-manager user-profile", "add", {"user": "alice", "profile": "Platinum"})
    router.invoke("/user-manager profile", "add", {"name": "Gold"})
    with pytest.raises(RouterOSError, match="user"):
        router.invoke("/user-manager user-profile", "add", {"user": "bob", "profile": "Gold"})


def test_v7_use_profiles_requires_a_running_profile_to_log_in() -> None:
    router = v7()
    router.invoke("/user-manager", "set", {"use-profiles": "yes"})
    router.invoke(U7, "add", {"name": "alice"})
    assert router.nas.connect("alice", RATE) is None
    router.invoke("/user-manager", "set", {"use-profiles": "no"})
    assert router.nas.connect("alice", RATE) is not None


def test_v7_session_rows_are_read_only_and_carry_the_accounting_fields() -> None:
    router = v7()
    router.invoke(U7, "add", {"name": "alice"})
    router.nas.connect("alice", RATE, interim_ns=60 * SECOND)
    router.advance(62)
    (row,) = router.rows("/user-manager session")
    assert (row["user"], row["active"], row["started"], row["last-accounting-packet"], row["status"]) == (
        b"alice", True, b"2026-11-01 10:00:00", b"2026-11-01 10:01:00", b"start,interim"
    )  # fmt: skip
    assert "ended" not in row or row["ended"] == b""
    with pytest.raises(RouterOSError, match="bad command name"):
        router.invoke("/user-manager session", "add", {"user": "alice"})
    with pytest.raises(RouterOSError, match="bad command name"):
        router.invoke("/user-manager session", "set", {"numbers": row[".id"], "download": 0})


def test_v7_limitations_are_stored() -> None:
    router = v7()
    router.invoke("/user-manager limitation", "add", {"name": "50GB", "transfer-limit": "50000000000",
                                                      "reset-counters-interval": "monthly"})  # fmt: skip
    row = router.rows("/user-manager limitation")[0]
    assert (row["transfer-limit"], row["reset-counters-interval"]) == (50_000_000_000, b"monthly")
    with pytest.raises(RouterOSError):
        router.invoke("/user-manager limitation", "add", {"name": "x", "reset-counters-interval": "fortnightly"})
