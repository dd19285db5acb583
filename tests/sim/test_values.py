"""Values, word typing, conversions, operators and the POSIX regex translation (routeros-scripting.md §2–§3)."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator import convert, encodings, ops
from emulator.regex import RegexError, search, translate
from emulator.values import (
    INT64_MAX,
    INT64_MIN,
    IP,
    NIL,
    NOTHING,
    Array,
    Id,
    IPPrefix,
    Op,
    Time,
    Value,
    callable_code,
    format_time,
    function,
    tostr,
    typeof,
)

int64 = st.integers(min_value=INT64_MIN, max_value=INT64_MAX)


@pytest.mark.parametrize(
    ("word", "kind", "text"),
    [
        ("42", "num", b"42"),
        ("-5", "num", b"-5"),
        ("0x1F", "num", b"31"),
        ("08", "num", b"8"),
        ("99999999999999999999", "num", b"9223372036854775807"),  # literals saturate (forum 157085)
        ("true", "bool", b"true"),
        ("yes", "bool", b"true"),
        ("no", "bool", b"false"),
        ("1.1", "ip", b"1.0.0.1"),  # forum 182244
        ("10.1.2", "ip", b"10.1.0.2"),
        ("192.168.88.1", "ip", b"192.168.88.1"),
        ("10.0.0.0/8", "ip-prefix", b"10.0.0.0/8"),
        ("10.0.0.1/24", "ip-prefix", b"10.0.0.1/24"),
        ("::1", "ip6", b"::1"),
        ("2001:db8::/32", "ip6-prefix", b"2001:db8::/32"),
        ("1w2d3h4m5s", "time", b"1w2d03:04:05"),
        ("200ms", "time", b"00:00:00.200"),
        ("10:00", "time", b"10:00:00"),
        ("00:01:02", "time", b"00:01:02"),
        ("1d00:00:01", "time", b"1d00:00:01"),
        ("1.5s", "time", b"00:00:01.500"),
        ("*1A", "id", b"*1A"),
        ("ether1", "str", b"ether1"),
        ("a-b", "str", b"a-b"),
        ("AA:BB:CC:DD:EE:FF", "str", b"AA:BB:CC:DD:EE:FF"),
        ("00:11:22:33:44:55", "str", b"00:11:22:33:44:55"),
        ("1.2.3.4.5", "str", b"1.2.3.4.5"),
    ],
)
def test_a_bare_word_is_typed_by_its_shape(word: str, kind: str, text: bytes) -> None:
    value = convert.word_value(word)
    assert (typeof(value), tostr(value)) == (kind, text)


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "00:00:00"),
        (2798 * 7 * 86400 * 10**9 + 86400 * 10**9, "2798w1d00:00:00"),
        (255_340_000, "00:00:00.255340"),
        (-84_760, "-00:00:00.000084760"),
        (90 * 10**9, "00:01:30"),
    ],
)
def test_time_prints_like_routeros(ns: int, text: str) -> None:
    assert format_time(ns) == text


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_printed_time_parses_back(ns: int) -> None:
    assert convert.parse_time(format_time(ns)) == ns


@given(int64)
def test_tonum_reads_back_tostr(n: int) -> None:
    assert convert.tonum(tostr(n)) == n


@pytest.mark.parametrize("text", [b"abc", b"23.8", b"", b"1e3", b" 1", b"0x", b"cow&chicken"])
def test_tonum_of_text_that_is_no_number_is_nil(text: bytes) -> None:
    assert convert.tonum(text) is NIL


def test_conversions_of_odd_input() -> None:
    assert convert.tonum(Time(1_500_000_000)) == 1
    assert convert.tonum(Time(-1_500_000_000)) == -1
    assert convert.tobool(b"anystring") is NIL
    assert convert.tobool(-1) is True
    assert convert.totime(b"2023-08-18 00:00:00") == Time(1692316800 * 10**9)
    assert convert.totime(b"2023-08-18T00:00:00") is NIL
    assert convert.totime(b"2023-02-30 00:00:00") is NIL
    assert convert.toip(b"1.2.3") == IP(ipaddress.IPv4Address("1.2.0.3"))
    assert convert.toip(b"300.1.1.1") is NIL
    assert convert.toid(b"*ff") == Id(255)
    assert convert.tonsec(b"1s") == 10**9
    assert convert.toarray(b"a,,b").items == [b"a", b"", b"b"]
    assert len(convert.toarray(NOTHING)) == 0
    assert convert.toarray(5).items == [5]


@given(int64, int64)
def test_addition_and_multiplication_wrap_like_int64(a: int, b: int) -> None:
    def wrap(v: int) -> int:
        return (v + 2**63) % 2**64 - 2**63

    assert ops.add(a, b) == wrap(a + b)
    assert ops.sub(a, b) == wrap(a - b)
    assert ops.mul(a, b) == wrap(a * b)


@given(int64, int64.filter(lambda v: v != 0))
def test_division_truncates_toward_zero_and_remainder_follows_the_dividend(a: int, b: int) -> None:
    quotient, remainder = ops.div(a, b), ops.mod(a, b)
    if not (a == INT64_MIN and b == -1):
        assert quotient == int(abs(a) // abs(b)) * (1 if (a >= 0) == (b >= 0) else -1)
        assert quotient * b + remainder == a
    assert remainder == 0 or (remainder > 0) == (a > 0)


def test_division_by_zero_is_an_operator_error() -> None:
    with pytest.raises(ops.OperatorError, match="division by zero"):
        ops.div(1, 0)
    with pytest.raises(ops.OperatorError):
        ops.mod(1, 0)


def test_comparisons_are_typed_and_nothing_sorts_first() -> None:
    assert ops.equal(b"1", 1) is False
    assert ops.not_equal(b"1", 1) is True
    assert ops.less(NOTHING, 0) is True
    assert ops.greater(NOTHING, 0) is False
    assert ops.equal(NOTHING, 0) is False
    assert ops.less(b"a", 1) is False and ops.greater(b"a", 1) is False
    assert ops.less(b"abc", b"abd") is True
    assert ops.less(Time(1), Time(2)) is True
    assert ops.equal(Array([1, 2]), Array([1, 2])) is True


def test_concatenation_maps_over_an_array() -> None:
    assert ops.concat(b"v: ", Array([b"c", b"d"])) == Array([b"v: c", b"v: d"])
    assert ops.concat(b"n", 5) == b"n5"
    assert ops.concat(NOTHING, b"x") == b"x"


def test_comma_joins_and_copies() -> None:
    inner = Array([1])
    joined = ops.join(Array([inner]), 2)
    assert joined == Array([Array([1]), 2])
    joined.items[0].put(1, 9)  # arrays are written through put (values.Array: copied on write)
    assert inner.items == [1]


def test_ip_arithmetic_and_bitwise() -> None:
    ip = convert.word_value("192.168.1.77")
    assert tostr(ops.bit_and(ip, convert.word_value("255.255.255.252"))) == b"192.168.1.76"
    assert tostr(ops.add(convert.word_value("255.255.255.255"), 1)) == b"0.0.0.0"
    assert ops.sub(convert.word_value("10.0.0.5"), convert.word_value("10.0.0.1")) == 4
    assert tostr(ops.invert(convert.word_value("0.0.0.255"))) == b"255.255.255.0"


def test_membership_of_prefixes() -> None:
    prefix = convert.word_value("10.0.0.0/8")
    assert ops.contained(convert.word_value("10.2.3.4"), prefix) is True
    assert ops.contained(convert.word_value("10.2.0.0/16"), prefix) is True
    assert ops.contained(convert.word_value("11.0.0.1"), prefix) is False
    assert ops.contained(b"10.0.0.1", prefix) is False


def test_access_of_missing_elements_is_nothing() -> None:
    array = Array([1], {b"k": 2})
    assert ops.access(array, 0) == 1
    assert ops.access(array, 5) is NOTHING
    assert ops.access(array, b"k") == 2
    assert ops.access(b"text", 0) is NOTHING


def test_truth_of_conditions() -> None:
    assert [ops.truthy(v) for v in (True, False, 1, 0, NIL, NOTHING, b"", b"x")] == [
        True, False, True, False, False, False, False, True,
    ]  # fmt: skip


def test_array_order_put_and_remove() -> None:
    array = Array()
    array.put(b"y", 2)
    array.put(0, "a")
    array.put(b"aX", 1)
    array.put(3, "gap")
    assert [k for k, _ in array.entries()] == [0, 1, 2, 3, b"aX", b"y"]
    assert array.items[1] is NIL
    array.remove(1)
    array.remove(b"y")
    array.remove(b"missing")
    assert tostr(array) == b"a;;gap;aX=1"


def test_functions_are_arrays_whose_element_one_is_code() -> None:
    from emulator.values import Code

    code = Code(body=None)
    fn = function(code)
    assert typeof(fn) == "array" and callable_code(fn) is code and callable_code(code) is code
    assert callable_code(Array([1, 2])) is None


def test_prefix_keeps_host_bits_it_was_written_with() -> None:
    value = convert.word_value("192.168.88.1/24")
    assert isinstance(value, IPPrefix)
    assert value.network == ipaddress.IPv4Network("192.168.88.0/24")
    assert str(value) == "192.168.88.1/24"


@pytest.mark.parametrize(
    ("pattern", "subject", "matches"),
    [
        (b"^eth", b"ether1", True),
        (b"a.c", b"a\nc", True),  # no REG_NEWLINE: . matches a newline
        (b"c$", b"abc\n", False),  # $ only at the very end
        (b"a\\.c", b"abc", False),
        (b"[[:digit:]]+", b"x12", True),
        (b"[\\]", b"\\", True),  # a backslash in brackets is literal in POSIX
        (b"[]a]", b"]", True),
        (b"^(jan|feb)/", b"feb/01", True),
        (b"a{2,3}", b"caab", True),
        (b"\\d", b"d", True),  # \d is not ERE: an escaped d
        (b"(?i)x", b"(?i)x", False),
        (b"{", b"{", True),
    ],
)
def test_posix_ere_semantics(pattern: bytes, subject: bytes, matches: bool) -> None:
    assert search(pattern, subject) is matches


def test_bad_regex_is_reported() -> None:
    with pytest.raises(RegexError):
        search(b"[abc", b"a")
    with pytest.raises(RegexError):
        search(b"[[:nope:]]", b"a")


@given(st.binary(max_size=20))
def test_an_escaped_literal_matches_itself(text: bytes) -> None:
    pattern = b"".join(b"\\" + bytes([c]) if chr(c) in "\\^$.[]|()*+?{}" else bytes([c]) for c in text)
    assert re.compile(translate(b"^" + pattern + b"$"), re.DOTALL).search(text) is not None


@pytest.mark.parametrize(
    ("value", "source", "target", "transform", "result"),
    [
        (b"abcd", None, "base64", None, b"YWJjZA=="),
        (b"YWJjZA==", "base64", None, None, b"abcd"),
        (1, None, "hex", None, b"31"),  # [:convert 001 to=hex] is 31 [D HELP]
        (b"a b/c", None, "url", None, b"a%20b%2Fc"),
        (b"MFRGG===", "base32", "raw", None, b"abc"),
        (b"abc", None, None, "uc", b"ABC"),
        (b"abc", None, "hex", "md5", b"900150983cd24fb0d6963f7d28e17f72"),
        (b"ab", None, "byte-array", None, Array([97, 98])),
        (Array([104, 105]), "byte-array", None, "reverse", b"ih"),
    ],
)
def test_convert_formats_and_transforms(value, source, target, transform, result) -> None:  # type: ignore[no-untyped-def]
    from emulator.encodings import convert as run_convert

    assert run_convert(value, source, target, transform) == result


def test_convert_rejects_bad_input() -> None:
    from emulator.encodings import ConvertError
    from emulator.encodings import convert as run_convert

    for args in ((b"!!", "base64", None, None), (b"x", "nope", None, None), (b"x", None, None, "ed25519")):
        with pytest.raises(ConvertError):
            run_convert(*args)


# --- :serialize / :deserialize (emulator/encodings.py) ----------------------------------------------------------------


def test_json_round_trip_of_what_the_manual_documents() -> None:
    value = Array([], {b"count": 2, b"name": b"x", b"list": Array([1, True])})
    text = encodings.serialize(value, b"json", None, ())
    assert text == b'{"count":2,"list":[1,true],"name":"x"}'
    assert encodings.deserialize(text, b"json", None, ()) == value
    assert encodings.serialize(Array([b"007"]), b"json", None, ()) == b"[7.000000]"
    assert encodings.serialize(Array([b"007"]), b"json", b"json.no-string-conversion", ()) == b'["007"]'
    assert encodings.serialize(Array([b'a"b\\c']), b"json", None, ()) == b'["a\\"b\\\\c"]'


@pytest.mark.parametrize(
    "value",
    [Array(), Array([1], {b"k": 2}), Array([NIL]), Array([b"a\nb"]), Array([b"-5"]), Array([b"http://x"])],
)
def test_json_serialize_refuses_what_no_source_states(value: Value) -> None:
    with pytest.raises(encodings.NotModelled):
        encodings.serialize(value, b"json", None, ())


@pytest.mark.parametrize("text", [b"[null]", b"[1.5]", b'["1d"]', b"[1", b"[99999999999999999999]"])
def test_json_deserialize_refuses_what_no_source_states(text: bytes) -> None:
    with pytest.raises(encodings.NotModelled):
        encodings.deserialize(text, b"json", None, ())


def test_the_dollar_zero_op_prints_as_its_text() -> None:
    assert (tostr(Op(b"$f")), typeof(Op(b"$f"))) == (b"$f", "op")
