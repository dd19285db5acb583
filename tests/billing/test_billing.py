"""Billing on the emulated router: amounts, one invoice sequence, recording before sending, retries, resets."""

from __future__ import annotations

import datetime as dt

import pytest

from billing.harness import EACH, RESET, VERSIONS, Bench, body, subject, user

LITE = 3_000_000_000
LAST_DAY = dt.datetime(2026, 11, 30, 8, 0)  # early: tests run Billing by hand before the 23:50 run


@pytest.fixture(params=VERSIONS)
def version(request):
    return request.param


def bills(mails):
    return {m.to: m for m in mails if "invoice" in subject(m) and m.to != "accounts@example.net"}


def line(mail, start: str) -> str:
    return next(text for text in body(mail).splitlines() if text.startswith(start))


def report(mails):
    (found,) = [m for m in mails if "Billing report" in subject(m)]
    return body(found)


def test_amounts_discounts_and_one_invoice_sequence_for_the_router(version):
    bench = Bench(
        version,
        [
            user("ann"),  # Lite 199.00
            user("ben", "Home", comment="rb{disc=10%;email=ben@example.net}"),  # 349.00 - 34.90
            user("cy", "Business", comment="rb{disc=15%;email=cy@example.net}"),  # 899.00 - 134.85
            user("di", "Lite", comment="rb{disc=50.5;email=di@example.net}"),  # 199.00 - 50.50
            user("ed", "Lite", comment="rb{disc=250;email=ed@example.net}"),  # discount capped at the price
            user("fi", "Unlimited", comment="rb{disc=0.05;email=fi@example.net}"),
        ],
        start=LAST_DAY,
    )
    bench.use("ann", 1_234_567_890)
    bench.bill()
    mails = bench.mails()
    by_user = bills(mails)
    expect = {  # user: (price, discount, due)
        "ann": ("199.00", "0.00", "199.00"),
        "ben": ("349.00", "34.90", "314.10"),
        "cy": ("899.00", "134.85", "764.15"),
        "di": ("199.00", "50.50", "148.50"),
        "ed": ("199.00", "199.00", "0.00"),
        "fi": ("1299.00", "0.05", "1298.95"),
    }
    numbers = []
    for name, (price, discount, due) in expect.items():
        mail = by_user[f"{name}@example.net"]
        state = bench.state(name)
        numbers.append(int(state["no"]))
        assert subject(mail) == f"Example Wireless invoice EW-{state['no']} for 2026-11"
        assert line(mail, "Package price") == f"Package price R {price}"
        assert line(mail, "Discount") == f"Discount      R {discount}"
        assert line(mail, "Amount due") == f"Amount due    R {due}"
        assert (state["per"], state["um"], state["am"]) == ("2026-11", "ok", "ok")
        assert state["bprice"] == price.replace(".", "").lstrip("0") and "inv" not in state
    # One sequence for the whole router: consecutive, never the same number twice.
    assert sorted(numbers) == list(range(10001, 10007))
    assert bench.ledger()["seq"] == "10006" and bench.ledger()["done"] == "2026-11"
    assert line(by_user["ann@example.net"], "Data used") == "Data used:    1234 MB of 3000 MB"
    assert line(by_user["fi@example.net"], "Data used") == "Data used:    0 MB of unlimited"
    # The accounts copies come as one digest listing every bill, then the report.
    (digest,) = [m for m in mails if m.to == "accounts@example.net" and "invoices" in subject(m)]
    assert subject(digest) == "Example Wireless: 6 invoices, 2026-11-30 (1 of 1)"
    assert all(f"EW-{n} 2026-11" in body(digest) for n in numbers)
    assert "Users billed: 6" in report(mails)


def test_each_accounts_copy_can_be_its_own_mail(version):
    bench = Bench(version, [user("ann"), user("ben", "Home")], config=EACH, start=LAST_DAY)
    bench.bill()
    copies = [subject(m) for m in bench.mails() if subject(m).startswith("Invoice EW-")]
    assert copies == ["Invoice EW-10001: ann R 199.00", "Invoice EW-10002: ben R 349.00"]


def test_the_bill_is_recorded_before_any_mail_is_sent(version):
    bench = Bench(version, [user("ann")], start=LAST_DAY)
    bench.use("ann", 10**9)
    bench.run("Billing")
    assert bench.mails() == []
    state = bench.state("ann")
    assert (state["per"], state["no"], state["use"], state["base"]) == ("2026-11", "10001", "1000000000", "1000000000")
    assert state["um"].startswith("0/") and state["am"].startswith("0/")  # pending, not tried yet
    assert bench.ledger()["pend"] == "1"
    bench.run("BillingMail")
    assert set(bills(bench.mails())) == {"ann@example.net"}
    assert (bench.state("ann")["um"], bench.state("ann")["am"], bench.ledger()["pend"]) == ("ok", "ok", "0")


