"""Enforce on RouterOS 6 (issue 12): v6 users have no attributes, so a throttled or restricted user is moved to the
operator's User Manager profile (its limitation has the rate) and back to its own profile, remembered in tpk=; every
script bills from pkg=, else tpk=, else actual-profile (docs/enforce.md, docs/comment-format.md)."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from billing.harness import (
    HOUR,
    SHIPPED,
    SHIPPED_USERS,
    Bench,
    body,
    cut_and_run_again,
    distinct_points,
    rate_of_next_session,
    user,
)
from emulator.contract import RouterOSError
from emulator.router import Traffic
from emulator.router.behaviour import Behaviour
from generator import payments
from generator.config import loads
from generator.render import render

LITE = 3_000_000_000
LAST_DAY = dt.datetime(2026, 11, 30, 8, 0)
V6 = "6.49"

FAIR6 = SHIPPED.replace('version: "7.16"', 'version: "6.49"').replace(
    "    cap: 3000MB\n",
    "    cap: 3000MB\n    fair_use:\n      - {level: 100, profile: Lite-2M}\n"
    "      - {level: 120, profile: Lite-512k}\n",
    1,
)
UNPAID6 = FAIR6.replace("  mail_budget: 3h", "  grace_days: 7\n  unpaid: {profile: Unpaid}\n  mail_budget: 3h")
CLOSING6 = UNPAID6.replace("  counter_reset: baseline\n", "  counter_reset: baseline\n  close_sessions: [ppp]\n")
THROTTLES = {"Lite-2M": "2M", "Lite-512k": "512k", "Unpaid": "128k"}


def throttle_profiles(bench: Bench, *names: str) -> None:
    """The operator's throttle profiles as docs/enforce.md advises: price 0, validity 0s (unlimited), starts at once,
    each with a limitation carrying its rate."""
    for name in names or tuple(THROTTLES):
        rate = THROTTLES[name]
        for line in (
            f'/tool user-manager profile add name="{name}" validity=0s starts-at=now price=0',
            f'/tool user-manager profile limitation add name="lim-{name}" rate-limit-rx={rate} rate-limit-tx={rate}',
            f'/tool user-manager profile profile-limitation add profile="{name}" limitation="lim-{name}"',
        ):
            result = bench.router.run(line)
            assert result.ok, result


def bench6(users: list, *, config: str = FAIR6, profiles: tuple[str, ...] = (), **kw) -> Bench:
    bench = Bench(V6, users, config=config, **kw)
    throttle_profiles(bench, *profiles)
    return bench


def profile(bench: Bench, name: str) -> str:
    return bench.field(name, "actual-profile")


def billed(bench: Bench, name: str = "ann", per: str = "2026-10", **extra: str) -> None:
    keys = {"email": f"{name}@example.net", "first": name.title(), "last": "Tester", "per": per, "no": "10007",
            "bpkg": "Lite", "bprice": "19900", "bdisc": "0", "bcap": "3000", "use": "100000000",
            "base": "0", "um": "ok", "am": "ok", **extra}  # fmt: skip
    bench.set_comment(name, "rb{" + ";".join(f"{k}={v}" for k, v in sorted(keys.items()) if v) + "}")


def test_crossing_the_cap_moves_to_the_throttle_profile_and_billing_bills_the_own_package_then_restores():
    bench = bench6([user("ann"), user("bob"), user("cat"), user("dan", "Home")])
    bench.use("ann", LITE * 99 // 100)
    bench.use("bob", LITE)
    bench.use("cat", LITE * 125 // 100)
    bench.use("dan", LITE * 2)  # Home has no fair_use
    bench.run("Enforce")
    assert profile(bench, "ann") == "Lite" and "tpk" not in bench.state("ann")
    assert profile(bench, "bob") == "Lite-2M" and bench.state("bob")["tpk"] == "Lite"
    assert (bench.state("bob")["thr"], bench.state("bob")["thp"]) == ("100", "2026-11")
    assert profile(bench, "cat") == "Lite-512k" and bench.state("cat")["tpk"] == "Lite"
    assert profile(bench, "dan") == "Home" and "tpk" not in bench.state("dan")
    assert rate_of_next_session(bench, "bob") == "2M/2M" and rate_of_next_session(bench, "ann") == ""
    (report,) = bench.mails()
    assert "bob: fair-use step 100% (Lite-2M) since 2026-11" in body(report)
    # Nothing new: no write, no mail.
    writes = bench.writes()
    bench.run("Enforce")
    assert bench.writes() == writes and bench.mails() == []
    # The month is billed at the own package and price, not the throttle profile's.
    bench.at(LAST_DAY)
    bench.bill()
    for name in ("bob", "cat"):
        state = bench.state(name)
        assert (state["per"], state["bpkg"], state["bprice"]) == ("2026-11", "Lite", "19900"), name
    bench.run("Enforce")
    for name in ("bob", "cat"):
        state = bench.state(name)
        assert profile(bench, name) == "Lite" and not {"tpk", "thr", "thp"} & set(state), name
    assert rate_of_next_session(bench, "bob") == ""


def test_usage_warnings_and_billing_read_tpk_while_the_user_is_moved():
    bench = bench6([user("bob")])
    bench.use("bob", LITE)
    bench.run("Enforce")
    assert profile(bench, "bob") == "Lite-2M"
    bench.run("UsageWarnings")
    warnings = [m for m in bench.mails() if m.to == "bob@example.net"]
    assert warnings and all("Lite" in body(m) and "Lite-2M" not in body(m) for m in warnings)
    assert "Lite-2M" not in " ".join(bench.warnings_logged())


def test_an_unpaid_bill_moves_to_the_unpaid_profile_and_rosbill_pay_restores_at_the_next_run():
    bench = bench6([user("ann")], config=UNPAID6, start=dt.datetime(2026, 11, 7, 12, 0))
    billed(bench)
    bench.run("Enforce")
    assert bench.state("ann")["owe"] == "2026-10" and profile(bench, "ann") == "Lite"
    bench.at(dt.datetime(2026, 11, 8, 12, 0))
    bench.run("Enforce")
    state = bench.state("ann")
    assert state["rsd"] and state["tpk"] == "Lite" and profile(bench, "ann") == "Unpaid"
    assert rate_of_next_session(bench, "ann") == "128k/128k"
    assert any("ann: 2026-10 unpaid, restricted" in body(m) for m in bench.mails() if m.to == "accounts@example.net")
    # rosbill pay's own function writes paid=; tpk= is kept; the next run restores the own profile.
    outcome = payments.pay(payments.parse(bench.comment("ann")), payments.Payment(), 20_400)
    assert outcome.comment is not None and "tpk=Lite" in outcome.comment
    bench.set_comment("ann", outcome.comment)
    bench.run("Enforce")
    state = bench.state("ann")
    assert profile(bench, "ann") == "Lite" and not {"tpk", "rsd", "owe"} & set(state)
    assert rate_of_next_session(bench, "ann") == ""


def address_list_entries(bench: Bench) -> list[tuple[str, str, bool]]:
    return [
        (str(row["list"], "ascii"), str(row["address"], "ascii"), row["dynamic"] is True)
        for row in bench.router.rows("/ip firewall address-list")
    ]


def test_an_unpaid_v6_user_s_next_ppp_session_is_on_the_unpaid_limitation_s_address_list() -> None:
    """The v6 walled garden (docs/enforce.md, 'walled garden' row): the operator's Unpaid profile's limitation carries
    ``address-list=unpaid``; a restricted user's next PPP session's address is on that list, and after the payment
    and the next run her next session is not."""
    bench = bench6([user("ann")], config=UNPAID6, start=dt.datetime(2026, 11, 8, 12, 0))
    assert bench.router.run('/tool user-manager profile limitation set [find name="lim-Unpaid"] address-list=unpaid').ok
    billed(bench)
    bench.run("Enforce")
    assert profile(bench, "ann") == "Unpaid" and bench.state("ann")["rsd"]
    session = bench.router.nas.connect("ann", Traffic(1000, 0, HOUR))
    assert session is not None and session.rate_limit == "128k/128k"
    assert address_list_entries(bench) == [("unpaid", session.address, True)]
    bench.router.nas.disconnect(session)
    assert address_list_entries(bench) == []
    paid = payments.pay(payments.parse(bench.comment("ann")), payments.Payment(), 20_400)
    assert paid.comment is not None
    bench.set_comment("ann", paid.comment)
    bench.run("Enforce")
    assert profile(bench, "ann") == "Lite"
    assert bench.router.nas.connect("ann", Traffic(1000, 0, HOUR)) is not None
    assert address_list_entries(bench) == []


def test_with_the_address_list_not_sent_the_walled_garden_is_gone_but_the_restriction_holds() -> None:
    """Assumption 67's alternative (``v6_limitation_address_list=not-sent``): the restricted session has the Unpaid
    rate and no address-list entry; the bill and Enforce's state are those of the default."""
    states = []
    for behaviour in (Behaviour(), Behaviour(v6_limitation_address_list="not-sent")):
        bench = bench6([user("ann")], config=UNPAID6, start=dt.datetime(2026, 11, 8, 12, 0), behaviour=behaviour)
        set_list = '/tool user-manager profile limitation set [find name="lim-Unpaid"] address-list=unpaid'
        assert bench.router.run(set_list).ok
        billed(bench)
        bench.run("Enforce")
        session = bench.router.nas.connect("ann", Traffic(1000, 0, HOUR))
        assert session is not None and session.rate_limit == "128k/128k"
        sent = behaviour.v6_limitation_address_list == "sent"
        assert address_list_entries(bench) == ([("unpaid", session.address, True)] if sent else [])
        states.append(bench.state("ann"))
    assert states[0] == states[1]


