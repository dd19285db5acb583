"""RouterOS API framing: word lengths, words and sentences, as bytes and over an asyncio stream.

A *word* is a length prefix followed by that many bytes; a *sentence* is words ended by a zero-length word
(platform.md §5.2, [DOC] S12 Manual:API "API words"). The encoders and :class:`SentenceDecoder` are pure; the two
coroutines at the bottom are the only place that touches a stream.

Must not: interpret words (commands, attributes, queries, replies live in ``sentences.py``), log their content
(a word may carry a password), or know about routers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

#: Largest word the 5-byte form can describe (``0xF0`` + four length bytes).
MAX_WORD = 0xFFFFFFFF
#: Default limit the server applies to one incoming word; RouterOS documents no limit (platform.md §5.2), this only
#: keeps a broken client from making the emulator allocate gigabytes.
DEFAULT_MAX_WORD = 64 * 1024 * 1024


class WireError(ValueError):
    """The peer sent bytes that are not a valid API word (control byte, truncated stream, oversized word)."""


def encode_length(length: int) -> bytes:
    """The length prefix of a word of ``length`` bytes.

    [DOC] S12: ``<0x80`` one byte; ``<0x4000`` two bytes ``len|0x8000``; ``<0x200000`` three bytes ``len|0xC00000``;
    ``<0x10000000`` four bytes ``len|0xE0000000``; otherwise ``0xF0`` followed by the length in four bytes.
    """
    if length < 0:
        raise ValueError(f"a word length cannot be negative: {length}")
    if length < 0x80:
        return bytes((length,))
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    if length <= MAX_WORD:
        return b"\xf0" + length.to_bytes(4, "big")
    raise ValueError(f"a word of {length} bytes is longer than the API can frame ({MAX_WORD})")


def prefix_size(first: int) -> int:
    """How many bytes a length prefix starting with byte ``first`` takes.

    Bytes ``0xF8``–``0xFF`` are reserved control bytes ([DOC] S12: "if the first byte of the length is >= 0xF8, it is a
    reserved control byte ... the client cannot parse what follows"); ``0xF1``–``0xF7`` are not a defined form either.
    """
    if first < 0x80:
        return 1
    if first < 0xC0:
        return 2
    if first < 0xE0:
        return 3
    if first < 0xF0:
        return 4
    if first == 0xF0:
        return 5
    if first >= 0xF8:
        raise WireError(f"reserved control byte 0x{first:02X} where a word length was expected")
    raise WireError(f"malformed word length (first byte 0x{first:02X})")


def decode_length(prefix: bytes) -> int:
    """The length a complete prefix (as sized by :func:`prefix_size`) encodes."""
    size = prefix_size(prefix[0])
    if len(prefix) != size:
        raise WireError(f"a length prefix starting 0x{prefix[0]:02X} has {size} bytes, got {len(prefix)}")
    if size == 1:
        return prefix[0]
    if size == 5:
        return int.from_bytes(prefix[1:], "big")
    # Strip the marker bits: 10xxxxxx, 110xxxxx, 1110xxxx (one more marker bit per extra byte).
    mask = (1 << (8 * size - size)) - 1
    return int.from_bytes(prefix, "big") & mask


def encode_word(word: bytes) -> bytes:
    return encode_length(len(word)) + word


def encode_sentence(words: Iterable[bytes]) -> bytes:
    """Words followed by the zero-length word that ends a sentence."""
    return b"".join(encode_word(word) for word in words) + b"\x00"


class SentenceDecoder:
    """Incremental decoder: :meth:`feed` it bytes as they arrive, get back the sentences completed so far.

    Empty sentences (a lone zero-length word) are returned as ``[]``; Manual:API says a router ignores them, which is
    the caller's business. After a :class:`WireError` the stream cannot be resynchronised: close the connection.
    """

    def __init__(self, max_word: int = DEFAULT_MAX_WORD) -> None:
        self._buffer = bytearray()
        self._words: list[bytes] = []
        self._max_word = max_word

    def feed(self, data: bytes) -> list[list[bytes]]:
        self._buffer += data
        sentences: list[list[bytes]] = []
        while True:
            word = self._next_word()
            if word is None:
                return sentences
            if word:
                self._words.append(word)
            else:
                sentences.append(self._words)
                self._words = []

    @property
    def pending(self) -> bool:
        """True while part of a sentence has been received (EOF now would cut a sentence)."""
        return bool(self._buffer) or bool(self._words)

    def _next_word(self) -> bytes | None:
        if not self._buffer:
            return None
        size = prefix_size(self._buffer[0])
        if len(self._buffer) < size:
            return None
        length = decode_length(bytes(self._buffer[:size]))
        if length > self._max_word:
            raise WireError(f"word of {length} bytes exceeds the limit of {self._max_word}")
        if len(self._buffer) < size + length:
            return None
        word = bytes(self._buffer[size : size + length])
        del self._buffer[: size + length]
        return word


async def read_word(reader: asyncio.StreamReader, max_word: int = DEFAULT_MAX_WORD) -> bytes | None:
    """One word from ``reader``, or None on EOF before its first byte; EOF later raises :class:`WireError`."""
    first = await reader.read(1)
    if not first:
        return None
    try:
        size = prefix_size(first[0])
        prefix = first + (await reader.readexactly(size - 1) if size > 1 else b"")
        length = decode_length(prefix)
        if length > max_word:
            raise WireError(f"word of {length} bytes exceeds the limit of {max_word}")
        return await reader.readexactly(length) if length else b""
    except asyncio.IncompleteReadError as eof:
        raise WireError("connection closed in the middle of a word") from eof


async def read_sentence(reader: asyncio.StreamReader, max_word: int = DEFAULT_MAX_WORD) -> list[bytes] | None:
    """The next sentence, or None when the peer closed the connection between sentences.

    EOF inside a sentence raises :class:`WireError`: a half sentence must never be executed.
    """
    words: list[bytes] = []
    while True:
        word = await read_word(reader, max_word)
        if word is None:
            if not words:
                return None
            raise WireError("connection closed in the middle of a sentence")
        if not word:
            return words
        words.append(word)


async def write_sentences(writer: asyncio.StreamWriter, sentences: Iterable[list[bytes]]) -> None:
    writer.write(b"".join(encode_sentence(sentence) for sentence in sentences))
    await writer.drain()
