"""Word-length framing exactly as Manual:API describes it (platform.md §5.2), boundaries included."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st
from routeros_api import base_api

from emulator.api.wire import (
    MAX_WORD,
    SentenceDecoder,
    SentenceLimits,
    WireError,
    decode_length,
    encode_length,
    encode_sentence,
    encode_word,
    prefix_size,
    read_sentence,
)

BOUNDARIES = [
    (0, b"\x00"),
    (1, b"\x01"),
    (0x7F, b"\x7f"),
    (0x80, b"\x80\x80"),
    (0x3FFF, b"\xbf\xff"),
    (0x4000, b"\xc0\x40\x00"),
    (0x1FFFFF, b"\xdf\xff\xff"),
    (0x200000, b"\xe0\x20\x00\x00"),
    (0xFFFFFFF, b"\xef\xff\xff\xff"),
    (0x10000000, b"\xf0\x10\x00\x00\x00"),
    (MAX_WORD, b"\xf0\xff\xff\xff\xff"),
]


@pytest.mark.parametrize(("length", "prefix"), BOUNDARIES)
def test_each_boundary_length_gets_the_documented_prefix(length: int, prefix: bytes) -> None:
    assert encode_length(length) == prefix
    assert prefix_size(prefix[0]) == len(prefix)
    assert decode_length(prefix) == length


@pytest.mark.parametrize(("length", "prefix"), BOUNDARIES[:-1])
def test_the_routeros_api_client_frames_lengths_the_same_way(length: int, prefix: bytes) -> None:
    assert base_api.encode_length(length) == prefix
    data = iter(prefix)
    assert base_api.decode_length(lambda n: bytes([next(data)])) == length


@given(st.integers(min_value=0, max_value=MAX_WORD))
def test_any_length_round_trips(length: int) -> None:
    prefix = encode_length(length)
    assert decode_length(prefix) == length
    assert len(prefix) == prefix_size(prefix[0])


@pytest.mark.parametrize("first", range(0xF8, 0x100))
def test_control_bytes_are_refused_where_a_length_should_start(first: int) -> None:
    with pytest.raises(WireError, match="control byte"):
        prefix_size(first)
    with pytest.raises(WireError):
        SentenceDecoder().feed(bytes([first, 0, 0, 0, 0]))


@pytest.mark.parametrize("first", range(0xF1, 0xF8))
def test_first_bytes_between_f1_and_f7_are_not_a_length_form(first: int) -> None:
    with pytest.raises(WireError, match="malformed"):
        prefix_size(first)


def test_lengths_outside_the_frame_are_refused() -> None:
    with pytest.raises(ValueError):
        encode_length(-1)
    with pytest.raises(ValueError):
        encode_length(MAX_WORD + 1)


def test_a_prefix_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(WireError):
        decode_length(b"\x80")


def test_a_sentence_ends_with_a_zero_length_word() -> None:
    assert encode_sentence([b"/login", b"=name=admin"]) == b"\x06/login\x0b=name=admin\x00"
    assert encode_sentence([]) == b"\x00"


@pytest.mark.parametrize("length", [0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000])
def test_words_at_each_boundary_decode_intact_even_one_byte_at_a_time(length: int) -> None:
    word = b"=source=" + bytes(i % 251 for i in range(length - 8))
    data = encode_sentence([b"/system/script/add", word])
    decoder = SentenceDecoder(SentenceLimits(max_word=4 << 20, max_bytes=4 << 20))
    sentences: list[list[bytes]] = []
    step = 1 if length <= 0x4000 else 4099  # byte by byte where it matters, big steps for the big ones
    for i in range(0, len(data), step):
        sentences += decoder.feed(data[i : i + step])
    assert sentences == [[b"/system/script/add", word]]
    assert len(word) == length
    assert not decoder.pending


def test_several_sentences_and_an_empty_one_in_one_chunk() -> None:
    data = encode_sentence([b"/a"]) + encode_sentence([]) + encode_sentence([b"/b", b"=x=1"])
    decoder = SentenceDecoder()
    assert decoder.feed(data) == [[b"/a"], [], [b"/b", b"=x=1"]]


def test_a_half_sentence_is_pending() -> None:
    decoder = SentenceDecoder()
    assert decoder.feed(encode_word(b"/a")) == []
    assert decoder.pending
    assert decoder.feed(b"\x00") == [[b"/a"]]
    assert not decoder.pending


def test_a_word_over_the_limit_is_refused_before_it_is_buffered() -> None:
    decoder = SentenceDecoder(SentenceLimits(max_word=100))
    with pytest.raises(WireError, match="exceeds"):
        decoder.feed(encode_length(101))


def _read_all(data: bytes, max_word: int = 1 << 26) -> list[list[bytes] | None]:
    limits = SentenceLimits(max_word=max_word, max_bytes=max_word)

    async def run() -> list[list[bytes] | None]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        out: list[list[bytes] | None] = []
        while True:
            sentence = await read_sentence(reader, limits)
            out.append(sentence)
            if sentence is None:
                return out

    return asyncio.run(run())


def test_the_stream_reader_returns_sentences_then_none_at_a_clean_end() -> None:
    big = b"x" * 0x4000
    data = encode_sentence([b"/a", big]) + encode_sentence([b"/b"])
    assert _read_all(data) == [[b"/a", big], [b"/b"], None]


@pytest.mark.parametrize(
    "data",
    [
        encode_word(b"/a"),  # no terminating zero-length word
        b"\x85/ab",  # length prefix cut
        b"\x05/a",  # word body cut
    ],
)
def test_the_stream_reader_refuses_a_sentence_cut_by_eof(data: bytes) -> None:
    with pytest.raises(WireError):
        _read_all(data)


def test_the_stream_reader_refuses_control_bytes_and_oversized_words() -> None:
    with pytest.raises(WireError, match="control byte"):
        _read_all(b"\xf8")
    with pytest.raises(WireError, match="exceeds"):
        _read_all(encode_word(b"x" * 10), max_word=9)
