"""Real scripts on the emulated router through the interpreter: the daily job, usage reads, mail and the reset race."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.router import Router, Traffic
from emulator.version import RouterOSVersion

interp = pytest.importorskip("emulator.interp")

START = dt.datetime(2026, 11, 30, 22, 0, 0)
RATE = Traffic(download=1000 * 3600, upload=100 * 3600, per_ns=3600 * 10**9)

SETUP_V6 = """
/tool e-mail set address=192.0.2.25 from=billing@example.net
/tool user-manager profile add name=Gold starts-at=now
/tool user-manager user add customer=admin username=alice password=pw email=alice@example.com
/tool user-manager user create-and-activate-profile numbers=alice customer=admin profile=Gold
"""
SETUP_V7 = """
/tool e-mail set server=192.0.2.25 from=billing@example.net
/user-manager set enabled=yes
/user-manager profile add name=Gold
/user-manager user add name=alice password=pw comment="alice@example.com"
/user-manager user-profile add user=alice profile=Gold
"""
BILL_V6 = """
:foreach u in=[/tool user-manager user find] do={
  :local name [/tool user-manager user get $u username]
  :local total ([/tool user-manager user get $u download-used] + [/tool user-manager user get $u upload-used])
  :log info "usage $name $total on $[/system clock get date]"
  /tool e-mail send to=[/tool user-manager user get $u email] subject="Usage $name" body="Total: $total"
  /ppp active remove [find name=$name]
  WAIT
  /tool user-manager user reset-counters $u
}
"""
BILL_V7 = """
:foreach u in=[/user-manager user find] do={
  :local name [/user-manager user get $u name]
  :local m [/user-manager user monitor $u once as-value]
  :local total (($m->"total-download") + ($m->"total-upload"))
  :log info "usage $name $total on $[/system clock get date]"
  :do { /tool e-mail send to=[/user-manager user get $u comment] subject="Usage $name" body="Total: $total" } \\
    on-error={ :log error "mail to $name failed" }
  /ppp active remove [find name=$name]
  WAIT
  /user-manager session remove [find user=$name]
}
"""


def billing_router(version: str, wait: str) -> Router:
    router = Router(RouterOSVersion.parse(version), runner_factory=interp.Interpreter, start=START)
    v7 = router.version.user_manager_v7
    result = router.import_file(SETUP_V7 if v7 else SETUP_V6, name="setup.rsc")
    assert result.ok, result.error
    router.nas.connect("alice", RATE, interim_ns=300 * 10**9)
    source = (BILL_V7 if v7 else BILL_V6).replace("WAIT", wait)
    router.invoke("/system script", "add", {"name": "Billing", "source": source, "policy": "read,write,test"})
    entry = {"name": "Daily", "start-time": "23:50:00", "interval": "1d", "on-event": "/system script run Billing"}
    router.invoke("/system scheduler", "add", {**entry, "policy": "read,write,test"})
    return router


@pytest.mark.parametrize(("version", "date"), [("6.49.10", "nov/30/2026"), ("7.16.2", "2026-11-30")])
def test_the_daily_job_reads_usage_mails_it_and_resets_after_waiting_for_the_stop(version: str, date: str) -> None:
    router = billing_router(version, ":delay 3s")
    router.advance_to(dt.datetime(2026, 12, 1, 0, 10))
    assert router.logs.messages("script") == [f"usage alice 6930000 on {date}"]  # 22:00 → last interim at 23:45
    (mail,) = router.mail.outbox
    assert (mail.to, mail.subject_text, mail.body_text, mail.status) == (
        "alice@example.com", "Usage alice", "Total: 6930000", "succeeded"
    )  # fmt: skip
    assert router.um is not None and router.um.usage("alice").total == 0
    assert router.rows("/system scheduler")[0]["run-count"] == 1


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
def test_a_job_that_resets_without_waiting_loses_the_reset_to_the_late_stop(version: str) -> None:
    router = billing_router(version, "")
    router.advance_to(dt.datetime(2026, 12, 1, 0, 10))
    # 22:00 → kicked at 23:50, one second later where `send` waits for the SMTP outcome (v7)
    kicked_after = 6600 + (1 if router.version.email_send_failure_raises else 0)
    assert router.um is not None and router.um.usage("alice").download == kicked_after * 1000


def test_a_failed_mail_from_7_21_is_caught_by_on_error() -> None:
    router = billing_router("7.21.1", ":delay 3s")
    router.mail.fail_recipients("alice@example.com", reason="550 no such user")
    router.advance_to(dt.datetime(2026, 12, 1, 0, 10))
    assert router.logs.messages("error")[-1] == "mail to alice failed"
    assert router.um is not None and router.um.usage("alice").total == 0


def test_a_failed_mail_before_7_21_raises_nothing_for_on_error_to_catch() -> None:
    router = billing_router("7.16.2", ":delay 3s")
    router.mail.fail_recipients("alice@example.com", reason="550 no such user")
    router.advance_to(dt.datetime(2026, 12, 1, 0, 10))
    assert "mail to alice failed" not in router.logs.messages("error")
    assert router.logs.messages("e-mail") == ["Error sending e-mail <Usage alice>: 550 no such user"]
    assert router.mail.last_status == "failed"


@pytest.mark.parametrize("cut", [False, True])
def test_a_script_s_run_count_restarts_at_boot(cut: bool) -> None:
    """run-count: "The counter will reset after reboot" (MikroTik RouterOS v2.9 manual, system script); a power cut
    boots too. last-started stays."""
    router = Router(RouterOSVersion.parse("7.16.2"), runner_factory=interp.Interpreter, start=START)
    router.invoke("/system script", "add", {"name": "hello", "source": ":log info hello"})
    for _ in range(3):
        assert router.run_script("hello").ok
    assert router.rows("/system script")[0]["run-count"] == 3
    if cut:
        router.cut_power()
        router.restore_power(10)
    else:
        router.reboot()
    row = router.rows("/system script")[0]
    assert row["run-count"] == 0
    assert row["last-started"] == b"2026-11-30 22:00:00"
    assert router.run_script("hello").ok
    assert router.rows("/system script")[0]["run-count"] == 1
