"""API text ↔ router values (platform.md §5.2: values are bytes; booleans come back true/false)."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from emulator.api.convert import ConversionError, parse_item_ref, parse_time, to_api, to_router
from emulator.values import IP, NIL, NOTHING, Array, Id, IPPrefix, Time


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        (b"yes", "bool", True),
        (b"true", "bool", True),
        (b"No", "bool", False),
        (b"false", "bool", False),
        (b"42", "num", 42),
        (b"-7", "num", -7),
        (b"0x1F", "num", 31),
        (b"*1A", "id", Id(0x1A)),
        (b"Daily", "id", b"Daily"),  # an item may be named where an id is expected
        (b"1d", "time", Time.seconds(86400)),
        (b"read,write,test", "array", Array([b"read", b"write", b"test"])),
        (b"", "array", Array([])),
        (b"10.0.0.1", "ip", IP(ipaddress.IPv4Address("10.0.0.1"))),
        (b"10.0.0.0/8", "ip-prefix", IPPrefix(ipaddress.IPv4Network("10.0.0.0/8"))),
        (b"any text", "str", b"any text"),
        (b"any text", None, b"any text"),  # undeclared: the router parses it
        (b"odd", "some-future-type", b"odd"),
    ],
)
def test_attribute_text_becomes_the_declared_type(text: bytes, kind: str | None, value: Any) -> None:
    assert to_router(text, kind) == value


@pytest.mark.parametrize(
    ("text", "kind"),
    [(b"maybe", "bool"), (b"12a", "num"), (b"soon", "time"), (b"300.1.1.1", "ip"), (b"", "num")],
)
def test_text_that_is_not_of_the_declared_type_is_refused(text: bytes, kind: str) -> None:
    with pytest.raises(ConversionError):
        to_router(text, kind)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (b"1w2d3h4m5s", 7 * 86400 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5),
        (b"30s", 30),
        (b"00:10:00", 600),
        (b"10:00", 36000),  # hours:minutes
        (b"1d00:00:00", 86400),  # how a v6 router prints a day
        (b"1d 00:00:00", 86400),  # how the CLI prints it
        (b"3600", 3600),  # bare number: seconds
        (b"0s", 0),
    ],
)
def test_times_in_every_form_a_client_may_send(text: bytes, seconds: int) -> None:
    assert parse_time(text) == Time.seconds(seconds)


def test_sub_second_times() -> None:
    assert parse_time(b"200ms") == Time(200_000_000)
    assert parse_time(b"00:00:01.5") == Time(1_500_000_000)
    assert parse_time(b"-1s") == Time(-1_000_000_000)


def test_item_references_are_ids_names_or_lists() -> None:
    assert parse_item_ref(b"*A") == Id(10)
    assert parse_item_ref(b"MonthEnd") == b"MonthEnd"
    assert parse_item_ref(b"*1,*2,Daily") == Array([Id(1), Id(2), b"Daily"])


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, b"true"),
        (False, b"false"),
        (0, b"0"),
        (-5, b"-5"),
        (Id(0x1A), b"*1A"),
        (Time.seconds(86400), b"1d00:00:00"),
        (Time.seconds(90), b"00:01:30"),
        (Array([b"read", b"write"]), b"read,write"),
        (Array.mapping({"a": 1}), b"a=1"),
        (b"raw\r\nbytes\x00\xff", b"raw\r\nbytes\x00\xff"),
        (IP(ipaddress.IPv4Address("192.168.88.1")), b"192.168.88.1"),
    ],
)
def test_router_values_render_as_the_api_renders_them(value: Any, text: bytes) -> None:
    assert to_api(value) == text


def test_nil_and_nothing_are_left_out() -> None:
    assert to_api(NIL) is None
    assert to_api(NOTHING) is None
