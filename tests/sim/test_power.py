"""Power cuts: at any script statement, inside a /system script run chain, during a :delay; and the boot after them."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator import fixture as fixture_stage
from emulator.contract import PowerCut
from emulator.fixture_usage import build_router
from emulator.interp import Interpreter
from emulator.router import Router, Traffic
from emulator.router.behaviour import Behaviour
from emulator.router.power import RouterOff
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 11, 30, 23, 0, 0)
SECOND = 10**9
RATE = Traffic(download=1000 * 3600, upload=100 * 3600, per_ns=3600 * SECOND)
TARGETS = ("A", "B", "C", "D", "E", "F")

#: Every statement that has an effect writes one comment; function bodies and loop bodies count as statements.
SCRIPT = """
:local f do={ /system script comment $1 $2 }
/system script comment A "a"
$f B "b"
:foreach n in={"C";"D"} do={ /system script comment $n "x" }
"""
#: statement number (1-based, in execution order) → the item its write touches
EFFECTS = {2: "A", 4: "B", 6: "C", 7: "D"}


def make(version: str = "7.16.2", behaviour: Behaviour | None = None) -> Router:
    router = Router(
        RouterOSVersion.parse(version), start=START, runner_factory=Interpreter, behaviour=behaviour or Behaviour()
    )
    for name in TARGETS:
        router.invoke("/system script", "add", {"name": name, "source": ":put ok"})
    return router


def commented(router: Router) -> list[str]:
    return [r["name"].decode() for r in router.rows("/system script") if r.get("comment")]


def test_statements_run_counts_every_statement_of_every_run() -> None:
    router = make()
    assert router.statements_run == 0
    result = router.run(SCRIPT)
    assert result.ok and result.statements == 7
    assert router.statements_run == 7
    router.run(":put 1; :put 2")
    assert router.statements_run == 9
    assert commented(router) == ["A", "B", "C", "D"]


@pytest.mark.parametrize("k", range(8))
def test_a_cut_at_statement_k_leaves_exactly_the_effects_of_the_statements_before_it(k: int) -> None:
    router = make()
    router.arm_power_cut(k)
    if k < 7:
        with pytest.raises(PowerCut):
            router.run(SCRIPT)
        assert not router.powered
    else:
        assert router.run(SCRIPT).ok  # armed past the end: nothing happens
    assert commented(router) == [name for number, name in EFFECTS.items() if number <= k]
    assert router.statements_run == k


def test_the_count_continues_across_runs_and_the_cut_lands_in_a_later_run() -> None:
    router = make()
    router.arm_power_cut(9)
    router.run(SCRIPT)  # 7 statements
    with pytest.raises(PowerCut):
        router.run(SCRIPT)  # the cut comes before its 3rd statement
    assert router.statements_run == 9


# --- a chain of /system script run ---------------------------------------------------------------------------------


def chain_router() -> Router:
    router = make()
    router.invoke("/system script", "add", {"name": "MonthEnd", "source": '/system script comment A "m"'})
    router.invoke("/system script", "add", {"name": "Billing", "source": SCRIPT.replace("comment A", "comment E")})
    oversight = '/system script run MonthEnd\n/system script run Billing\n/system script comment F "done"'
    router.invoke("/system script", "add", {"name": "Oversight", "source": oversight})
    router.invoke("/system scheduler", "add", {"name": "Nightly", "start-time": "23:50:00", "interval": "1d",
                                              "on-event": "Oversight"})  # fmt: skip
    return router


def test_a_cut_inside_a_script_run_chain_stops_the_whole_chain() -> None:
    uncut = chain_router()
    uncut.advance_to(dt.datetime(2026, 11, 30, 23, 55))
    # Oversight 3 + MonthEnd 1 + Billing 7 statements, in one sequence
    assert uncut.statements_run == 11
    assert commented(uncut) == ["A", "B", "C", "D", "E", "F"]
    router = chain_router()
    # statements: 1 run MonthEnd, 2 MonthEnd's comment A, 3 run Billing, 4-10 Billing (its 6th is comment C) …
    router.arm_power_cut(8)
    with pytest.raises(PowerCut):
        router.advance_to(dt.datetime(2026, 11, 30, 23, 55))
    assert commented(router) == ["A", "B", "E"]  # MonthEnd done, Billing half way, Oversight's last line not run
    assert router.now() == dt.datetime(2026, 11, 30, 23, 50)
    assert router.statements_run == 8
    assert router.rows("/system scheduler")[0]["run-count"] == 1


# --- during a :delay -------------------------------------------------------------------------------------------------


DELAYED = '/system script comment A "1"\n:delay 10s\n/system script comment B "2"'


def test_an_armed_cut_after_a_delay_lets_the_delay_pass_and_stops_the_next_statement() -> None:
    router = make()
    router.arm_power_cut(2)
    with pytest.raises(PowerCut):
        router.run(DELAYED)
    assert commented(router) == ["A"]
    assert router.now() == START + dt.timedelta(seconds=10)


def test_a_cut_at_an_instant_inside_a_delay_stops_the_script_there() -> None:
    router = make()
    cut_at = router.clock.now + 4 * SECOND
    router.clock.at(cut_at, "power cut", router.cut_power)
    with pytest.raises(PowerCut):
        router.run(DELAYED)
    assert commented(router) == ["A"]
    assert router.clock.now == cut_at  # the delay never finished


def test_cut_power_between_driver_calls_just_returns_and_then_nothing_runs() -> None:
    router = make()
    router.cut_power()
    assert not router.powered
    with pytest.raises(RouterOff):
        router.run(":put 1")
    with pytest.raises(RouterOff):
        router.advance(10)
    with pytest.raises(RouterOff):
        router.invoke("/system identity", "get", {"value-name": "name"})
    router.cut_power()  # already off: nothing more happens


# --- nothing catches it ----------------------------------------------------------------------------------------------


BODY = '/system script comment A "1"; /system script comment B "2"'
HANDLER = '/system script comment C "e"'


@pytest.mark.parametrize(
    "source", [f":do {{ {BODY} }} on-error={{ {HANDLER} }}", f":onerror e in={{ {BODY} }} do={{ {HANDLER} }}"]
)
def test_a_power_cut_is_not_caught_by_on_error_or_onerror(source: str) -> None:
    router = make()
    router.arm_power_cut(2)  # the :do/:onerror statement, its first inner statement, then the cut
    with pytest.raises(PowerCut):
        router.run(source)
    assert commented(router) == ["A"]
    assert not issubclass(PowerCut, Exception)


# --- restore_power ---------------------------------------------------------------------------------------------------


def um_router(behaviour: Behaviour | None = None) -> Router:
    router = make("7.16.2", behaviour)
    router.invoke("/user-manager", "set", {"enabled": "yes"})
    router.invoke("/user-manager user", "add", {"name": "alice"})
    return router


def test_restore_power_drops_sessions_and_globals_runs_startup_entries_and_boots() -> None:
    router = um_router()
    router.invoke("/system scheduler", "add", {"name": "Boot", "start-time": "startup",
                                              "on-event": '/system script comment A "booted"'})  # fmt: skip
    router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
    router.run(":global billed 1")
    router.advance(305)
    router.cut_power()
    router.restore_power(downtime_s=120)
    assert router.now() == START + dt.timedelta(seconds=305 + 120)
    assert router.environment == {}
    assert router.rows("/ppp active") == []
    (row,) = router.rows("/user-manager session")
    assert row["active"] is True  # stale: no Stop ever came
    assert router.rows("/system resource")[0]["uptime"].ns == 0
    assert router.mail.last_status == "none"
    router.advance(2)
    assert commented(router) == []
    router.advance(1)
    assert commented(router) == ["A"]  # startup entries run 3 s after boot


def test_scheduler_runs_that_fall_in_the_downtime_never_run() -> None:
    router = make()
    router.invoke("/system scheduler", "add", {"name": "Nightly", "start-time": "23:10:00", "interval": "1d",
                                              "on-event": '/system script comment A "ran"'})  # fmt: skip
    router.cut_power()
    router.restore_power(downtime_s=20 * 60)  # 23:00 → 23:20
    router.advance(3600)
    assert commented(router) == []
    assert router.rows("/system scheduler")[0]["next-run"] == b"2026-12-01 23:10:00"


def test_accounting_packets_on_their_way_are_lost() -> None:
    kept, cut = um_router(), um_router()
    for router in (kept, cut):
        router.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        router.advance(100)
        router.invoke("/ppp active", "remove", {"numbers": router.invoke("/ppp active", "find", {"name": "alice"})})
    cut.cut_power()  # the Stop is 2 s from User Manager
    cut.restore_power(0)
    for router in (kept, cut):
        router.advance(10)
    assert kept.rows("/user-manager session")[0]["active"] is False
    (row,) = cut.rows("/user-manager session")
    assert (row["active"], row["download"]) == (True, 0)  # only the Start arrived


def test_fixture_clients_redial_after_the_boot_not_during_the_downtime() -> None:
    fixture = fixture_stage.load(
        """