@pytest.mark.parametrize("prop", ["group-name", "ip-pool"])
def test_a_limitation_s_group_or_pool_is_refused_as_not_modelled(prop: str) -> None:
    bench = bench6([user("ann")], config=UNPAID6, start=dt.datetime(2026, 11, 8, 12, 0))
    assert bench.router.run(f'/tool user-manager profile limitation set [find name="lim-Unpaid"] {prop}=x').ok
    billed(bench)
    bench.run("Enforce")
    with pytest.raises(RouterOSError, match=f"not modelled: a limitation's {prop}"):
        bench.router.nas.connect("ann", Traffic(1000, 0, HOUR))


def test_restricted_while_throttled_the_unpaid_profile_wins_and_payment_returns_to_the_step():
    bench = bench6([user("ann")], config=UNPAID6, start=dt.datetime(2026, 11, 8, 12, 0))
    billed(bench)
    bench.use("ann", LITE)
    bench.run("Enforce")
    assert profile(bench, "ann") == "Unpaid" and bench.state("ann")["thr"] == "100"
    outcome = payments.pay(payments.parse(bench.comment("ann")), payments.Payment(), 20_400)
    bench.set_comment("ann", outcome.comment)
    bench.run("Enforce")
    assert profile(bench, "ann") == "Lite-2M" and bench.state("ann")["tpk"] == "Lite"