def test_billing_twice_in_one_month_bills_and_sends_nothing_the_second_time(version):
    bench = Bench(version, [user("ann"), user("ben", "Home")], start=LAST_DAY)
    bench.use("ann", 10**9)
    bench.bill()
    assert len(bills(bench.mails())) == 2
    states = {n: bench.comment(n) for n in ("ann", "ben")}
    writes = bench.writes()
    bench.bill()
    assert bench.mails() == []
    assert {n: bench.comment(n) for n in ("ann", "ben")} == states
    assert bench.writes() == writes


def test_baseline_billing_never_touches_the_counters_and_the_next_period_counts_from_the_bill(version):
    bench = Bench(version, [user("ann")], start=LAST_DAY)
    bench.use("ann", 2_000_000_000)
    bench.bill()
    bench.mails()
    assert bench.usage("ann") == 2_000_000_000
    assert bench.state("ann")["base"] == "2000000000"
    bench.at(dt.datetime(2026, 12, 10, 12, 0))
    bench.use("ann", 1_600_000_000)
    bench.run("UsageWarnings")
    (warning,) = [m for m in bench.mails() if m.to == "ann@example.net"]
    assert "You have used 1600 MB of your 3000 MB" in body(warning)


def test_reset_mode_resets_an_offline_user_and_keeps_the_bill_and_base_right(version):
    bench = Bench(version, [user("ann", comment="rb{email=ann@example.net;lvl=90}")], config=RESET, start=LAST_DAY)
    bench.use("ann", 2_900_000_000)
    bench.bill()
    assert bench.usage("ann") == 0
    state = bench.state("ann")
    assert (state["use"], state["base"], state["lvl"], "rst" in state) == ("2900000000", "0", "0", False)
    assert not bench.disabled("ann")  # locked only while the reset ran


def test_reset_mode_kicks_an_open_session_and_its_usage_does_not_come_back(version):
    bench = Bench(version, [user("ann")], config=RESET, start=LAST_DAY)
    bench.online("ann", 100_000_000)  # 100 MB an hour, never logs off by itself
    bench.router.advance(10 * 3600)
    bench.bill()
    billed = int(line(bills(bench.mails())["ann@example.net"], "Data used").split()[2])
    assert 990 <= billed <= 1000  # the usage up to the kick (the Stop carries the final total)
    assert bench.router.rows("/ppp active") == []  # kicked (this client does not dial again)
    assert bench.state("ann")["base"] == "0" and bench.usage("ann") == 0
    bench.router.advance(3 * 3600)  # a late Stop or interim of the old session would arrive by now
    assert bench.usage("ann") == 0


def test_a_naive_reset_during_an_open_session_loses_to_the_next_interim(version):
    """The original system's known issue, reproduced on the emulator: reset while online, and the usage returns."""
    bench = Bench(version, [user("ann")], start=LAST_DAY)
    bench.online("ann", 100_000_000)
    bench.router.advance(10 * 3600)
    before = bench.usage("ann")
    assert before >= 900_000_000
    reset = {
        "6": '/tool user-manager user reset-counters [find where username="ann"]',
        "7": '/user-manager session remove [find where user="ann"]',
    }
    bench.router.run(reset[version[0]])
    assert bench.usage("ann") < before
    bench.router.advance(6 * 60)  # the next interim update carries the session's cumulative total
    assert bench.usage("ann") >= before


def test_a_user_online_elsewhere_is_not_reset_and_base_keeps_the_next_bill_right(version):
    # Only PPP sessions are closed; ann is on the hotspot, so her session stays open through Billing.
    bench = Bench(version, [user("ann")], config=RESET, start=LAST_DAY)
    session = bench.router.nas.connect("ann", bench_traffic(100_000_000), service="hotspot", interim_ns=300 * 10**9)
    assert session is not None
    bench.router.advance(10 * 3600)
    bench.bill()
    first = bills(bench.mails())["ann@example.net"]
    assert int(line(first, "Data used").split()[2]) >= 990
    state = bench.state("ann")
    assert int(state["base"]) >= 990_000_000 and "rst" not in state and not bench.disabled("ann")
    bench.at(dt.datetime(2026, 12, 31, 22, 0))
    bench.bill()
    december = int(line(bills(bench.mails())["ann@example.net"], "Data used").split()[2])
    hours = (dt.datetime(2026, 12, 31, 22, 0) - LAST_DAY).total_seconds() / 3600 - 10
    assert abs(december - hours * 100) <= 100  # ~100 MB per hour since the first bill, nothing twice


def bench_traffic(per_hour: int):
    from emulator.router import Traffic

    return Traffic(per_hour, 0, 3600 * 10**9)


