"""The simulate report (generator/simreport.py, simreport_html.py) from plain data: bills read from the billing state
in the comments, totals, folded log lines, usage series, CSV and the HTML page's content."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from generator import payments, simreport, simreport_html
from generator.simreport import Event, Plan, Sample

PLAN = Plan(
    caps={"Lite": 3000 * 10**6, "Unlimited": None},
    levels=(50, 75, 90, 100),
    user_packages={"ann": "Lite", "dan": "Unlimited"},
    invoice_format="EW-{number}/{username}",
    router="core1",
    currency="R",
)
BILLED = (
    "rb{am=ok;base=2820000000;bcap=3000;bdisc=1990;bpkg=Lite;bprice=19900;lvl=0;no=10002;per=2026-11;um=ok;"
    "use=2820000000}"
)


def at(day: int, hour: int = 23, minute: int = 59) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, 59)


def state_event(user: str, before: str, after: str, when: dt.datetime) -> Event:
    return Event(when, "state", f"{user}: ...", user, before, after)


def test_a_bill_is_read_from_the_comment_and_its_mail_state_is_the_last_one_seen():
    pending = BILLED.replace("um=ok", "um=1/20787")
    events = [
        state_event("ann", "rb{lvl=90}", pending, at(30)),
        state_event("ann", pending, BILLED, dt.datetime(2026, 12, 1, 23, 59, 59)),
    ]
    (bill,) = simreport.bills(events, PLAN)
    assert (bill.user, bill.period, bill.package, bill.invoice) == ("ann", "2026-11", "Lite", "EW-10002/ann")
    assert (bill.price_cents, bill.discount_cents, bill.due_cents) == (19900, 1990, 17910)
    assert (bill.used_bytes, bill.cap, bill.user_mail, bill.accounts_mail) == (2820000000, "3000", "yes", "yes")
    assert simreport.bills(events[:1], PLAN)[0].user_mail == "no (1 failed)"


def test_a_bill_made_before_the_run_is_not_this_runs_bill():
    # Only the mail state of an old bill changes during the run: not a new bill.
    old = BILLED.replace("um=ok", "um=2/20780")
    assert simreport.bills([state_event("ann", old, BILLED, at(3))], PLAN) == ()
    # A broken block (no closing brace) and a comment without a block are no bills either.
    assert simreport.bills([state_event("fay", "", "rb{no=5;per=2026-11", at(3))], PLAN) == ()
    assert simreport.state("Tower 3 dish 2") == {}


def test_the_block_is_read_as_the_routers_rbparsestate_reads_it():
    # rsc_templates/common/state.rsc.j2: a pair without "=" or a key that is not lower-case letters makes the whole
    # block unreadable (Billing makes no bill for such a user), so the report finds no bill in it either.
    assert simreport.state("dish rb{no=5;per=2026-11;Note=x}") == {}
    assert simreport.state("dish rb{no=5;per=2026-11;x}") == {}
    assert simreport.bills([state_event("ann", "", BILLED.replace("lvl=0", "Lvl=0"), at(3))], PLAN) == ()
    # The block runs from the first rb{ to the next }, even where a later one would read.
    assert simreport.state("rb{a{b} rb{no=5;per=2026-11}") == {}
    # The last of a repeated key wins; the operator's text around the block is not read.
    assert simreport.state("a=1 rb{no=5;no=6;per=2026-11} b=2") == {"no": "6", "per": "2026-11"}
    # The original scripts' packed digits say when they billed, not what this run did.
    assert simreport.state("1000230007509") == {}
    comments = ["", "x rb{a=1;;b=2}", "rb{}", "1000230007509 rb{no=2}", "rb{a=1", "rb{a=;b=c=d}"]
    for comment in comments:
        try:
            expected = dict(payments.parse(comment).keys)
        except payments.BrokenState:
            expected = {}
        assert simreport.state(comment) == expected, comment


def test_mail_states_in_words():
    assert simreport.mail_state("ok") == "yes"
    assert simreport.mail_state("0/20790") == "not yet"
    assert simreport.mail_state("3/20790") == "no (3 failed)"
    assert simreport.mail_state(None) == "unknown"


def test_rows_carry_a_total_per_period_and_a_grand_total_over_several():
    second = BILLED.replace("per=2026-11", "per=2026-12").replace("no=10002", "no=10009")
    events = [
        state_event("ann", "", BILLED, at(30)),
        state_event("dan", "", BILLED.replace("no=10002", "no=10003").replace("bdisc=1990", "bdisc=0"), at(30)),
        state_event("ann", BILLED, second, dt.datetime(2026, 12, 31, 23, 59, 59)),
    ]
    report = simreport.build(events, [], PLAN)
    table = simreport.rows(report)
    assert [r[0] for r in table] == ["2026-11", "2026-11", "total 2026-11", "2026-12", "total 2026-12", "total"]
    assert table[2][1:] == ("2 bills", "", "5640", "", "398.00", "19.90", "378.10", "2 of 2")
    assert table[-1][5:8] == ("597.00", "39.80", "557.20")
    lines = simreport.text(report)
    assert lines[0] == "# bills (amounts in R):"
    assert re.fullmatch(r"# total\s+3 bills\s+8460\s+597\.00\s+39\.80\s+557\.20\s+3 of 3", lines[-1])


def test_repeated_log_lines_are_folded_with_a_count_and_the_first_and_last_day():
    text = "warning: rosbill: UsageWarnings: skipped fay: broken comment"
    events = [Event(at(d, 23, 50), "log", text) for d in range(1, 30)] + [Event(at(30, 23, 50), "log", "other")]
    folded = simreport.fold(events)
    assert [(f.text, f.count) for f in folded] == [(text, 29), ("other", 1)]
    assert (folded[0].first.day, folded[0].last.day) == (1, 29)
    lines = simreport.text(simreport.build(events, [], PLAN))
    assert f"#   29x 2026-11-01 to 2026-11-29  {text}" in lines
    assert not any("other" in line for line in lines)  # shown once already: nothing to fold
    assert lines[-1] == "# no bills were made in this run"


def test_usage_counts_from_the_base_and_ends_at_the_billed_use():
    samples = [
        Sample(at(1), "ann", 5_000_000_000 + 94_000_000, "rb{base=5000000000}"),
        Sample(at(2), "ann", 5_000_000_000 + 188_000_000, "rb{base=5000000000}"),
        Sample(at(30), "ann", 7_900_000_000, BILLED),  # billed at 23:50: the point is the bill's use
        Sample(at(3), "dan", 10, "rb{}"),
        Sample(at(4), "dan", 5, "rb{base=20}"),  # counters below base (reset outside rosbill): from 0
        Sample(dt.datetime(2026, 12, 1, 0, 5), "ann", 7_900_000_000, BILLED),  # one point: no December chart
    ]
    ann, dan = simreport.series(samples, PLAN)
    assert [used for _, used in ann.points] == [94_000_000, 188_000_000, 2_820_000_000]
    assert (ann.period, ann.package, ann.cap_bytes, ann.levels) == ("2026-11", "Lite", 3000 * 10**6, PLAN.levels)
    assert [used for _, used in dan.points] == [10, 5]
    assert dan.cap_bytes is None and dan.cap_known
    (unknown,) = simreport.series(samples[3:5], Plan())
    assert not unknown.cap_known


def test_csv_has_one_row_per_bill_and_no_cell_a_spreadsheet_would_run():
    events = [state_event("=HYPERLINK(x)", "", BILLED, at(30)), state_event("ann", "", BILLED, at(30))]
    rows = list(csv.reader(io.StringIO(simreport.to_csv(simreport.build(events, [], PLAN)))))
    assert rows[0][:9] == [
        "period",
        "user",
        "package",
        "mb_used",
        "cap_mb",
        "invoice",
        "price",
        "discount",
        "amount_due",
    ]
    assert len(rows) == 3
    assert rows[2] == ["2026-11", "ann", "Lite", "2820", "3000", "EW-10002/ann", "199.00", "19.90", "179.10", "R",
                       "yes", "yes"]  # fmt: skip
    assert rows[1][1] == "'=HYPERLINK(x)" and rows[1][5] == "EW-10002/=HYPERLINK(x)"  # not at the start: text


def test_the_page_is_self_contained_escaped_and_has_a_chart_per_series():
    events = [state_event("<b>ann</b>", "", BILLED, at(30))]
    samples = [Sample(at(d), "ann", d * 94_000_000, "rb{}") for d in range(1, 30)]
    samples += [Sample(at(d), "dan", d * 6_000_000_000, "rb{}") for d in range(1, 30)]
    page = simreport_html.page(simreport.build(events, samples, PLAN, title="t"))
    assert "<b>ann</b>" not in page and "&lt;b&gt;ann&lt;/b&gt;" in page
    assert not re.search(r"(src|href)=|<script|@import|url\(", page)  # nothing fetched, nothing run
    assert page.count('<figure class="chart"') == 2
    assert page.count('class="level"') == 3  # ann's 50/75/90 % (100 % is the cap line); dan is unlimited
    assert page.count('class="cap"') == 1
    assert page.count('<tr class="bill">') == 1 and page.count('<tr class="total">') == 1
