"""Billing on the emulated router: amounts, discounts, invoices, idempotency, resets and sessions, failures."""

from __future__ import annotations

import datetime as dt

import pytest

from billing.harness import VERSIONS, Bench, body, config_text, subject, user

LITE = 3_000_000_000
LAST_DAY = dt.datetime(2026, 11, 30, 8, 0)  # early: tests run Billing by hand before the 23:50 run
BASELINE = config_text(
    ("counter_reset: reset ", "counter_reset: baseline"),
    ("close_sessions: [ppp, user-manager]", "close_sessions: none"),
)


@pytest.fixture(params=VERSIONS)
def version(request):
    return request.param


def bills(mails):
    return {m.to: m for m in mails if "invoice" in subject(m)}


def line(mail, start: str) -> str:
    return next(text for text in body(mail).splitlines() if text.startswith(start))


def test_amounts_discounts_and_invoice_numbers(version):
    bench = Bench(
        version,
        [
            user("ann"),  # Lite 199.00
            user("ben", "Home", comment="rb{disc=10%;email=ben@example.net;inv=20077}"),  # 349.00 - 34.90
            user("cy", "Business", comment="rb{disc=15%;email=cy@example.net}"),  # 899.00 - 134.85
            user("di", "Lite", comment="rb{disc=50.5;email=di@example.net}"),  # 199.00 - 50.50
            user("ed", "Lite", comment="rb{disc=250;email=ed@example.net}"),  # discount capped at the price
            user("fi", "Unlimited", comment="rb{disc=0.05;email=fi@example.net}"),
        ],
        start=LAST_DAY,
    )
    bench.use("ann", 1_234_567_890)
    bench.run("Billing")
    mails = bench.mails()
    by_user = bills(mails)
    assert set(by_user) == {f"{n}@example.net" for n in ("ann", "ben", "cy", "di", "ed", "fi")}
    expect = {  # user: (invoice, price, discount, due)
        "ann": ("EW-10001", "199.00", "0.00", "199.00"),
        "ben": ("EW-20077", "349.00", "34.90", "314.10"),
        "cy": ("EW-10001", "899.00", "134.85", "764.15"),
        "di": ("EW-10001", "199.00", "50.50", "148.50"),
        "ed": ("EW-10001", "199.00", "199.00", "0.00"),
        "fi": ("EW-10001", "1299.00", "0.05", "1298.95"),
    }
    for name, (invoice, price, discount, due) in expect.items():
        mail = by_user[f"{name}@example.net"]
        assert subject(mail) == f"Example Wireless invoice {invoice} for 2026-11"
        assert line(mail, "Package price") == f"Package price R {price}"
        assert line(mail, "Discount") == f"Discount      R {discount}"
        assert line(mail, "Amount due") == f"Amount due    R {due}"
        assert bench.state(name)["inv"] == str(int(invoice[3:]) + 1)
        assert bench.state(name)["per"] == "2026-11"
    assert line(by_user["ann@example.net"], "Data used") == "Data used:    1234 MB of 3000 MB"
    assert line(by_user["fi@example.net"], "Data used") == "Data used:    0 MB of unlimited"
    accounts = [m for m in mails if m.to == "accounts@example.net"]
    assert subject(accounts[0]) == "Invoice EW-10001: ann R 199.00"
    assert subject(accounts[-1]) == "Example Wireless: Billing report 2026-11-30"
    assert "Users billed: 6" in body(accounts[-1])


def test_billing_twice_in_one_month_bills_nobody_twice(version):
    bench = Bench(version, [user("ann"), user("ben", "Home")], start=LAST_DAY)
    bench.use("ann", 10**9)
    bench.run("Billing")
    first = bench.mails()
    assert len(bills(first)) == 2
    states = {n: bench.comment(n) for n in ("ann", "ben")}
    writes = bench.writes()
    bench.run("Billing")
    second = bench.mails()
    assert bills(second) == {}
    assert [subject(m) for m in second] == ["Example Wireless: Billing report 2026-11-30"]
    assert "Users billed: 0" in body(second[0])
    assert {n: bench.comment(n) for n in ("ann", "ben")} == states
    assert bench.writes() == writes


def test_billing_resets_the_counters_and_the_warning_level(version):
    bench = Bench(version, [user("ann", comment="rb{email=ann@example.net;lvl=90}")], start=LAST_DAY)
    bench.use("ann", 2_900_000_000)
    assert bench.usage("ann") == 2_900_000_000
    bench.run("Billing")
    assert bench.usage("ann") == 0
    assert bench.state("ann") == {"base": "0", "email": "ann@example.net", "inv": "10002", "lvl": "0", "per": "2026-11"}


def test_baseline_billing_never_touches_the_counters(version):
    bench = Bench(version, [user("ann")], config=BASELINE, start=LAST_DAY)
    bench.use("ann", 2_000_000_000)
    bench.run("Billing")
    bench.mails()
    assert bench.usage("ann") == 2_000_000_000
    assert bench.state("ann")["base"] == "2000000000"
    # next month only the new usage counts
    bench.at(dt.datetime(2026, 12, 10, 12, 0))
    bench.use("ann", 1_600_000_000)
    bench.run("UsageWarnings")
    (warning,) = [m for m in bench.mails() if m.to == "ann@example.net"]
    assert "You have used 1600 MB of your 3000 MB" in body(warning)


