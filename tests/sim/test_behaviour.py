"""Behaviour switches: the alternatives the emulator models where RouterOS is not known (router/behaviour.py).

Every switch has a test here (or in test_mail_server.py, test_power.py, test_clock_ntp.py) that fails if the switch did
nothing: each runs the same scenario under the default and the alternative and asserts they differ as described.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from emulator import fixture as fixture_stage
from emulator.fixture_usage import build_router
from emulator.interp import Interpreter
from emulator.router import Router, Traffic
from emulator.router.behaviour import Behaviour
from emulator.values import NIL, Array, Time
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 11, 30, 20, 0, 0)
SECOND = 10**9
RATE = Traffic(download=1000 * 3600, upload=100 * 3600, per_ns=3600 * SECOND)  # 1000 B/s down, 100 B/s up
V6, V7 = "6.49.10", "7.16.2"


def make(version: str, behaviour: Behaviour | None = None) -> Router:
    router = Router(
        RouterOSVersion.parse(version), start=START, runner_factory=Interpreter, behaviour=behaviour or Behaviour()
    )
    if router.version.user_manager_v7:
        router.invoke("/user-manager", "set", {"enabled": "yes"})
        router.invoke("/user-manager profile", "add", {"name": "Gold"})
        router.invoke("/user-manager user", "add", {"name": "alice"})
        router.invoke("/user-manager user-profile", "add", {"user": "alice", "profile": "Gold"})
    else:
        router.invoke("/tool user-manager profile", "add", {"name": "Gold", "starts-at": "now"})
        router.invoke("/tool user-manager user", "add", {"customer": "admin", "username": "alice"})
        router.invoke("/tool user-manager user", "create-and-activate-profile", {"numbers": "alice", "profile": "Gold"})
    return router


def usage(router: Router) -> int:
    """Download as a billing script reads it (v6 ``download-used``, v7 ``monitor`` ``total-download``)."""
    if router.version.user_manager_v7:
        m = router.invoke("/user-manager user", "monitor", {"numbers": "alice"}, flags={"once", "as-value"})
        assert isinstance(m, Array)
        return int(m.get(b"total-download"))
    value = router.invoke("/tool user-manager user", "get", {"number": "alice", "value-name": "download-used"})
    assert isinstance(value, int)
    return value


def session_menu(router: Router) -> str:
    return "/user-manager session" if router.version.user_manager_v7 else "/tool user-manager session"


def user_menu(router: Router) -> str:
    return "/user-manager user" if router.version.user_manager_v7 else "/tool user-manager user"


def reset(router: Router) -> None:
    if router.version.user_manager_v7:
        rows = router.invoke("/user-manager session", "find", {"user": "alice"})
        router.invoke("/user-manager session", "remove", {"numbers": rows})
    else:
        router.invoke("/tool user-manager user", "reset-counters", {"numbers": "alice"})


# --- the dataclass ---------------------------------------------------------------------------------------------------


def test_the_defaults_are_the_model_before_the_switches() -> None:
    assert Behaviour().describe() == "defaults"
    assert Behaviour().changed() == {}
    assert Router(RouterOSVersion.parse(V7)).behaviour == Behaviour()


def test_describe_names_the_switches_that_differ() -> None:
    b = Behaviour(um_session_remove="keeps-totals", reset_delay_s=5.0)
    assert b.describe() == "um_session_remove=keeps-totals, reset_delay_s=5.0"


def test_every_field_has_alternatives_that_differ_from_its_default_and_are_accepted() -> None:
    alternatives = Behaviour.alternatives()
    fields = {f.name: f for f in dataclasses.fields(Behaviour)}
    assert set(alternatives) == set(fields)
    for name, values in alternatives.items():
        assert values, name
        for value in values:
            assert value != fields[name].default, name
            assert Behaviour(**{name: value}).changed() == {name: value}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "value"),
    [("um_session_remove", "forgets"), ("boot_clock", "gps"), ("reset_delay_s", -1.0), ("mail_status_lag_s", True)],
)
def test_unknown_or_negative_values_are_refused(name: str, value: object) -> None:
    with pytest.raises(ValueError, match=name):
        Behaviour(**{name: value})  # type: ignore[arg-type]


def test_the_behaviour_reaches_the_router_through_build_router_and_prepare() -> None:
    fixture = fixture_stage.load("users: [{name: alice, package: Gold}]\nprofiles: [{name: Gold}]\n")
    b = Behaviour(tonum_leading_zero="octal")
    router = build_router(fixture, RouterOSVersion.parse(V7), runner_factory=Interpreter, behaviour=b)
    assert router.behaviour is b
    assert router.run(':put [:tonum "010"]').output == [b"8"]


def test_simulate_prepare_passes_the_behaviour_on() -> None:
    from billing.harness import simulation

    from generator.config import load as load_config

    root = Path(__file__).resolve().parents[2]
    config = load_config(root / "config" / "billing.yaml")
    b = Behaviour(boot_clock="1970")
    sim = simulation(config, None, root / "config" / "users.yaml", behaviour=b)
    assert sim.router.behaviour is b


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, vs in Behaviour.alternatives().items() for v in vs])
def test_matrix_a_router_runs_a_day_of_accounting_under_every_alternative(name: str, value: object) -> None:
    """The matrix: each alternative alone builds a working router of both versions (billing tests use the same
    list to run the scripts under each)."""
    for version in (V6, V7):
        router = make(version, Behaviour(**{name: value}))  # type: ignore[arg-type]
        router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        router.advance(3600 + 5)
        assert usage(router) == 3_600_000, (version, name, value)


# --- 1. um_session_remove --------------------------------------------------------------------------------------------


def test_keeps_totals_removing_v7_session_rows_does_not_lower_monitor_totals() -> None:
    lowers, keeps = make(V7), make(V7, Behaviour(um_session_remove="keeps-totals"))
    for router in (lowers, keeps):
        session = router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        assert session is not None
        router.advance(100)
        router.nas.disconnect(session, "user-request")
        router.advance(3)
        reset(router)
    assert usage(lowers) == 0
    assert usage(keeps) == 100_000
    assert keeps.rows("/user-manager session") == []  # the rows did go


def test_keeps_totals_a_later_packet_for_a_removed_row_adds_only_its_increment() -> None:
    lowers, keeps = make(V7), make(V7, Behaviour(um_session_remove="keeps-totals"))
    for router in (lowers, keeps):
        router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        router.advance(600 + 5)  # two interims: 600 s of traffic reported
        reset(router)
        router.advance(300)  # the next interim re-creates the row with the whole cumulative total (900 s)
    assert usage(lowers) == 900_000  # the row: the whole session again
    assert usage(keeps) == 900_000  # own totals: 600 s + the 300 s increment, not 600 + 900
    keeps.advance(300)
    assert usage(keeps) == 1_200_000


# --- 2. v6_reset_counters --------------------------------------------------------------------------------------------


def test_v6_reset_counters_keeps_is_accepted_and_changes_nothing() -> None:
    zeroes, keeps = make(V6), make(V6, Behaviour(v6_reset_counters="keeps"))
    for router in (zeroes, keeps):
        session = router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        assert session is not None
        router.advance(100)
        router.nas.disconnect(session, "user-request")
        router.advance(3)
        reset(router)
    assert (usage(zeroes), usage(keeps)) == (0, 100_000)
    with pytest.raises(Exception, match="no such item"):  # still checks its argument
        keeps.invoke("/tool user-manager user", "reset-counters", {"numbers": "nobody"})


# --- 3. reset_delay_s ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [V6, V7])
def test_an_asynchronous_reset_takes_effect_after_the_delay(version: str) -> None:
    router = make(version, Behaviour(reset_delay_s=5.0))
    session = router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    assert session is not None
    router.advance(100)
    router.nas.disconnect(session, "user-request")
    router.advance(3)
    reset(router)
    assert usage(router) == 100_000  # the command returned; nothing happened yet
    router.advance(4.9)
    assert usage(router) == 100_000
    router.advance(0.2)
    assert usage(router) == 0


@pytest.mark.parametrize("version", [V6, V7])
def test_an_immediate_reset_is_the_default(version: str) -> None:
    router = make(version)
    session = router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    assert session is not None
    router.advance(100)
    router.nas.disconnect(session, "user-request")
    router.advance(3)
    reset(router)
    assert usage(router) == 0


def test_a_delayed_reset_loses_to_a_stop_that_arrives_in_the_meantime_on_v7() -> None:
    """Kick, reset at once, and the late Stop lands before the delayed removal: the removal takes it away (v7 rows),
    whereas the immediate reset loses to the Stop."""
    at_once, delayed = make(V7), make(V7, Behaviour(reset_delay_s=5.0))
    for router in (at_once, delayed):
        router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        router.advance(100)
        router.invoke("/ppp active", "remove", {"numbers": router.invoke("/ppp active", "find", {"name": "alice"})})
        reset(router)
        router.advance(10)
    assert (usage(at_once), usage(delayed)) == (100_000, 0)


# --- 4. um_close_session ---------------------------------------------------------------------------------------------


def close(router: Router) -> None:
    path = session_menu(router)
    router.invoke(path, "close-session", {"numbers": router.invoke(path, "find", {"user": "alice"})})


@pytest.mark.parametrize("version", [V6, V7])
def test_marks_only_close_session_leaves_the_nas_session_up_and_the_next_interim_reopens_the_row(
    version: str,
) -> None:
    disconnects, marks = make(version), make(version, Behaviour(um_close_session="marks-only"))
    for router in (disconnects, marks):
        router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        router.advance(60)
        close(router)
    assert disconnects.rows("/ppp active") == []
    assert len(marks.rows("/ppp active")) == 1  # no CoA: the user stays online
    (row,) = marks.rows(session_menu(marks))
    cause = b"um-admin-request" if marks.version.user_manager_v7 else b"admin-reset"
    assert (row["active"], row["terminate-cause"]) == (False, cause)
    marks.advance(300)  # the 5-min interim of the still-running session
    (row,) = marks.rows(session_menu(marks))
    assert (row["active"], row["terminate-cause"], row["download"]) == (True, b"", 300_000)
    assert usage(marks) == 300_000  # no double count of the first minute


def test_marks_only_on_v6_a_reset_after_the_close_lets_the_whole_session_total_count_again() -> None:
    """v6: close (marks only), wait, reset-counters, and the next interim brings the whole session back."""
    disconnects, marks = make(V6), make(V6, Behaviour(um_close_session="marks-only"))
    for router in (disconnects, marks):
        router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        router.advance(3600 + 5)
        close(router)
        router.advance(5)  # the billing script's `:delay 5s`
        reset(router)
        router.advance(300)
    assert usage(disconnects) == 0  # the Stop came before the reset: it sticks
    assert usage(marks) == 3_900_000  # over-billing: the session never ended


# --- 5. um_disabled_accounting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [V6, V7])
def test_ignored_accounting_of_a_disabled_user_never_reaches_the_counters(version: str) -> None:
    accepted, ignored = make(version), make(version, Behaviour(um_disabled_accounting="ignored"))
    for router in (accepted, ignored):
        router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        router.advance(305)
        router.invoke(user_menu(router), "disable", {"numbers": "alice"})  # online users stay online
        router.advance(300)
    assert usage(accepted) == 600_000
    assert usage(ignored) == 300_000


# --- 6. v6_print_counters --------------------------------------------------------------------------------------------


def printed(router: Router) -> set[str]:
    rows = router.invoke("/tool user-manager user", "print", flags={"as-value"})
    assert isinstance(rows, Array)
    (row,) = rows.values()
    return {key.decode() for key, _ in row.entries() if isinstance(key, bytes)}


def test_omitted_print_counters_leave_print_rows_without_them_but_get_still_works() -> None:
    included, omitted = make(V6), make(V6, Behaviour(v6_print_counters="omitted"))
    names = {"download-used", "upload-used", "uptime-used"}
    for router in (included, omitted):
        router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        router.advance(305)
    assert names <= printed(included)
    assert not names & printed(omitted)
    assert "username" in printed(omitted)
    assert usage(omitted) == 300_000
    result = omitted.run(
        ':foreach r in=[/tool user-manager user print as-value] do={ :put [:typeof ($r->"download-used")] }'
    )
    assert result.output == [b"nothing"]


# --- 9. tonum_leading_zero -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "decimal", "octal"),
    [("08", b"8", b""), ("09", b"9", b""), ("010", b"10", b"8"), ("0", b"0", b"0"), ("10", b"10", b"10"),
     ("-010", b"-10", b"-8"), ("0x10", b"16", b"16")],
)  # fmt: skip
def test_tonum_of_a_leading_zero_per_switch(text: str, decimal: bytes, octal: bytes) -> None:
    source = f':put [:tonum "{text}"]'
    assert make(V7).run(source).output == [decimal]
    assert make(V7, Behaviour(tonum_leading_zero="octal")).run(source).output == [octal]


def test_octal_tonum_of_08_is_nil_and_only_tonum_changes() -> None:
    router = make(V6, Behaviour(tonum_leading_zero="octal"))
    assert router.run(':put [:typeof [:tonum "08"]]').output == [b"nil"]
    assert router.run(":put (08 + 1)").output == [b"9"]  # number literals are not :tonum
    from emulator import convert

    assert convert.tonum(b"08") == 8 and convert.tonum(b"08", octal=True) is NIL
    assert convert.tonum(Time(2 * SECOND), octal=True) == 2
