"""Enforce on the emulated router: fair use at the cap (steps, restore after billing, the next session's rate) and
unpaid accounts (owe=, restriction after the grace days, one reminder, restore on payment), on RouterOS 7; a RouterOS 6
build with rates is refused (no per-user attributes; its profile moves are in test_enforce_v6.py)."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from billing.harness import (
    HOUR,
    SHIPPED,
    Bench,
    body,
    cut_and_run_again,
    distinct_points,
    rate_of_next_session,
    subject,
    user,
)
from emulator.router import Traffic
from emulator.router.behaviour import Behaviour
from emulator.router.snapshot import Snapshot
from generator.config import loads
from generator.dialects import RouterOSVersion
from generator.errors import ConfigError, RenderError
from generator.render import render

LITE = 3_000_000_000
LAST_DAY = dt.datetime(2026, 11, 30, 8, 0)
V7 = ["7.9", "7.16"]

FAIR = SHIPPED.replace(
    "    cap: 3000MB\n",
    "    cap: 3000MB\n    fair_use:\n      - {level: 100, rate: 2M/2M}\n      - {level: 120, rate: 512k/512k}\n",
    1,
)
UNPAID = FAIR.replace(
    "  mail_budget: 3h", "  grace_days: 7\n  unpaid: {rate: 128k/128k, address_list: unpaid}\n  mail_budget: 3h"
)
CLOSING = UNPAID.replace("  counter_reset: baseline\n", "  counter_reset: baseline\n  close_sessions: [ppp]\n")


@pytest.fixture(params=V7)
def version(request):
    return request.param


def attributes(bench: Bench, name: str) -> str:
    return bench.field(name, "attributes")


def test_users_get_the_highest_step_they_reached_and_their_next_session_has_its_rate(version):
    bench = Bench(version, [user("ann"), user("bob"), user("cat"), user("dan", "Home")], config=FAIR)
    bench.use("ann", LITE * 99 // 100)  # below the first step
    bench.use("bob", LITE)  # exactly 100 %
    bench.use("cat", LITE * 125 // 100)  # past both steps: the higher one
    bench.use("dan", LITE * 2)  # Home has no fair_use
    bench.run("Enforce")
    assert "thr" not in bench.state("ann") and attributes(bench, "ann") == ""
    assert (bench.state("bob")["thr"], bench.state("bob")["thp"]) == ("100", "2026-11")
    assert attributes(bench, "bob") == "Mikrotik-Rate-Limit:2M/2M"
    assert bench.state("cat")["thr"] == "120" and attributes(bench, "cat") == "Mikrotik-Rate-Limit:512k/512k"
    assert "thr" not in bench.state("dan")
    assert rate_of_next_session(bench, "bob") == "2M/2M"
    assert rate_of_next_session(bench, "ann") == ""
    (report,) = bench.mails()
    assert report.to == "accounts@example.net"
    assert "bob: fair-use step 100% (2M/2M) since 2026-11" in body(report)
    assert "cat: fair-use step 120% (512k/512k) since 2026-11" in body(report)
    # Climbing to the next step moves the user up; a second run with nothing new changes and mails nothing.
    bench.use("bob", LITE * 25 // 100)
    bench.run("Enforce")
    assert bench.state("bob")["thr"] == "120" and rate_of_next_session(bench, "bob") == "512k/512k"
    writes = bench.writes()
    bench.mails()
    bench.run("Enforce")
    assert bench.writes() == writes and bench.mails() == []


def test_a_live_session_keeps_its_rate_until_it_reconnects_unless_enforce_may_close_it(version):
    bench = Bench(version, [user("ann")], config=FAIR)
    live = bench.online("ann", LITE)  # a whole cap per hour
    bench.router.advance(3900)
    bench.run("Enforce")
    assert bench.state("ann")["thr"] == "100"
    assert live.ended_ns is None and live.rate_limit == ""  # no CoA: the running session is unchanged
    closing = Bench(version, [user("ann")], config=CLOSING)
    live = closing.online("ann", LITE)
    closing.router.advance(3900)
    closing.run("Enforce")
    assert live.ended_ns is not None and live.cause == "admin-reset"
    assert rate_of_next_session(closing, "ann") == "2M/2M"


def test_the_normal_rate_comes_back_once_the_period_is_billed(version):
    bench = Bench(version, [user("ann")], config=FAIR)
    bench.use("ann", LITE * 130 // 100)
    bench.run("Enforce")
    assert bench.state("ann")["thr"] == "120"
    bench.at(LAST_DAY)
    bench.bill()
    assert bench.state("ann")["per"] == "2026-11"
    bench.run("Enforce")
    state = bench.state("ann")
    assert "thr" not in state and "thp" not in state
    assert attributes(bench, "ann") == "" and rate_of_next_session(bench, "ann") == ""


def test_other_attributes_are_kept_and_an_operator_rate_is_never_replaced(version):
    bench = Bench(version, [user("ann"), user("bob")], config=FAIR)
    bench.router.run(f'{bench.user_menu} set [find name="ann"] attributes="Framed-IP-Address:10.9.9.9"')
    bench.router.run(f'{bench.user_menu} set [find name="bob"] attributes="Mikrotik-Rate-Limit:50M/50M"')
    bench.use_many({"ann": LITE, "bob": LITE})
    bench.run("Enforce")
    assert attributes(bench, "ann") == "Framed-IP-Address:10.9.9.9,Mikrotik-Rate-Limit:2M/2M"
    assert attributes(bench, "bob") == "Mikrotik-Rate-Limit:50M/50M" and "thr" not in bench.state("bob")
    assert "Mikrotik-Rate-Limit rosbill did not set" in body(bench.mails()[0])
    bench.at(LAST_DAY)
    bench.bill()
    bench.run("Enforce")
    assert attributes(bench, "ann") == "Framed-IP-Address:10.9.9.9"


@pytest.mark.parametrize("read", ["text", "array"])
def test_attributes_read_as_text_or_array_give_the_same_result(read):
    bench = Bench("7.16", [user("ann")], config=FAIR, behaviour=Behaviour(um_attributes_read=read))
    bench.router.run(f'{bench.user_menu} set [find name="ann"] attributes="Framed-Pool:p1,Mikrotik-Group:g"')
    bench.use("ann", LITE)
    bench.run("Enforce")
    bench.run("Enforce")
    assert rate_of_next_session(bench, "ann") == "2M/2M"
    stored = bench.router.um.users.items[bench.router.um.users.lookup("ann")]["attributes"]
    assert stored == b"Framed-Pool:p1,Mikrotik-Group:g,Mikrotik-Rate-Limit:2M/2M"


def billed(bench: Bench, per: str = "2026-10", **extra: str) -> None:
    keys = {"email": "ann@example.net", "first": "Ann", "last": "Tester", "per": per, "no": "10007",
            "bpkg": "Lite", "bprice": "19900", "bdisc": "0", "bcap": "3000", "use": "100000000",
            "base": "0", "um": "ok", "am": "ok", **extra}  # fmt: skip
    bench.set_comment("ann", "rb{" + ";".join(f"{k}={v}" for k, v in sorted(keys.items()) if v) + "}")


def test_an_unpaid_bill_restricts_after_the_grace_days_with_one_reminder_and_payment_restores(version):
    # October ended on the 31st: with 7 grace days the user is restricted from 8 November on.
    bench = Bench(version, [user("ann")], config=UNPAID, start=dt.datetime(2026, 11, 7, 12, 0))
    billed(bench)
    bench.run("Enforce")
    state = bench.state("ann")
    assert state["owe"] == "2026-10" and "rsd" not in state and attributes(bench, "ann") == ""
    bench.mails()
    bench.at(dt.datetime(2026, 11, 8, 12, 0))
    bench.run("Enforce")
    state = bench.state("ann")
    assert state["rsd"] == str((dt.date(2026, 11, 8) - dt.date(1970, 1, 1)).days) and state["rm"] == "ok"
    assert attributes(bench, "ann") == "Mikrotik-Rate-Limit:128k/128k,Mikrotik-Address-List:unpaid"
    session = bench.router.nas.connect("ann", Traffic(1000, 0, HOUR))
    assert session is not None and (session.rate_limit, session.address_list) == ("128k/128k", "unpaid")
    bench.router.nas.disconnect(session)
    mails = bench.mails()
    reminders = [m for m in mails if m.to == "ann@example.net"]
    assert len(reminders) == 1
    assert subject(reminders[0]) == "Example Wireless: your account is restricted: bill for 2026-10 unpaid"
    assert "8 days after the period ended" in body(reminders[0]) and "EW-10007" in body(reminders[0])
    assert any("ann: 2026-10 unpaid, restricted" in body(m) for m in mails if m.to == "accounts@example.net")
    bench.at(dt.datetime(2026, 11, 9, 12, 0))
    bench.run("Enforce")
    assert [m for m in bench.mails() if m.to == "ann@example.net"] == []  # once
    # rosbill pay --period 2026-10 writes paid= and clears owe= in one write; the next run restores.
    comment = bench.comment("ann").replace("owe=2026-10;", "").replace("}", ";paid=2026-10}")
    bench.set_comment("ann", comment)
    bench.run("Enforce")
    state = bench.state("ann")
    assert "rsd" not in state and "owe" not in state and "rm" not in state
    assert attributes(bench, "ann") == "" and rate_of_next_session(bench, "ann") == ""


def test_a_payment_of_an_older_period_leaves_the_newer_bill_owed(version):
    bench = Bench(version, [user("ann")], config=UNPAID, start=dt.datetime(2026, 11, 20, 12, 0))
    billed(bench, per="2026-10", owe="2026-09", paid="2026-09")  # paid written by hand, owe not moved
    bench.run("Enforce")
    state = bench.state("ann")
    assert state["owe"] == "2026-10" and "rsd" in state  # 20 days after October: restricted


def test_bad_enforce_keys_skip_only_that_user(version):
    bench = Bench(version, [user("ann"), user("bob")], config=UNPAID, start=dt.datetime(2026, 11, 20, 12, 0))
    billed(bench, owe="last-month")
    bench.use("bob", LITE)
    bench.run("Enforce")
    assert "rsd" not in bench.state("ann") and bench.state("bob")["thr"] == "100"
    assert "ann: skipped: owe=last-month in the comment is not valid" in body(bench.mails()[-1])


def test_hostile_text_in_the_reminder_reaches_the_mail_literally():
    hostile = 'Pay now $x [:put "boom"] ?\\n;}'
    template = hostile.replace("}", "}}")
    mail = (
        f"mail:\n  unpaid_reminder:\n    subject: '{{company}} unpaid {{owed_period}}'\n"
        f"    body: '{template} {{invoice}}'\n"
    )
    text = UNPAID.replace("mail:\n", mail, 1)
    bench = Bench("7.16", [user("ann")], config=text, start=dt.datetime(2026, 11, 20, 12, 0))
    billed(bench)
    bench.run("Enforce")
    (reminder,) = [m for m in bench.mails() if m.to == "ann@example.net"]
    assert body(reminder).startswith(hostile + " EW-10007")


def test_routeros_6_builds_with_fair_use_rates_or_unpaid_rates_are_refused():
    # RouterOS 6 moves users to profiles instead (tests/billing/test_enforce_v6.py): rates are refused where written.
    with pytest.raises(ConfigError) as caught:
        loads(UNPAID.replace('version: "7.16"', 'version: "6.49"'), "cfg.yaml")
    assert "packages.Lite.fair_use[0].rate: routers[0] is RouterOS 6.49, whose User Manager users have no" in str(
        caught.value
    )
    # A RouterOS 6 target given later (rosbill simulate --routeros 6.49) is refused by the renderer.
    config = loads(UNPAID)
    router = config.routers[0].model_copy(update={"version": RouterOSVersion.parse("6.49")})
    with pytest.raises(RenderError, match="must name User Manager profiles"):
        render(config, router, "x")
    plain = loads(SHIPPED.replace('version: "7.16"', 'version: "6.49"'))
    assert b"Neither fair use" in render(plain, plain.routers[0], "x").files["enforce.rsc"]


@pytest.mark.parametrize(
    ("old", "new", "where", "why"),
    [
        ("{level: 120, rate: 512k/512k}", "{level: 90, rate: 512k/512k}", "packages.Lite.fair_use", "increasing"),
        ("rate: 2M/2M", 'rate: "2M/2M; /system reboot"', "packages.Lite.fair_use[0].rate", "not a rate"),
        ("address_list: unpaid", 'address_list: "a b"', "billing.unpaid.address_list", "not allowed"),
        ("grace_days: 7", "grace_days: -1", "billing.grace_days", "greater than or equal to 0"),
    ],
)
def test_enforce_config_errors_are_located(old, new, where, why):
    with pytest.raises(ConfigError) as caught:
        loads(UNPAID.replace(old, new), "cfg.yaml")
    text = str(caught.value)
    assert f": {where}: " in text and why in text and "cfg.yaml:" in text


# --- a power cut during Enforce ---------------------------------------------------------------------------------------

MUTATING = frozenset({"set", "add", "remove", "send"})
CUT_DAY = dt.datetime(2026, 11, 20, 12, 0)


def build_cut_bench(behaviour: Behaviour) -> Bench:
    """ann owes October (restricted tonight, one reminder), bob crosses his cap, cat has paid and is restored."""
    users = [user("ann"), user("bob"), user("cat")]
    bench = Bench("7.16", users, config=CLOSING, start=CUT_DAY, behaviour=behaviour)
    billed(bench)
    bench.set_comment("cat", "rb{email=cat@example.net;owe=2026-10;paid=2026-10;per=2026-10;rsd=20390;rm=ok}")
    bench.router.run(f'{bench.user_menu} set [find name="cat"] attributes="Mikrotik-Rate-Limit:128k/128k"')
    bench.use("bob", LITE)
    bench.mails()
    return bench


@functools.cache
def cut_snapshot(behaviour: Behaviour) -> Snapshot[Bench]:
    return build_cut_bench(behaviour).snapshot()


def cut_bench(behaviour: Behaviour) -> Bench:
    """What :func:`build_cut_bench` gives, restored from one snapshot per behaviour (emulator/router/snapshot.py)."""
    return cut_snapshot(behaviour).restore()


ENFORCE_KEYS = ("owe", "paid", "rm", "rsd", "thp", "thr")


def outcome(bench: Bench) -> dict[str, tuple[dict[str, str], str]]:
    """Enforce's keys and each user's attributes (the boot's Oversight also runs UsageWarnings: lvl= is not ours)."""
    return {
        name: ({k: v for k, v in bench.state(name).items() if k in ENFORCE_KEYS}, attributes(bench, name))
        for name in ("ann", "bob", "cat")
    }


def cut_points(behaviour: Behaviour) -> tuple[dict[str, tuple[dict[str, str], str]], list[int], list[int]]:
    """The uncut outcome, the cut points that give distinct routers (before the first statement and right after each
    statement that writes, sends or waits) and among them those right after a mail is sent."""
    bench = cut_bench(behaviour)
    _, points = distinct_points(bench.router, lambda: bench.run("Enforce"), MUTATING)
    again = cut_bench(behaviour)
    _, sent = distinct_points(again.router, lambda: again.run("Enforce"), frozenset({"send"}))
    return outcome(bench), points, [p for p in sent if p]


def test_a_power_cut_at_a_sample_of_the_distinct_points_of_enforce_loses_nothing():
    sweep(Behaviour(), 4)


@pytest.mark.slow
@pytest.mark.parametrize("behaviour", [Behaviour(), Behaviour(power_cut_loses_writes_s=4.0)], ids=["kept", "lost"])
def test_a_power_cut_at_every_distinct_point_of_enforce_loses_nothing(behaviour):
    sweep(behaviour, 1)


def sweep(behaviour: Behaviour, step: int) -> None:
    """Cut at every ``step``-th distinct point and right after each mail is sent (the cut that makes a second copy),
    boot, let the boot run and one more Enforce (and the next day's, when the reminder's attempt was recorded but not
    its outcome) finish: the same states and attributes as uncut, the reminder delivered, any second copy marked."""
    expected, points, sent = cut_points(behaviour)
    assert len(points) > 8 and sent and set(sent) <= set(points)
    for cut in sorted(set(points[::step]) | set(sent)):
        bench = cut_bench(behaviour)
        # the boot entry's Oversight runs Enforce again on the way, then one more run
        cut_and_run_again(bench, "Enforce", cut, CUT_DAY + dt.timedelta(minutes=30))
        if bench.state("ann").get("rm") != "ok":  # cut after the attempt was written: retried the next day, marked
            bench.at(CUT_DAY + dt.timedelta(days=1))
            bench.run("Enforce")
        assert outcome(bench) == expected, cut
        reminders = [m for m in bench.router.mail.outbox if m.to == "ann@example.net" and m.status == "succeeded"]
        assert reminders, f"cut {cut}: the reminder was lost"
        assert all(subject(m).startswith("Re-sent: ") for m in reminders[1:]), cut


def test_a_hostile_package_name_with_fair_use_goes_through_the_encoder():
    name = 'Lite "$[:put x]" ?\\'
    text = FAIR.replace("  Lite:\n", f"  '{name}':\n", 1)
    bench = Bench("7.16", [user("ann", comment=f"rb{{email=ann@example.net;pkg={name}}}")], config=text)
    bench.use("ann", LITE * 121 // 100)
    bench.run("Enforce")
    assert bench.state("ann")["thr"] == "120" and rate_of_next_session(bench, "ann") == "512k/512k"


def test_a_month_of_nightly_runs_throttles_on_the_night_the_cap_is_crossed_and_restores_after_billing():
    # ann uses 150 MB a day from 8 November 12:00: 97 % of 3000 MB on the night of the 27th, 102 % on the 28th.
    bench = Bench("7.16", [user("ann"), user("bob")], config=CLOSING, start=dt.datetime(2026, 11, 8, 12, 0))
    live = bench.online("ann", 150_000_000 // 24)
    throttled_on = None
    day = dt.date(2026, 11, 8)
    while day <= dt.date(2026, 12, 2):
        bench.night(day)
        state = bench.state("ann")
        if throttled_on is None and state.get("thr"):
            throttled_on = day
            assert state["thr"] == "100" and state["thp"] == "2026-11"
            assert live.ended_ns is not None  # close_sessions: ended, so the reconnect gets the new rate
            live = bench.online("ann", 150_000_000 // 24)
            assert live.rate_limit == "2M/2M"
        if day == dt.date(2026, 11, 30):  # billed tonight, then Enforce gives the normal rate back
            assert state["per"] == "2026-11" and "thr" not in state and attributes(bench, "ann") == ""
            assert live.ended_ns is not None
            live = bench.online("ann", 150_000_000 // 24)
            assert live.rate_limit == ""
        day += dt.timedelta(days=1)
    assert throttled_on == dt.date(2026, 11, 28)
    assert "thr" not in bench.state("ann") and "thr" not in bench.state("bob")


def test_run_alone_while_another_run_holds_the_lock_enforce_does_nothing():
    bench = Bench("7.16", [user("ann")], config=FAIR)
    bench.use("ann", LITE)
    day = (dt.date(2026, 11, 10) - dt.date(1970, 1, 1)).days
    assert bench.router.run(f':global rosbillLock "Oversight {day} 43000"').ok
    bench.run("Enforce")
    assert "thr" not in bench.state("ann") and bench.mails() == []
    assert any("another run holds the lock" in line for line in bench.warnings_logged())
    assert bench.router.run(':global rosbillLock ""').ok
    bench.run("Enforce")
    assert bench.state("ann")["thr"] == "100"


def test_a_migrated_user_without_a_bill_is_restricted_without_a_reminder_and_the_report_is_not_repeated():
    # Packed digits of the original scripts: billed month 10, no bill details (no=, use=, bprice=).
    eve = user("eve", comment="1000230007510 rb{email=eve@example.net;first=Eve;last=Adams}")
    bench = Bench("7.16", [eve, user("ann")], config=UNPAID, start=dt.datetime(2026, 11, 9, 12, 0))
    bench.run("Enforce")
    assert bench.state("eve")["owe"] == "2026-10" and "rsd" in bench.state("eve")
    (report,) = bench.mails()
    assert report.to == "accounts@example.net"
    assert "eve: no valid e-mail address or no complete bill in the comment: no reminder" in body(report)
    assert "eve: 2026-10 unpaid, restricted" in body(report)
    for day in (10, 11):
        bench.at(dt.datetime(2026, 11, day, 12, 0))
        bench.run("Enforce")
    assert bench.mails() == []  # nothing changed: no new report
