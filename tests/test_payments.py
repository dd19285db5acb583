"""generator/payments.py, the pure part of ``rosbill pay`` / ``rosbill report``: the rb{} block read and written as the
router's rbParseState / rbWriteState do, the payment rules, the report rows, the lock reading."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import payments
from generator.payments import BrokenState, Payment, PaymentRefused, parse, pay, render, report_row

DAY = payments.day_number(dt.date(2026, 12, 3))
BILLED = "Tower 3, dish 2 rb{bdisc=1990;bpkg=Lite;bprice=19900;email=ann@example.net;no=10107;per=2026-11;zz=x} end"


def keys(comment: str) -> dict[str, str]:
    return dict(parse(comment).keys)


# --- the block -----------------------------------------------------------------------------------------------------


def test_a_comment_in_rosbills_order_comes_back_unchanged():
    assert render(parse(BILLED)) == BILLED


def test_keys_are_written_alphabetically_and_empty_values_left_out():
    state = parse("x rb{per=2026-11;a=1;owe=2026-10} y")
    assert render(state, {"owe": "", "paid": "2026-11"}) == "x rb{a=1;paid=2026-11;per=2026-11} y"


def test_a_comment_without_a_block_gets_one_after_a_space_and_an_empty_one_none():
    assert render(parse("Tower 3"), {"paid": "2026-11"}) == "Tower 3 rb{paid=2026-11}"
    assert render(parse(""), {"paid": "2026-11"}) == "rb{paid=2026-11}"


def test_a_repeated_key_the_last_wins_as_on_the_router():
    assert keys("rb{per=2026-10;per=2026-11}")["per"] == "2026-11"


@pytest.mark.parametrize(
    ("comment", "reason"),
    [
        ("rb{per=2026-11", "no closing }"),
        ("rb{per}", '"per" has no ='),
        ("rb{Per=1}", '"Per" is not a key'),
        ("rb{p3=1}", '"p3" is not a key'),
    ],
)
def test_broken_blocks_are_refused_with_the_routers_reason(comment: str, reason: str):
    with pytest.raises(BrokenState, match=reason):
        parse(comment)


@pytest.mark.parametrize(
    ("comment", "reason"),
    [
        ("rb{per=2026-13}", "per=.* is not a period"),
        ("rb{paid=26-11}", "paid=.* is not a period"),
        ("rb{bprice=19.90}", "bprice=.* whole number"),
        ("rb{pamt=-5}", "pamt=.* whole number"),
        ("rb{rsd=12345678}", "rsd=.* whole number"),
        ("rb{thr=1.5}", "thr=.* whole number"),
    ],
)
def test_keys_holding_what_they_cannot_are_broken(comment: str, reason: str):
    with pytest.raises(BrokenState, match=reason):
        payments.check(parse(comment))


def test_the_original_scripts_packed_digits_are_read_and_replaced_on_write():
    today = dt.date(2026, 11, 20)
    state = parse("1000230007509", today)
    assert dict(state.keys) == {"inv": "10002", "cap": "3000", "lvl": "75", "per": "2026-09"}
    assert render(state, {"paid": "2026-09"}) == "rb{cap=3000;inv=10002;lvl=75;paid=2026-09;per=2026-09}"
    assert keys_of(parse("1000230007512", today))["per"] == "2025-12"  # a later month is last year's
    with pytest.raises(BrokenState, match="month 13"):
        parse("1000230007513", today)


def keys_of(state: payments.State) -> dict[str, str]:
    return dict(state.keys)


# Comments as operators write them: any text (no "rb{" in it, or the block would be somewhere else) around a block
# of known and unknown keys, values free of ";" and "}".
_text = st.text(st.characters(min_codepoint=0, max_codepoint=255), max_size=30).filter(
    lambda t: "rb{" not in t and not re.fullmatch(r"[0-9]{13,} *", t)  # packed digits are the original scripts' state
)
_value = st.text(st.characters(min_codepoint=32, max_codepoint=255, exclude_characters=";}"), max_size=12)
_key = st.sampled_from(["per", "no", "bprice", "bdisc", "paid", "owe", "pamt", "pday", "um", "email"]) | st.from_regex(
    r"[a-z]{1,6}", fullmatch=True
)


@settings(max_examples=400, deadline=None)
@given(
    before=_text,
    after=_text,
    pairs=st.lists(st.tuples(_key, _value), max_size=10),
    period=st.sampled_from(["2026-09", "2026-10", "2026-11"]),
)
def test_operator_text_and_unknown_keys_survive_a_payment(before: str, after: str, pairs: list[tuple[str, str]],
                                                          period: str):  # fmt: skip
    body = ";".join(f"{k}={v}" for k, v in pairs)
    comment = f"{before}rb{{{body}}}{after}"
    state = parse(comment)
    assert state.pre == before and state.post == after
    written = render(state, {"paid": period, "owe": "", "pamt": "100", "pday": str(DAY)})
    again = parse(written)
    assert again.pre == before and again.post == after  # byte for byte (one character per byte)
    expected = {k: v for k, v in dict(pairs).items() if k not in ("paid", "owe", "pamt", "pday") and v != ""}
    assert {k: v for k, v in again.keys.items() if k not in ("paid", "owe", "pamt", "pday")} == expected
    assert again.get("paid") == period and again.get("pamt") == "100" and "owe" not in again.keys
    assert list(again.keys) == sorted(again.keys)
    assert written.encode("latin-1").decode("latin-1") == written


# --- rosbill pay ---------------------------------------------------------------------------------------------------


def test_paying_the_last_bill_marks_it_paid_and_clears_owe():
    outcome = pay(parse(BILLED.replace("no=", "owe=2026-11;no=")), Payment(), DAY, currency="R")
    assert outcome.kind == "paid" and outcome.period == "2026-11" and outcome.amount == 17910
    new = parse(outcome.comment or "")
    assert new.get("paid") == "2026-11" and new.get("owe") == "" and new.get("pamt") == "17910"
    assert new.get("pday") == str(DAY) and new.pre == "Tower 3, dish 2 " and new.post == " end"
    assert new.get("zz") == "x" and new.get("email") == "ann@example.net"


def test_paying_an_earlier_period_sets_owe_to_the_month_after():
    state = parse(BILLED.replace("no=", "owe=2026-09;no="))
    outcome = pay(state, Payment("2026-09", 17910), DAY)
    new = parse(outcome.comment or "")
    assert new.get("paid") == "2026-09" and new.get("owe") == "2026-10"
    with pytest.raises(PaymentRefused, match="later than the user's last bill"):
        pay(state, Payment("2026-12"), DAY)


def test_an_earlier_period_needs_the_amount_since_only_the_last_bills_is_known():
    with pytest.raises(PaymentRefused, match="give it with --amount"):
        pay(parse(BILLED), Payment("2026-10"), DAY)


def test_a_year_end_period_rolls_over():
    state = parse("rb{bprice=100;paid=2025-11;per=2026-01}")
    assert parse(pay(state, Payment("2025-12", 100), DAY).comment or "").get("owe") == "2026-01"
    assert payments.next_period("2026-12") == "2027-01" and payments.last_day("2026-02") == dt.date(2026, 2, 28)


def test_an_amount_below_what_is_due_is_refused_unless_partial():
    state = parse(BILLED)
    with pytest.raises(PaymentRefused, match=r"100\.00 R is less than the 179\.10 due for 2026-11 \(invoice 10107\)"):
        pay(state, Payment(amount=10000), DAY, currency="R")
    partial = pay(state, Payment(amount=10000, partial=True), DAY)
    new = parse(partial.comment or "")
    assert partial.kind == "partial" and new.get("paid") == "" and new.get("pamt") == "10000"
    with pytest.raises(PaymentRefused, match="leave --partial out"):
        pay(state, Payment(amount=17910, partial=True), DAY)
    assert "more than due" in pay(state, Payment(amount=20000), DAY).notes[0]


def test_an_already_paid_period_writes_nothing():
    state = parse(BILLED.replace("no=", "paid=2026-11;no="))
    for chosen in (None, "2026-11", "2026-10"):
        outcome = pay(state, Payment(chosen, 17910), DAY)
        assert outcome.kind == "already_paid" and outcome.comment is None


def test_no_bill_and_broken_state_are_refused():
    with pytest.raises(PaymentRefused, match="no bill"):
        pay(parse("Tower 3"), Payment(), DAY)
    with pytest.raises(BrokenState):
        pay(parse("rb{per=2026-11;bprice=x}"), Payment(), DAY)


@pytest.mark.parametrize(("text", "cents"), [("199", 19900), ("199.5", 19950), ("199.05", 19905), ("0", 0)])
def test_amounts(text: str, cents: int):
    assert payments.cents(text) == cents


@pytest.mark.parametrize("text", ["", "-1", "1.234", "01", "1e3", "1,50", " 1"])
def test_bad_amounts(text: str):
    with pytest.raises(ValueError, match="not an amount"):
        payments.cents(text)


# --- rosbill report ------------------------------------------------------------------------------------------------


def test_report_row_of_an_overdue_restricted_user():
    comment = BILLED.replace("no=", "owe=2026-10;rsd=20760;thr=120;pamt=5000;pday=20700;no=")
    row = report_row("ann", comment, dt.date(2026, 12, 3), grace_days=7, invoice_format="EW-{number}")
    assert (row.invoice, row.period, row.due, row.unpaid_since) == ("EW-10107", "2026-11", 17910, "2026-10")
    assert row.due_date == "2026-11-07" and row.days_overdue == 26
    assert row.restricted and row.restricted_since == "2026-11-03" and row.throttled == "120"
    assert row.last_payment == 5000 and row.last_payment_day == "2026-09-04"
    assert payments.table_cells(row)[3] == "179.10" and payments.csv_cells(row)[7] == "yes"


def test_report_row_before_enforce_has_set_owe_counts_from_the_last_bill():
    row = report_row("ann", BILLED, dt.date(2026, 12, 3), grace_days=None)
    assert row.unpaid_since == "2026-11" and row.due_date == "2026-11-30" and row.days_overdue == 3


def test_report_row_of_a_paid_user_has_no_open_bill():
    row = report_row("ann", BILLED.replace("no=", "paid=2026-11;no="), dt.date(2026, 12, 3), grace_days=3)
    assert (row.invoice, row.period, row.due, row.unpaid_since, row.days_overdue) == ("", "", None, "", 0)


def test_report_row_of_broken_state_says_so():
    row = report_row("bob", "rb{per=2026-11", dt.date(2026, 12, 3), grace_days=3)
    assert row.problem == "state not readable: the rb{ block has no closing }" and row.as_json()["problem"]


# --- the router's words --------------------------------------------------------------------------------------------


def test_both_date_forms_of_system_clock():
    assert payments.router_date("2026-11-30") == payments.router_date("nov/30/2026") == dt.date(2026, 11, 30)
    for bad in ("2026-02-30", "foo/30/2026", ""):
        with pytest.raises(ValueError, match="not a date"):
            payments.router_date(bad)


def test_lock_holder():
    assert payments.lock_holder("") is None and payments.lock_holder('""') is None
    assert payments.lock_holder("Oversight 20787 3660") == "Oversight, since 2026-11-30 01:01"
    assert payments.lock_holder("Enforce 0 0") == "Enforce"
    assert payments.lock_holder("something odd") == "something"


def test_paying_the_last_bill_with_an_older_owe_says_it_covers_every_open_period():
    outcome = pay(parse(BILLED.replace("no=", "owe=2026-09;no=")), Payment(), DAY)
    assert "also marks the unpaid periods from 2026-09 on as paid" in outcome.notes[0]
    assert parse(outcome.comment or "").get("owe") == ""


def test_csv_cells_a_spreadsheet_would_run_are_quoted():
    from generator.cli_pay import _csv

    text = _csv([payments.ReportRow("=HYPERLINK(1)"), payments.ReportRow("-2+3"), payments.ReportRow("ann")])
    assert text.splitlines()[1:] == ["'=HYPERLINK(1),,,,,,0,no,,,,,,", "'-2+3,,,,,,0,no,,,,,,", "ann,,,,,,0,no,,,,,,"]


# --- the same reading as the router's own rbParseState / rbWriteState ---------------------------------------------

_ROUTER_PAY = """:global rbParseState
:global rbWriteState
:local id [{menu} find where {login}="ann"]
:local st [$rbParseState comment=[{menu} get $id comment] today="2026-11-20"]
:if (($st->"err") != "") do={{ {menu} set $id comment=("ERR " . ($st->"err")) }} else={{
  :local kv ($st->"kv")
  :set ($kv->"paid") "2026-11"
  :set ($kv->"owe") ""
  {menu} set $id comment=[$rbWriteState pre=($st->"pre") post=($st->"post") kv=$kv]
}}
"""
_router_text = st.text(st.characters(min_codepoint=1, max_codepoint=255), max_size=12)
_router_comment = st.one_of(
    _router_text,
    st.builds(
        lambda a, pairs, b: f"{a}rb{{{pairs}}}{b}",
        _router_text,
        st.lists(st.tuples(_key, _value), max_size=5).map(lambda ps: ";".join(f"{k}={v}" for k, v in ps)),
        _router_text,
    ),
    st.sampled_from(
        [
            "1000230007509",
            "1000230007509  rb{no=5}",
            "rb{per=2026-11",
            "x rb{A=1}",
            "rb{;;a=1;}",
            "rb{a\n=1}",
            "12345678901234\n",
        ]
    ),
)


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    from billing.harness import Bench, user

    found = Bench("7.16", [user("ann")])
    found.run("BillingFunctions")  # defines rbParseState and rbWriteState as globals
    return found


@settings(max_examples=60, deadline=None)
@given(comment=_router_comment)
def test_parse_and_render_agree_with_the_routers_functions(bench, comment: str):  # type: ignore[no-untyped-def]
    menu, login = bench.user_menu, bench.login
    (row,) = [r for r in bench.router.rows(menu) if r[login] == b"ann"]
    bench.router.invoke(menu, "set", {".id": row[".id"], "comment": comment.encode("latin-1")})
    result = bench.router.run(_ROUTER_PAY.format(menu=menu, login=login))
    assert result.ok, result
    (row,) = [r for r in bench.router.rows(menu) if r[login] == b"ann"]
    on_router = bytes(row["comment"]).decode("latin-1")
    try:
        expected = render(parse(comment, dt.date(2026, 11, 20)), {"paid": "2026-11", "owe": ""})
    except BrokenState as broken:
        assert on_router == f"ERR {broken}"
    else:
        assert on_router == expected
