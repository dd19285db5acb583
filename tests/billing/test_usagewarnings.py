"""UsageWarnings on the emulated router: exact boundaries, once per level, the accounts policy, bad data, failures."""

from __future__ import annotations

import datetime as dt

import pytest

from billing.harness import VERSIONS, Bench, body, config_text, subject, user

LITE = 3_000_000_000  # 3000MB in config/billing.yaml
LAST_DAY = dt.datetime(2026, 11, 30, 8, 0)  # Billing bills November when run by hand on its last day


@pytest.fixture(params=VERSIONS)
def version(request):
    return request.param


def test_exactly_fifty_percent_reaches_the_fifty_percent_level(version):
    bench = Bench(version, [user("ann"), user("bob")])
    bench.use("ann", LITE // 2)  # exactly 50 %
    bench.use("bob", LITE // 2 - 1)  # one byte short
    bench.run("UsageWarnings")
    mails = bench.mails()
    assert [m.to for m in mails] == ["ann@example.net"]
    assert subject(mails[0]) == "Example Wireless: 50% of your Lite data used"
    assert "You have used 1500 MB of your 3000 MB Lite allowance this month (50%)." in body(mails[0])
    assert bench.state("ann")["lvl"] == "50"
    assert "lvl" not in bench.state("bob")


def test_exactly_one_hundred_percent_is_the_hundred_level_and_accounts_get_a_copy(version):
    bench = Bench(version, [user("ann")])
    bench.use("ann", LITE)
    bench.run("UsageWarnings")
    mails = bench.mails()
    assert [(m.to, subject(m)) for m in mails] == [
        ("ann@example.net", "Example Wireless: 100% of your Lite data used"),
        ("accounts@example.net", "Usage 100%: ann (Lite)"),
    ]
    assert body(mails[1]).startswith("ann (Ann Tester, ann@example.net) used 3000 MB of 3000 MB (100%) on 2026-11-10.")


def test_a_level_is_never_sent_twice_and_a_jump_sends_only_the_highest(version):
    bench = Bench(version, [user("ann")])
    bench.use("ann", LITE * 40 // 100)
    bench.run("UsageWarnings")
    assert bench.mails() == []
    bench.use("ann", LITE * 55 // 100)  # now 95 %: one mail, at 90
    bench.run("UsageWarnings")
    assert [subject(m) for m in bench.mails()] == ["Example Wireless: 90% of your Lite data used"]
    bench.run("UsageWarnings")
    bench.run("UsageWarnings")
    assert bench.mails() == []
    assert bench.state("ann")["lvl"] == "90"


def test_every_level_policy_copies_accounts_each_time():
    bench = Bench("7.16", [user("ann")], config=config_text(("accounts_copy: only-100", "accounts_copy: every-level")))
    bench.use("ann", LITE * 76 // 100)
    bench.run("UsageWarnings")
    assert [m.to for m in bench.mails()] == ["ann@example.net", "accounts@example.net"]


def test_unlimited_packages_are_never_warned(version):
    bench = Bench(version, [user("uma", "Unlimited")])
    bench.use("uma", 10**12)
    bench.run("UsageWarnings")
    assert bench.mails() == []


def test_cap_override_in_the_comment(version):
    bench = Bench(version, [user("ann", comment="rb{cap=1000;email=ann@example.net}")])
    bench.use("ann", 750_000_000)  # 75 % of 1000 MB, 25 % of the package's 3000 MB
    bench.run("UsageWarnings")
    (mail,) = bench.mails()
    assert "75%" in subject(mail)


def test_usage_counts_from_base_and_from_0_when_the_counters_went_below_it(version):
    """rbUsageLevel (BillingFunctions): usage is the counters minus base=, from 0 (and base=0 written at once, and
    reported) when the counters are below base=; cap=unlimited in the comment lifts the package's cap."""
    users = [
        user("ann", comment="rb{base=1500000000;email=ann@example.net}"),
        user("bob", comment="rb{base=9000000000;email=bob@example.net}"),
        user("cat", comment="rb{cap=unlimited;email=cat@example.net}"),
    ]
    bench = Bench(version, users)
    for name in ("ann", "bob", "cat"):
        bench.use(name, LITE * 60 // 100)  # ann: 10 % above her base; bob: below his, so 60 %; cat: no cap
    bench.run("UsageWarnings")
    mails = bench.mails()
    assert [m.to for m in mails] == ["bob@example.net", "accounts@example.net"]
    assert "You have used 1800 MB of your 3000 MB Lite allowance this month (60%)." in body(mails[0])
    assert "bob: the counters went below the last bill's; usage is counted from 0" in body(mails[1])
    assert bench.state("bob")["base"] == "0" and bench.state("bob")["lvl"] == "50"
    assert "lvl" not in bench.state("ann") and "lvl" not in bench.state("cat")


def test_users_with_bad_data_are_skipped_reported_and_the_rest_still_warned(version):
    users = [
        user("ann"),
        user("bad1", comment="rb{lvl=x;email=bad1@example.net}"),
        user("bad2", comment="rb{email=bad2@example.net"),
        user("bad3", comment="rb{pkg=Gold;email=bad3@example.net}"),
        user("bad4", comment="rb{email=not-an-address}"),
        user("bad5", comment="rb{disc=12.345;email=bad5@example.net}"),
        user("off", disabled=True),
        user("zed"),
    ]
    bench = Bench(version, users)
    for name in ("ann", "bad1", "bad2", "bad3", "bad4", "bad5", "zed"):
        bench.use(name, LITE * 60 // 100)
    bench.run("UsageWarnings")
    mails = bench.mails()
    assert [m.to for m in mails] == ["ann@example.net", "zed@example.net", "accounts@example.net"]
    report = body(mails[-1])
    for line in (
        "bad1: skipped: lvl=x in the comment is not valid (docs/comment-format.md)",
        "bad2: skipped: broken comment: the rb{ block has no closing }",
        'bad3: skipped: unknown package "Gold"',
        "bad4: skipped: no valid e-mail address",
        "bad5: skipped: disc=12.345 in the comment is not valid (docs/comment-format.md)",
    ):
        assert line in report
    assert "off" not in report
    logged = bench.warnings_logged()
    assert any("skipped bad2" in line for line in logged)
    # nothing was written to the skipped users
    assert bench.comment("bad2") == "rb{email=bad2@example.net"
    # the same problems are not reported again the next night, a new one is
    bench.run("UsageWarnings")
    assert bench.mails() == []
    bench.set_comment("ann", "rb{email=ann@example.net;per=26-11}")
    bench.run("UsageWarnings")
    assert "ann: skipped: per=26-11 in the comment is not valid" in body(bench.mails()[-1])


def test_a_failed_warning_mail_is_not_recorded_and_is_retried_marked(version):
    bench = Bench(version, [user("ann")])
    bench.use("ann", LITE * 80 // 100)
    bench.router.mail.fail_recipients("ann@example.net", reason="mailbox full", count=1)
    bench.run("UsageWarnings")
    first = bench.mails()
    assert first[0].to == "ann@example.net" and first[0].status == "failed"
    assert "lvl" not in bench.state("ann") and bench.state("ann")["wf"] == "75"
    assert "ann: the 75% warning mail to ann@example.net was not delivered; retried at the next run" in body(first[-1])
    bench.run("UsageWarnings")
    (retry,) = [m for m in bench.mails() if m.to == "ann@example.net"]
    assert retry.status == "succeeded" and bench.state("ann")["lvl"] == "75" and "wf" not in bench.state("ann")
    assert subject(retry).startswith("Re-sent: ")


def test_a_warning_that_never_got_through_is_reported_when_the_period_is_billed(version):
    bench = Bench(version, [user("ann")])
    bench.use("ann", LITE * 80 // 100)
    bench.router.mail.fail_recipients("ann@example.net", reason="mailbox full")  # every time
    bench.run("UsageWarnings")
    bench.at(dt.datetime(2026, 11, 30, 9, 0))
    bench.bill()
    mails = bench.mails()
    (report,) = [m for m in mails if "Billing report" in subject(m)]
    assert "ann: the 75% usage warning could not be delivered before the period ended" in body(report)
    assert "wf" not in bench.state("ann")


def test_other_comment_text_is_kept_byte_for_byte(version):
    bench = Bench(version, [user("ann", comment="Tower 3 [dish]; rb{email=ann@example.net} paid by EFT")])
    bench.use("ann", LITE // 2)
    bench.run("UsageWarnings")
    assert bench.comment("ann") == "Tower 3 [dish]; rb{email=ann@example.net;lvl=50} paid by EFT"


def test_only_users_whose_state_changes_are_written(version):
    bench = Bench(version, [user("ann"), user("bob"), user("cy")])
    bench.use("ann", 1000)
    bench.use("bob", LITE // 2)
    bench.run("UsageWarnings")
    assert bench.writes() == 2  # bob's attempt (written ahead), then his new level; ann and cy unchanged
    bench.run("UsageWarnings")
    assert bench.writes() == 2


def test_the_warnings_report_does_not_mention_billing(version):
    # UsageWarnings bills nobody: its report leaves out the template's {billed} line (docs/config.md `mail`).
    bench = Bench(version, [user("ann"), user("bad", comment="rb{email=bad@example.net")])
    bench.run("UsageWarnings")
    (report,) = [m for m in bench.mails() if m.to == "accounts@example.net"]
    text = body(report)
    assert text.startswith("UsageWarnings ran on ") and "bad: skipped: broken comment" in text
    assert "billed" not in text.lower()


def test_a_report_with_nothing_skipped_says_none_also_after_an_unsent_one(version):
    bench = Bench(version, [user("ann"), user("bad", comment="rb{email=bad@example.net")], start=LAST_DAY)
    bench.router.mail.fail_next(99)  # the warnings report of this run cannot be sent: it goes with the next one
    bench.run("UsageWarnings")
    assert not bench.router.mail.delivered()
    bench.router.mail.clear_failures()
    bench.set_comment("bad", "rb{email=bad@example.net}")
    bench.bill()
    (report,) = [m for m in bench.mails() if "Billing report" in subject(m)]
    text = body(report)
    assert "From earlier reports that could not be sent:\nbad: skipped: broken comment" in text
    assert text.rstrip().endswith("Now:\nnone"), text


def test_the_price_placeholder_in_a_warning_is_the_package_price(version):
    # {price} in a warning is computed in UsageWarnings from the package table (the bill's text is not there); it once
    # called a function name no script defines, which RouterOS reads as empty (routeros-scripting.md §4.3).
    text = config_text(("This is an automatic notice at", "Lite costs {price} a month. This is an automatic notice at"))
    bench = Bench(version, [user("ann")], config=text)
    bench.use("ann", LITE // 2)
    bench.run("UsageWarnings")
    assert "Lite costs 199.00 a month." in body(bench.mails()[0])