def test_an_open_session_is_closed_before_the_reset_and_its_usage_does_not_come_back(version):
    bench = Bench(version, [user("ann")], start=LAST_DAY)
    bench.online("ann", 100_000_000)  # 100 MB an hour, never logs off by itself
    bench.router.advance(10 * 3600)
    assert len(bench.router.rows("/ppp active")) == 1
    bench.run("Billing")
    billed = int(line(bills(bench.mails())["ann@example.net"], "Data used").split()[2])
    assert 990 <= billed <= 1000  # the last interim before the bill (every 5 minutes)
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
    if version.startswith("6"):
        bench.router.run('/tool user-manager user reset-counters [find where username="ann"]')
    else:
        bench.router.run('/user-manager session remove [find where user="ann"]')
    assert bench.usage("ann") < before
    bench.router.advance(6 * 60)  # the next interim update carries the session's cumulative total
    assert bench.usage("ann") >= before


def test_a_user_still_online_after_closing_is_not_reset_and_base_keeps_the_next_bill_right(version):
    # close only hotspot sessions: ann is on PPP, so her session stays open through Billing
    config = config_text(("close_sessions: [ppp, user-manager]", "close_sessions: [hotspot]"))
    bench = Bench(version, [user("ann")], config=config, start=LAST_DAY)
    bench.online("ann", 100_000_000)
    bench.router.advance(10 * 3600)
    bench.run("Billing")
    first = bills(bench.mails())["ann@example.net"]
    billed_mb = int(line(first, "Data used").split()[2])
    assert billed_mb >= 990  # 10 hours at 100 MB/h, as of the last interim update
    state = bench.state("ann")
    assert int(state["base"]) >= 990_000_000  # not reset: base holds the billed total
    assert any("still online; counters not reset" in e.message.decode() for e in bench.router.logs.entries)
    # a month later, only December's traffic is billed
    bench.at(dt.datetime(2026, 12, 31, 22, 0))
    bench.run("Billing")
    second = bills(bench.mails())["ann@example.net"]
    december_mb = int(line(second, "Data used").split()[2])
    hours = (dt.datetime(2026, 12, 31, 22, 0) - LAST_DAY).total_seconds() / 3600 - 10
    assert abs(december_mb - hours * 100) <= 100  # ~100 MB per hour since the first bill, nothing twice


def test_a_failed_bill_mail_still_records_the_bill_and_tells_accounts(version):
    bench = Bench(version, [user("ann"), user("ben")], start=LAST_DAY)
    bench.router.mail.fail_recipients("ann@example.net", reason="550 no such user", count=1)
    bench.run("Billing")
    mails = bench.mails()
    assert bench.state("ann")["per"] == "2026-11" and bench.state("ann")["inv"] == "10002"
    report = body(mails[-1])
    assert "ann: bill mail to ann@example.net failed; invoice EW-10001 is recorded, please forward it" in report
    assert "Users billed: 2" in report
    copy = [m for m in mails if subject(m).startswith("Invoice EW-10001: ann")]
    assert copy and copy[0].status == "succeeded"


def test_skipped_users_are_not_billed_and_are_listed(version):
    bench = Bench(version, [user("ann"), user("bad", comment="rb{inv=12a;email=bad@example.net}")], start=LAST_DAY)
    bench.run("Billing")
    mails = bench.mails()
    assert set(bills(mails)) == {"ann@example.net"}
    assert "bad: NOT BILLED: inv=12a is not a whole number" in body(mails[-1])
    assert bench.comment("bad") == "rb{inv=12a;email=bad@example.net}"


def test_a_user_migrated_from_the_packed_comment_keeps_its_invoice_numbers(version):
    bench = Bench(version, [user("old", comment="1000230007510 rb{email=old@example.net}")], start=LAST_DAY)
    bench.use("old", 2_400_000_000)  # 80 % of the packed cap of 3000 MB
    bench.run("Billing")
    mail = bills(bench.mails())["old@example.net"]
    assert subject(mail) == "Example Wireless invoice EW-10002 for 2026-11"
    assert bench.comment("old") == "rb{base=0;cap=3000;email=old@example.net;inv=10003;lvl=0;per=2026-11}"


def test_a_packed_comment_that_was_billed_this_month_is_not_billed_again(version):
    bench = Bench(version, [user("old", comment="1000230007511 rb{email=old@example.net}")], start=LAST_DAY)
    bench.run("Billing")
    assert bills(bench.mails()) == {}


def test_run_late_on_the_first_bills_the_month_that_ended(version):
    bench = Bench(version, [user("ann")], start=dt.datetime(2026, 12, 1, 9, 0))
    bench.run("Billing")
    assert subject(bills(bench.mails())["ann@example.net"]) == "Example Wireless invoice EW-10001 for 2026-11"
    bench.run("Billing")
    assert bills(bench.mails()) == {}
