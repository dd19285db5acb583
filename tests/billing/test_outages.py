"""SMTP outages before, at and after the month end, a slow server and a hanging one.

After the server recovers, every bill reaches its user exactly once and every bill reaches accounts exactly once
(a copy that had to be sent again is marked as a re-send), accounts were told what was outstanding and what was
late, warnings that could not be delivered before the period ended are reported, and a run never takes longer than
its mail budget.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from conftest import FIGURES

from billing.harness import SHIPPED, Bench, user
from billing.ledger import check
from billing.test_interruptions import DAILY, END, START, expectations, population
from emulator.router.behaviour import Behaviour

D = dt.datetime
OUTAGES = {
    "a day at the month end": (D(2026, 11, 30), D(2026, 12, 1), "connection timed out", 30.0),
    "a week before the month end": (D(2026, 11, 24), D(2026, 12, 1), "connection timed out", 30.0),
    "a week from the month end": (D(2026, 11, 30), D(2026, 12, 7), "connection timed out", 30.0),
    "a week after the month end": (D(2026, 12, 1), D(2026, 12, 8), "connection timed out", 30.0),
    "a hanging server at the month end": (D(2026, 11, 30), D(2026, 12, 2), "timeout", 300.0),
    "a slow server all month (60 s a mail)": (D(2026, 11, 29), D(2027, 1, 1), None, 60.0),
}


DEFAULTS = Behaviour()


def run(version: str, outage: str, behaviour: Behaviour = DEFAULTS) -> tuple[Bench, Counter[str]]:
    bench = Bench(version, population(), config=SHIPPED, start=START, behaviour=behaviour)
    start, end, fail, delivery = OUTAGES[outage]
    bench.router.mail.schedule(start, end, delivery_s=delivery, fail=fail)
    bench.at(END)
    names = [*DAILY, "dan", "bad"]
    counts = check(
        bench.router.mail.outbox,
        expectations(),
        disabled={n: bench.disabled(n) for n in names},
        comments={n: bench.comment(n) for n in names},
        skipped={"bad": "no=x1"},
    )
    # Exactly once: one delivered bill mail per user and period, one delivered accounts line per bill.
    delivered = Counter()
    for mail in bench.router.mail.delivered():
        subject = mail.subject.decode()
        if "invoice EW-" in subject:
            delivered[(mail.to, subject.removeprefix("Re-sent: "))] += 1
    assert set(delivered.values()) == {1}, delivered
    assert counts.digest_resent == 0 or outage.startswith("a hanging"), counts
    tally = Counter(
        bills=counts.bills, resent=counts.resent, failed=counts.failed_or_lost, mails=len(bench.router.mail.outbox)
    )
    return bench, tally


def reports(bench: Bench) -> str:
    return "\n".join(m.body.decode() for m in bench.router.mail.delivered() if m.to == "accounts@example.net")


@pytest.mark.parametrize("version", ["6.49", "7.16"])
@pytest.mark.parametrize("outage", list(OUTAGES))
def test_after_an_outage_every_bill_is_delivered_exactly_once(version, outage):
    bench, tally = run(version, outage)
    assert tally["bills"] == 8
    text = reports(bench)
    if "before" not in outage and "slow" not in outage and "after" not in outage:
        assert "Still outstanding (retried on the next runs)" in text  # accounts were told while it lasted
        assert "was delivered late, as a re-send" in text  # and what came late
    FIGURES.append(
        f"SMTP {outage} on {version}: {tally['mails']} sends, {tally['failed']} failed, {tally['bills']} bills "
        f"delivered exactly once ({tally['resent']} of them as re-sends)"
    )


@pytest.mark.parametrize("version", ["6.49", "7.16"])
def test_warnings_that_never_got_through_before_the_period_ended_are_reported(version):
    daily = {"download": "800MB", "upload": "0MB", "from": "08:00", "to": "20:00"}
    bench = Bench(version, [user("ann", daily=daily)], start=D(2026, 11, 24, 21, 0))
    bench.router.mail.schedule(D(2026, 11, 24), D(2026, 12, 1), delivery_s=30, fail="connection timed out")
    bench.at(D(2026, 12, 2, 6, 0))  # the first run after the outage delivers the report that failed
    warnings = [m for m in bench.router.mail.outbox if m.to == "ann@example.net" and "data used" in m.subject.decode()]
    before = [m for m in warnings if m.time < D(2026, 12, 1)]
    assert before and all(m.status == "failed" for m in before)  # retried every night, never through
    assert "the 100% usage warning could not be delivered before the period ended" in reports(bench)
    assert "wf" not in bench.state("ann")


@pytest.mark.parametrize("version", ["6.49", "7.16"])
def test_a_hanging_server_does_not_hold_a_run_past_its_budget(version):
    bench, _ = run(version, "a hanging server at the month end")
    logs = bench.router.logs.entries
    starts = [e.ns for e in logs if b"BillingMail" in e.message]
    assert starts
    stopped = [e for e in logs if b"stopped sending: three mails in a row" in e.message]
    assert stopped  # the breaker, not a whole night of 5-minute waits