router: {start: 2026-11-30 12:00:00}
profiles: [{name: Gold}]
users:
  - {name: alice, package: Gold, reconnect: 30s,
     sessions: [{start: 2026-11-30 11:00:00, download-per-day: 864MB, upload-per-day: 0}]}
"""
    )
    router = build_router(fixture, RouterOSVersion.parse("7.16.2"), runner_factory=Interpreter)
    router.advance(60)
    assert len(router.rows("/ppp active")) == 1
    router.cut_power()
    assert router.nas.connect("bob", RATE) is None  # nothing answers while the power is off
    router.restore_power(downtime_s=600)
    router.advance(29)
    assert router.rows("/ppp active") == []
    router.advance(2)
    assert len(router.rows("/ppp active")) == 1  # reconnect: 30 s after boot


def test_restore_without_a_cut_and_bad_arguments_are_errors() -> None:
    router = make()
    with pytest.raises(RuntimeError, match="without a power cut"):
        router.restore_power()
    with pytest.raises(ValueError):
        router.arm_power_cut(-1)
    router.cut_power()
    with pytest.raises(ValueError):
        router.restore_power(-1)


# --- 10. power_cut_mail ----------------------------------------------------------------------------------------------


def mail_router(version: str, mode: str) -> Router:
    router = make(version, Behaviour(power_cut_mail=mode))  # type: ignore[arg-type]
    router.invoke("/tool e-mail", "set", {router.version.email_server_param: "192.0.2.25"})
    return router


@pytest.mark.parametrize(("mode", "status"), [("lost", "lost"), ("delivered", "succeeded")])
def test_a_mail_in_flight_at_the_cut_follows_the_switch_and_the_router_never_learns(mode: str, status: str) -> None:
    router = mail_router("7.16.2", mode)
    router.mail.schedule(START, START + dt.timedelta(hours=1), delivery_s=10)
    router.invoke("/tool e-mail", "send", {"to": "a@example.com", "subject": "Invoice"})
    router.advance(5)
    router.cut_power()
    (mail,) = router.mail.outbox
    assert (mail.status, mail.done) == (status, START + dt.timedelta(seconds=5))
    router.restore_power(30)
    router.advance(60)
    assert router.mail.last_status == "none"
    assert mail.status == status  # the queued outcome died with the power
    assert router.logs.messages("e-mail") == []


@pytest.mark.parametrize("mode", ["lost", "delivered"])
def test_a_mail_that_was_going_to_fail_is_lost_either_way(mode: str) -> None:
    router = mail_router("7.16.2", mode)
    router.mail.fail_next(reason="AUTH failed")
    router.invoke("/tool e-mail", "send", {"to": "a@example.com"})
    router.cut_power()
    assert router.mail.outbox[0].status == "lost"


def test_a_cut_while_a_7_21_send_waits_for_the_server() -> None:
    router = mail_router("7.21.1", "lost")
    router.mail.schedule(START, START + dt.timedelta(hours=1), delivery_s=60)
    router.clock.at(router.clock.now + 20 * SECOND, "power cut", router.cut_power)
    with pytest.raises(PowerCut):
        router.run('/tool e-mail send to=a@example.com\n/system script comment A "after"')
    assert router.mail.outbox[0].status == "lost"
    assert commented(router) == []


def test_writes_made_just_before_a_cut_can_be_lost() -> None:
    """Behaviour.power_cut_loses_writes_s: writes within the window before the cut are undone; older ones stay."""
    from emulator.router.behaviour import Behaviour

    router = Router(
        RouterOSVersion.parse("7.16"), runner_factory=Interpreter, start=dt.datetime(2026, 11, 30, 23, 0),
        behaviour=Behaviour(power_cut_loses_writes_s=5.0),
    )  # fmt: skip
    router.run('/system script add name=a comment="first"')
    router.advance(10)
    router.run('/system script set [find name=a] comment="second"')
    router.run("/system script add name=b")
    router.advance(2)
    router.cut_power()
    router.restore_power(60)
    rows = {r["name"]: r for r in router.rows("/system script")}
    assert set(rows) == {b"a"} and rows[b"a"]["comment"] == b"first"
