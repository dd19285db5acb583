"""Property and exhaustive tests: arithmetic with RouterOS precedence against a reference evaluator, and a month-end
check run on every day of two centuries in both date formats."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.version import MONTHS
from sim.fakerouter import interpreter

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
PRECEDENCE = {"*": 3, "/": 3, "%": 3, "+": 2, "-": 2}


def wrap(v: int) -> int:
    return (v + 2**63) % 2**64 - 2**63


@dataclass(frozen=True)
class Node:
    op: str | None
    value: int = 0
    left: Node | None = None
    right: Node | None = None

    def render(self) -> str:
        """Minimal parentheses: left-associative operators of routeros-scripting.md §3 (O-01)."""
        if self.op is None:
            return str(self.value) if self.value >= 0 else f"({self.value})"
        assert self.left is not None and self.right is not None
        left, right = self.left.render(), self.right.render()
        if self.left.op is not None and PRECEDENCE[self.left.op] < PRECEDENCE[self.op]:
            left = f"({left})"
        if self.right.op is not None and PRECEDENCE[self.right.op] <= PRECEDENCE[self.op]:
            right = f"({right})"
        return f"{left} {self.op} {right}"

    def evaluate(self) -> int | None:
        """C int64 semantics: wrap, truncating division, remainder with the dividend's sign; None = division by 0."""
        if self.op is None:
            return self.value
        assert self.left is not None and self.right is not None
        a, b = self.left.evaluate(), self.right.evaluate()
        if a is None or b is None:
            return None
        if self.op in "/%":
            if b == 0:
                return None
            q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
            return wrap(q) if self.op == "/" else wrap(a - q * b)
        return wrap({"+": a + b, "-": a - b, "*": a * b}[self.op])


leaves = st.integers(min_value=-1000, max_value=10**12).map(lambda v: Node(None, v))
trees = st.recursive(
    leaves, lambda kids: st.builds(Node, st.sampled_from("+-*/%"), st.just(0), kids, kids), max_leaves=8
)


@settings(max_examples=150, deadline=None)
@given(trees)
def test_arithmetic_follows_routeros_precedence_and_int64(tree: Node) -> None:
    _, interp = interpreter()
    source = f':do {{ :put ({tree.render()}) }} on-error={{ :put "error" }}'
    result = interp.run(source.encode())
    expected = tree.evaluate()
    assert result.output == [b"error" if expected is None else str(expected).encode()], source


MONTH_END = b"""
:local d [/system clock get date]
:local y; :local m; :local day
:if ([:pick $d 4 5] = "-") do={
  :set y [:tonum [:pick $d 0 4]]; :set m [:tonum [:pick $d 5 7]]; :set day [:tonum [:pick $d 8 10]]
} else={
  :local M {jan=1;feb=2;mar=3;apr=4;may=5;jun=6;jul=7;aug=8;sep=9;oct=10;nov=11;dec=12}
  :set y [:tonum [:pick $d 7 11]]; :set m ($M->[:pick $d 0 3]); :set day [:tonum [:pick $d 4 6]]
}
:local last ({31;28;31;30;31;30;31;31;30;31;30;31}->($m - 1))
:if ($m = 2 && (($y % 4 = 0 && $y % 100 != 0) || $y % 400 = 0)) do={ :set last 29 }
:put ($day = $last)
"""


def run_month_end(version: str, text_of: object, first: dt.date, last: dt.date) -> int:
    router, interp = interpreter(version)
    clock = router.tables[("system", "clock")].rows[0]
    day, checked = first, 0
    while day <= last:
        clock["date"] = text_of(day)  # type: ignore[operator]
        result = interp.run(MONTH_END)
        expected = day.day == calendar.monthrange(day.year, day.month)[1]
        assert result.output == [b"true" if expected else b"false"], (day, result.error)
        day += dt.timedelta(days=1)
        checked += 1
    return checked


def iso(day: dt.date) -> bytes:
    return day.isoformat().encode()


def old_style(day: dt.date) -> bytes:
    return f"{MONTHS[day.month - 1]}/{day.day:02d}/{day.year:04d}".encode()


def test_month_end_around_leap_years() -> None:
    assert run_month_end("7.16", iso, dt.date(1999, 12, 25), dt.date(2001, 3, 5)) > 400
    assert run_month_end("6.49", old_style, dt.date(2099, 12, 25), dt.date(2100, 3, 5)) > 60


@pytest.mark.slow
@pytest.mark.parametrize(("version", "text_of"), [("7.16", iso), ("6.49", old_style)])
def test_month_end_on_every_day_1900_to_2100(version: str, text_of: object) -> None:
    assert run_month_end(version, text_of, dt.date(1900, 1, 1), dt.date(2100, 12, 31)) == 73414