def test_a_failed_bill_mail_is_retried_marked_as_resent_with_the_same_invoice(version):
    bench = Bench(version, [user("ann"), user("ben")], start=LAST_DAY)
    bench.router.mail.fail_recipients("ann@example.net", reason="550 mailbox busy", count=1)
    bench.bill()
    mails = bench.mails()
    first = [m for m in mails if m.to == "ann@example.net"]
    assert [m.status for m in first] == ["failed"]
    state = bench.state("ann")
    assert state["um"].startswith("1/") and state["am"] == "ok" and state["no"] == "10001"
    assert "ann: invoice EW-10001 (2026-11): not yet delivered: the bill mail (attempts so far: 1)" in report(mails)
    bench.night(dt.date(2026, 12, 1))  # the next night retries it
    (again,) = [m for m in bench.mails() if m.to == "ann@example.net"]
    assert again.status == "succeeded" and subject(again) == "Re-sent: Example Wireless invoice EW-10001 for 2026-11"
    assert body(again).startswith("(This is a copy")
    assert body(again).split("\n\n", 1)[1] == body(first[0])  # the same bill
    assert bench.state("ann")["um"] == "ok" and bench.ledger()["pend"] == "0"


def test_skipped_users_are_not_billed_and_are_listed(version):
    bench = Bench(version, [user("ann"), user("bad", comment="rb{no=12a;email=bad@example.net}")], start=LAST_DAY)
    bench.bill()
    mails = bench.mails()
    assert set(bills(mails)) == {"ann@example.net"}
    assert "bad: NOT BILLED for 2026-11: no=12a in the comment is not valid" in report(mails)
    assert bench.comment("bad") == "rb{no=12a;email=bad@example.net}"


def test_a_user_without_a_valid_address_is_billed_and_accounts_are_told(version):
    bench = Bench(version, [user("ann", comment="rb{email=ann@example.net,evil@example.org}")], start=LAST_DAY)
    bench.bill()
    mails = bench.mails()
    assert bills(mails) == {} and bench.state("ann")["per"] == "2026-11"
    assert all("evil" not in m.to for m in mails)
    assert "ann: no valid e-mail address" in report(mails) and "the accounts copy has it" in report(mails)
    (digest,) = [m for m in mails if "invoices" in subject(m)]
    assert "EW-10001 2026-11 ann" in body(digest)


def test_control_characters_in_router_data_never_reach_a_mail(version):
    evil = "rb{first=Eve\rBcc: x@example.org;email=eve@example.net}"
    bench = Bench(version, [user("ann"), user("eve", comment=evil)], start=LAST_DAY)
    bench.bill()
    mails = bench.mails()
    assert set(bills(mails)) == {"ann@example.net"}
    assert "eve: NOT BILLED for 2026-11: the login name, first or last name or package contains a control" in report(
        mails
    )


def test_invoice_numbers_continue_above_every_number_the_old_scheme_used(version):
    users = [
        user("old", comment="1000230007510 rb{email=old@example.net}"),  # packed: next invoice 10002
        user("ann", comment="rb{email=ann@example.net;inv=10007;per=2026-10}"),  # rosbill 0.1: next 10007
        user("ben", comment="rb{email=ben@example.net;inv=10003;per=2026-10}"),
    ]
    bench = Bench(version, users, start=LAST_DAY)
    bench.bill()
    numbers = sorted(int(bench.state(n)["no"]) for n in ("old", "ann", "ben"))
    assert numbers == [10007, 10008, 10009]  # above 10006, the highest number used before
    assert bench.comment("old").startswith("rb{") and "inv" not in bench.state("ann")


def test_a_packed_comment_that_was_billed_this_month_is_not_billed_again(version):
    bench = Bench(version, [user("old", comment="1000230007511 rb{email=old@example.net}")], start=LAST_DAY)
    bench.bill()
    assert bills(bench.mails()) == {}


def test_a_month_end_the_router_missed_is_billed_on_the_next_run(version):
    bench = Bench(version, [user("ann")], start=dt.datetime(2026, 11, 20, 9, 0))
    bench.bill()  # installed: nothing before this month is billed
    assert bench.ledger()["done"] == "2026-10" and bills(bench.mails()) == {}
    bench.router.run("/system scheduler disable [find]")  # the router is "off" over the month end
    bench.use("ann", 10**9)
    bench.at(dt.datetime(2026, 12, 2, 9, 0))
    bench.bill()
    (mail,) = bills(bench.mails()).values()
    assert subject(mail) == "Example Wireless invoice EW-10001 for 2026-11"
    assert line(mail, "Data used") == "Data used:    1000 MB of 3000 MB"
    bench.bill()
    assert bills(bench.mails()) == {}


def test_a_fresh_install_mid_month_bills_nothing_before_the_month_ends(version):
    bench = Bench(version, [user("ann")], start=dt.datetime(2026, 12, 1, 9, 0))
    bench.bill()
    assert bills(bench.mails()) == {} and bench.ledger()["done"] == "2026-11"
