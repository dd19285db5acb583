"""API query words and their stack semantics (Manual:API "Queries", platform.md §5.2)."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.api.query import QueryError, compile_query
from emulator.values import NIL, Id, Time

ETHER = {".id": Id(1), "name": b"ether1", "type": b"ether", "mtu": 1500, "disabled": False, "comment": b"uplink"}
VLAN = {".id": Id(0x1A), "name": b"vlan10", "type": b"vlan", "mtu": 1496, "disabled": True}
BRIDGE = {".id": Id(3), "name": b"br", "type": b"bridge", "mtu": 1500, "disabled": False, "comment": NIL}
ROWS: list[dict[str, Any]] = [ETHER, VLAN, BRIDGE]


def select(*words: bytes) -> list[Any]:
    predicate = compile_query(words)
    assert predicate is not None
    return [row["name"] for row in ROWS if predicate(row)]


def test_no_query_words_means_no_filter() -> None:
    assert compile_query([]) is None


def test_equality_with_and_without_the_leading_equals_sign() -> None:
    assert select(b"type=vlan") == [b"vlan10"]
    assert select(b"=type=vlan") == [b"vlan10"]


def test_a_value_may_contain_equals_signs() -> None:
    assert select(b"name=a=b") == []


def test_has_and_lacks_a_value() -> None:
    # nil counts as no value: the bridge's comment is unset
    assert select(b"comment") == [b"ether1"]
    assert select(b"-comment") == [b"vlan10", b"br"]


def test_less_and_greater_compare_numbers_as_numbers() -> None:
    assert select(b"<mtu=1500") == [b"vlan10"]
    assert select(b">mtu=1496") == [b"ether1", b"br"]
    assert select(b">mtu=999") == [b"ether1", b"vlan10", b"br"]  # text order would say "1500" < "999"


def test_less_and_greater_compare_strings_by_bytes() -> None:
    assert select(b"<name=c") == [b"br"]


def test_booleans_match_yes_no_and_true_false() -> None:
    assert select(b"disabled=yes") == [b"vlan10"]
    assert select(b"disabled=true") == [b"vlan10"]
    assert select(b"disabled=no") == [b"ether1", b"br"]


def test_ids_match_whatever_the_hex_case() -> None:
    assert select(b".id=*1A") == [b"vlan10"]
    assert select(b".id=*1a") == [b"vlan10"]
    assert select(b".id=1A") == []


def test_a_value_of_the_wrong_type_matches_nothing() -> None:
    assert select(b"mtu=big") == []
    assert select(b"<mtu=big") == []


def test_several_values_left_on_the_stack_are_and_ed() -> None:
    assert select(b"mtu=1500", b"type=bridge") == [b"br"]


def test_or() -> None:
    assert select(b"type=vlan", b"type=bridge", b"#|") == [b"vlan10", b"br"]


def test_or_of_three_as_routeros_api_sends_it() -> None:
    assert select(b"name=ether1", b"name=vlan10", b"name=br", b"#||") == [b"ether1", b"vlan10", b"br"]


def test_and_then_not() -> None:
    assert select(b"mtu=1500", b"type=ether", b"#&!") == [b"vlan10", b"br"]


def test_not_of_an_or_is_the_manual_example() -> None:
    # Manual:API: ?type=ether ?type=vlan ?#|! — everything but ether and vlan
    assert select(b"type=ether", b"type=vlan", b"#|!") == [b"br"]


def test_an_index_at_the_end_of_the_word_replaces_the_stack() -> None:
    # stack (top last): [type=ether, disabled=yes]; "1" keeps index 1 (type=ether) only
    assert select(b"type=ether", b"disabled=yes", b"#1") == [b"ether1"]


def test_an_index_followed_by_an_operation_pushes_a_copy() -> None:
    # [type=ether, type=vlan] → "1" copies type=ether → "|" → [type=ether, ether|vlan] → and-ed: ether only
    assert select(b"type=ether", b"type=vlan", b"#1|") == [b"ether1"]


def test_a_dot_after_an_index_only_ends_it() -> None:
    # "0." copies the top, "|" ors it with itself: same as ?type=vlan alone
    assert select(b"type=vlan", b"#0.|") == [b"vlan10"]


def test_a_lone_dot_duplicates_the_top() -> None:
    assert select(b"type=vlan", b"#.!|") == [b"ether1", b"vlan10", b"br"]  # x or not x


@pytest.mark.parametrize(
    "words",
    [
        [b"#|"],  # nothing on the stack
        [b"type=ether", b"#&"],  # one value for a two-value operation
        [b"#!"],
        [b"type=ether", b"#1"],  # index past the bottom
        [b"type=ether", b"#?"],  # unknown operation
        [b"==x"],  # no name
        [b"<mtu"],  # comparison without a value
    ],
)
def test_bad_queries_are_refused_before_any_item_is_read(words: list[bytes]) -> None:
    with pytest.raises(QueryError):
        compile_query(words)


def test_times_compare_as_durations() -> None:
    rows: list[dict[str, Any]] = [{"name": b"a", "interval": Time.seconds(90)}, {"name": b"b", "interval": Time(0)}]
    predicate = compile_query([b">interval=1m"])
    assert predicate is not None
    assert [row["name"] for row in rows if predicate(row)] == [b"a"]
    equal = compile_query([b"interval=00:01:30"])
    assert equal is not None
    assert [row["name"] for row in rows if equal(row)] == [b"a"]
