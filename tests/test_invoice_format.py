"""The invoice format check is a proof: every format it accepts gives two different bills two different texts.

Bills differ by their number (one sequence per router) or, across routers, by the router. The property test builds
random formats from literals and placeholders, keeps those ``mailtext.invoice_problems`` accepts, and renders many
bills with random values: no two bills with different (router, number) may share an invoice text. It also checks the
check is not vacuous: formats it refuses do produce collisions for some values.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import mailtext

PIECES = ["{number}", "{router}", "{username}", "{period}", "{year}", "{month}", "-", "/", "EW", "7", "0", "A-", "_"]


def render(fmt: str, number: int, router: str, username: str, period: str) -> str:
    values = {"number": str(number), "router": router, "username": username, "period": period,
              "year": period[:4], "month": period[5:7]}  # fmt: skip
    return "".join(seg.text or values[seg.placeholder] for seg in mailtext.parse(fmt))


names = st.text(alphabet="a1-_.", min_size=1, max_size=4)
bills = st.lists(
    st.tuples(
        st.integers(1, 300),
        st.sampled_from(["r", "r-1", "r1"]),
        names,
        st.sampled_from(["2026-11", "2026-12", "2027-01"]),
    ),
    min_size=2,
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6), bills)
def test_an_accepted_format_never_gives_two_bills_the_same_text(pieces, sample):
    fmt = "".join(pieces)
    if mailtext.check(fmt, "invoice") or mailtext.invoice_problems(fmt, several_routers=True):
        return
    seen: dict[str, tuple[str, int]] = {}
    for number, router, username, period in sample:
        text = render(fmt, number, router, username, period)
        key = (router, number)
        assert seen.setdefault(text, key) == key, (fmt, text)


def test_refused_formats_do_collide_so_the_check_is_not_vacuous():
    refused = ["INV-{username}", "EW{number}1", "7{number}", "{period}{number}", "{router}{number}",
               "{router}-{username}-{number}"]  # fmt: skip
    values = list(itertools.product([1, 11, 12, 112, 2, 21], ["r", "r1", "r-1"], ["a", "a1", "1", "1-a"], ["2026-11"]))
    for fmt in refused:
        assert mailtext.invoice_problems(fmt, several_routers=True), fmt
        texts: dict[str, tuple[str, int]] = {}
        collided = False
        for number, router, username, period in values:
            key = (router, number)
            if texts.setdefault(render(fmt, number, router, username, period), key) != key:
                collided = True
        assert collided, fmt


def test_one_router_needs_no_router_placeholder_but_several_do():
    assert mailtext.invoice_problems("EW-{number}", several_routers=False) == []
    assert mailtext.invoice_problems("EW-{number}", several_routers=True)
    assert mailtext.invoice_problems("{router}/{number}", several_routers=True) == []