def test_a_missing_throttle_profile_is_reported_and_nobody_is_moved_to_it():
    bench = bench6([user("bob"), user("cat")], profiles=("Lite-2M",))
    bench.use_many({"bob": LITE, "cat": LITE * 125 // 100})
    bench.run("Enforce")
    assert profile(bench, "bob") == "Lite-2M"
    assert profile(bench, "cat") == "Lite" and "tpk" not in bench.state("cat")
    assert bench.state("cat")["thr"] == "120"  # the step is recorded; the move waits for the profile
    (report,) = bench.mails()
    assert "The User Manager profile Lite-512k does not exist: nobody is moved to it" in body(report)
    throttle_profiles(bench, "Lite-512k")
    bench.run("Enforce")
    assert profile(bench, "cat") == "Lite-512k" and bench.state("cat")["tpk"] == "Lite"


def test_a_user_on_a_throttle_profile_without_tpk_is_skipped_and_reported_never_guessed():
    bench = bench6([user("eve"), user("bob")])
    bench.router.run('/tool user-manager user clear-profiles [find username="eve"]')
    bench.router.run('/tool user-manager user create-and-activate-profile [find username="eve"] customer=admin '
                     'profile=Lite-2M')  # fmt: skip
    bench.use_many({"eve": LITE, "bob": LITE})
    bench.run("Enforce")
    assert profile(bench, "eve") == "Lite-2M" and "tpk" not in bench.state("eve")
    assert profile(bench, "bob") == "Lite-2M"  # the others go on
    assert "eve: skipped: it has the profile Lite-2M but no tpk=" in body(bench.mails()[0])


def test_bad_data_of_one_user_never_stops_the_run():
    bench = bench6([user("ann"), user("bob")])
    bench.set_comment("ann", "rb{email=ann@example.net;thr=abc}")
    bench.use_many({"ann": LITE, "bob": LITE})
    bench.run("Enforce")
    assert profile(bench, "bob") == "Lite-2M" and profile(bench, "ann") == "Lite"


def test_config_without_v6_enforcement_renders_no_tpk_line_and_v6_builds_render_it():
    plain = loads(SHIPPED.replace('version: "7.16"', 'version: "6.49"'))
    files = render(plain, plain.routers[0], "x").files
    assert all(b'"tpk"' not in text for text in files.values())
    config = loads(UNPAID6)
    files = render(config, config.routers[0], "x").files
    for name in ("billing.rsc", "usagewarnings.rsc", "enforce.rsc"):
        assert b'($kv->"tpk")' in files[name], name
    assert b'create-and-activate-profile ($m->"id") customer=($m->"c")' in files["enforce.rsc"]


# --- power cuts -------------------------------------------------------------------------------------------------------

MUTATING = frozenset({"set", "add", "remove", "send", "clear-profiles", "create-and-activate-profile"})
CUT_DAY = dt.datetime(2026, 11, 20, 12, 0)
ENFORCE_KEYS = ("owe", "paid", "rsd", "thp", "thr", "tpk")
NAMES = ("ann", "bob", "cat", "dan")


def cut_bench(behaviour: Behaviour) -> Bench:
    """ann owes October (moved to Unpaid tonight), bob crosses his cap (to Lite-2M), cat has paid and goes back from
    Unpaid to Lite, dan's throttled October was billed and he goes back from Lite-2M to Lite."""
    bench = bench6([user(n) for n in NAMES], config=CLOSING6, start=CUT_DAY, behaviour=behaviour)
    billed(bench)
    billed(bench, "cat", owe="2026-10", paid="2026-10", rsd="20390", rm="ok", tpk="Lite", no="10005")
    billed(bench, "dan", thr="100", thp="2026-10", tpk="Lite", paid="2026-10", no="10006")
    for name, target in (("cat", "Unpaid"), ("dan", "Lite-2M")):
        bench.router.run(f'/tool user-manager user clear-profiles [find username="{name}"]')
        bench.router.run(f'/tool user-manager user create-and-activate-profile [find username="{name}"] '
                         f"customer=admin profile={target}")  # fmt: skip
    bench.use("bob", LITE)
    bench.mails()
    return bench


def outcome(bench: Bench) -> dict[str, tuple[dict[str, str], str]]:
    return {
        name: ({k: v for k, v in bench.state(name).items() if k in ENFORCE_KEYS}, profile(bench, name))
        for name in NAMES
    }


def bills(bench: Bench) -> dict[str, tuple[str, str]]:
    """What Billing would bill each user now: the package and price of a bill made from this router state."""
    bench.at(LAST_DAY)
    bench.run("Billing")
    return {
        n: (bench.state(n).get("per", ""), bench.state(n).get("bpkg", ""), bench.state(n).get("bprice", ""))
        for n in NAMES
    }


def own_package_read(bench: Bench, cut: int) -> None:
    """Right after a cut, before any repair, the package every script reads (pkg=, else tpk=, else actual-profile)
    is still the own one: never a throttle profile."""
    for name in NAMES:
        assert (bench.state(name).get("tpk") or profile(bench, name)) in ("Lite", ""), (cut, name)
        assert profile(bench, name) == "Lite" or bench.state(name).get("tpk") == "Lite", (cut, name)


def sweep(behaviour: Behaviour, step: int) -> None:
    uncut = cut_bench(behaviour)
    _, points = distinct_points(uncut.router, lambda: uncut.run("Enforce"), MUTATING)
    expected = outcome(uncut)
    if behaviour.v6_clear_profiles == "all":
        assert expected["ann"][1] == "Unpaid" and expected["bob"][1] == "Lite-2M"
        assert expected["cat"] == ({"paid": "2026-10"}, "Lite") and expected["dan"] == ({"paid": "2026-10"}, "Lite")
    else:  # nobody leaves the running profile: the states are written, tpk= stays, the moves are reported
        assert {name: found[1] for name, found in expected.items()} == dict.fromkeys(NAMES, "Lite")
    assert len(points) > 12
    for cut in points[::step]:
        bench = cut_bench(behaviour)
        at_cut = functools.partial(own_package_read, bench, cut)
        # the boot entry's Oversight runs Enforce again on the way, then one more run
        cut_and_run_again(bench, "Enforce", cut, CUT_DAY + dt.timedelta(minutes=30), at_cut=at_cut)
        assert outcome(bench) == expected, cut
        assert bills(bench) == {n: ("2026-11", "Lite", "19900") for n in NAMES}, cut


def test_a_power_cut_at_a_sample_of_the_distinct_points_of_enforce_converges():
    sweep(Behaviour(), 5)


@pytest.mark.slow
@pytest.mark.parametrize(
    "behaviour",
    [Behaviour(), Behaviour(power_cut_loses_writes_s=4.0), Behaviour(v6_clear_profiles="waiting-only")],
    ids=["kept", "lost", "clear-keeps-running"],
)
def test_a_power_cut_at_every_distinct_point_of_enforce_converges(behaviour):
    sweep(behaviour, 1)


def test_billing_right_after_a_cut_between_clear_and_activate_bills_the_own_package():
    bench = bench6([user("bob")])
    bench.use("bob", LITE)
    bench.run("Enforce")
    # The state that a cut between clear-profiles and create-and-activate-profile leaves: tpk= and no profile.
    bench.router.run('/tool user-manager user clear-profiles [find username="bob"]')
    assert profile(bench, "bob") == "" and bench.state("bob")["tpk"] == "Lite"
    bench.at(LAST_DAY)
    bench.run("Billing")
    state = bench.state("bob")
    assert (state["bpkg"], state["bprice"]) == ("Lite", "19900")
    bench.run("Enforce")  # thp billed: back to the own profile, tpk= gone
    assert profile(bench, "bob") == "Lite" and "tpk" not in bench.state("bob")


# --- the alternatives (docs/assumptions.md rows 55-56) ---------------------------------------------------------------


def test_clear_profiles_keeping_the_running_profile_is_reported_and_billing_stays_right():
    bench = bench6([user("bob")], behaviour=Behaviour(v6_clear_profiles="waiting-only"))
    bench.use("bob", LITE)
    bench.run("Enforce")
    assert profile(bench, "bob") == "Lite" and bench.state("bob")["tpk"] == "Lite"
    assert 'bob: moved to Lite-2M, actual profile "Lite"' in body(bench.mails()[0])
    bench.run("Enforce")  # tried again, the queue does not grow (clear-profiles drops the waiting copy)
    assert bench.router.um.profile_states("bob") == ["Lite:running", "Lite-2M:waiting"]
    bench.at(LAST_DAY)
    bench.bill()
    assert (bench.state("bob")["bpkg"], bench.state("bob")["bprice"]) == ("Lite", "19900")
    bench.run("Enforce")
    assert "tpk" not in bench.state("bob") and profile(bench, "bob") == "Lite"


def test_an_empty_actual_profile_before_the_first_login_converges_at_login_and_bills_right():
    bench = bench6([user("bob")], behaviour=Behaviour(v6_actual_profile_waiting="empty"))
    assert bench.router.run('/tool user-manager profile set [find name="Lite"] starts-at=logon').ok
    assert bench.router.run('/tool user-manager profile set [find name="Lite-2M"] starts-at=logon').ok
    bench.use("bob", LITE)
    bench.run("Enforce")
    assert profile(bench, "bob") == "" and bench.state("bob")["tpk"] == "Lite"
    assert rate_of_next_session(bench, "bob") == "2M/2M"  # the login starts it
    assert profile(bench, "bob") == "Lite-2M"
    bench.at(LAST_DAY)
    bench.bill()
    assert (bench.state("bob")["bpkg"], bench.state("bob")["bprice"]) == ("Lite", "19900")
    bench.run("Enforce")
    assert profile(bench, "bob") == "" and bench.state("bob")["tpk"] == "Lite"  # restored, not started
    bench.run("Enforce")  # offline: repaired again, still billed as Lite
    assert bench.state("bob")["tpk"] == "Lite"
    assert rate_of_next_session(bench, "bob") == ""
    bench.run("Enforce")
    assert profile(bench, "bob") == "Lite" and "tpk" not in bench.state("bob")


# --- live sessions and rosbill simulate ---------------------------------------------------------------------------


@pytest.mark.parametrize("service", ["ppp", "hotspot"])
def test_a_live_session_keeps_its_rate_unless_close_sessions_ends_it_and_the_reconnect_gets_the_profile_rate(service):
    keeping = bench6([user("ann")])
    live = keeping.router.nas.connect("ann", Traffic(LITE, 0, HOUR), service=service, interim_ns=300 * 10**9)
    assert live is not None
    keeping.router.advance(3900)
    keeping.run("Enforce")
    assert profile(keeping, "ann") == "Lite-2M" and live.ended_ns is None and live.rate_limit == ""  # no CoA
    closing = bench6([user("ann")], config=FAIR6.replace("  counter_reset: baseline\n",
                     f"  counter_reset: baseline\n  close_sessions: [{service}]\n"))  # fmt: skip
    live = closing.router.nas.connect("ann", Traffic(LITE, 0, HOUR), service=service, interim_ns=300 * 10**9)
    assert live is not None
    closing.router.advance(3900)
    closing.run("Enforce")
    assert live.ended_ns is not None and live.cause == "admin-reset"
    again = closing.router.nas.connect("ann", Traffic(1000, 0, HOUR), service=service)
    assert again is not None and again.rate_limit == "2M/2M"


def test_rosbill_simulate_on_routeros_6_runs_the_v6_config_and_shows_rate_lines(tmp_path, capsys):
    from generator.cli import main

    text = SHIPPED.replace('version: "7.16"', 'version: "6.49"')
    home = "  Home:\n    price: 349.00\n    cap: 50GB\n"
    text = text.replace(home, home + '    fair_use:\n      - {level: 100, profile: "Home-2M"}\n')
    text = text.replace("  # grace_days: 14\n", '  grace_days: 14\n  unpaid:\n    profile: "Unpaid"\n', 1)
    config = tmp_path / "billing.yaml"
    config.write_text(text)
    users = SHIPPED_USERS
    assert main(["simulate", "--config", str(config), "--users", str(users), "--months", "2",
                 "--routeros", "6.49"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "RATE  ben: fair use: throttled at the 100% step (period 2026-11)" in out
    assert "RATE  ann: unpaid: restricted (owes since period 2026-11)" in out
    # The fixture has no Home-2M or Unpaid profile: Enforce's report says so, and nobody is moved.
    assert "The User Manager profile Home-2M does not exist: nobody is moved to it" in out
    assert out.rstrip().endswith("0 script errors")
