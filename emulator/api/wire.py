"""RouterOS API framing: word lengths, words and sentences, as bytes and over an asyncio stream.

A *word* is a length prefix followed by that many bytes; a *sentence* is words ended by a zero-length word
(platform.md §5.2, [DOC] S12 Manual:API "API words"). The encoders and :class:`SentenceDecoder` are pure; the
coroutines at the bottom are the only place that touches a stream. Both readers enforce :class:`SentenceLimits` from the
length prefix on, so a peer cannot make them hold more than a limit's worth of an unfinished sentence.

Must not: interpret words (commands, attributes, queries, replies live in ``sentences.py``), log their content
(a word may carry a password), or know about routers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

#: Largest word the 5-byte form can describe (``0xF0`` + four length bytes).
MAX_WORD = 0xFFFFFFFF


@dataclass(frozen=True, slots=True)
class SentenceLimits:
    """What one incoming sentence may hold. RouterOS documents no limit (platform.md §5.2); these keep a broken or
    hostile client from making the emulator buffer more than ``max_bytes`` for a sentence it has not finished.

    ``max_word``: bytes of one word; ``max_words``: non-empty words of one sentence; ``max_bytes``: the sum of their
    lengths (prefixes not counted). A word over a limit is refused when its length prefix arrives, before its body.
    """

    max_word: int = 1024 * 1024
    max_words: int = 1024
    max_bytes: int = 2 * 1024 * 1024


#: After login: a word carries a whole script source (the largest the generator makes, the v6 ``install.rsc``, is
#: 116,534 bytes), so 1 MiB leaves ~9x headroom; a sentence is that word plus the other properties of an ``add``.
AFTER_LOGIN = SentenceLimits()
#: Before login only ``/login =name= =password=`` (or ``=response=``) and ``.tag=`` make sense: a few small words.
BEFORE_LOGIN = SentenceLimits(max_word=4096, max_words=16, max_bytes=8192)
#: Kept for callers of the old signature: the word limit after login.
DEFAULT_MAX_WORD = AFTER_LOGIN.max_word


class WireError(ValueError):
    """The peer sent bytes that are not a valid API word (control byte, truncated stream, oversized word)."""


class LimitExceeded(WireError):
    """A word or sentence over its :class:`SentenceLimits`; nothing past its length prefix was read."""


class ReadTimeout(WireError):
    """The peer was too slow; ``kind`` says how: ``"idle"`` (no sentence began in time) or ``"sentence"`` (a sentence
    began but did not end in time)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


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


def check_word(length: int, words: int, total: int, limits: SentenceLimits) -> None:
    """Raise :class:`LimitExceeded` if a non-empty word of ``length`` may not join a sentence that already has
    ``words`` words of ``total`` bytes."""
    if length > limits.max_word:
        raise LimitExceeded(f"word of {length} bytes exceeds the limit of {limits.max_word}")
    if words >= limits.max_words:
        raise LimitExceeded(f"sentence of more than {limits.max_words} words")
    if total + length > limits.max_bytes:
        raise LimitExceeded(f"sentence of more than {limits.max_bytes} bytes")


class SentenceDecoder:
    """Incremental decoder: :meth:`feed` it bytes as they arrive, get back the sentences completed so far.

    Empty sentences (a lone zero-length word) are returned as ``[]``; Manual:API says a router ignores them, which is
    the caller's business. After a :class:`WireError` the stream cannot be resynchronised: close the connection.
    Limits are checked as soon as a word's length prefix is complete, so the unfinished sentence it holds never
    grows past ``limits.max_bytes`` plus one length prefix (what one :meth:`feed` hands in is held until it returns).
    """

    def __init__(self, limits: SentenceLimits = AFTER_LOGIN) -> None:
        self._buffer = bytearray()
        self._words: list[bytes] = []
        self._total = 0
        self._limits = limits
        self._error: WireError | None = None

    def feed(self, data: bytes) -> list[list[bytes]]:
        """The sentences completed by ``data``. Sentences completed before bad bytes in the same ``data`` are
        returned, and the error is raised by the next call (as a stream reader would see them, one at a time)."""
        if self._error is not None:
            raise self._error
        self._buffer += data
        sentences: list[list[bytes]] = []
        while True:
            try:
                word = self._next_word()
            except WireError as bad:
                if not sentences:
                    raise
                self._error = bad
                self._buffer.clear()
                return sentences
            if word is None:
                return sentences
            if word:
                self._words.append(word)
                self._total += len(word)
            else:
                sentences.append(self._words)
                self._words, self._total = [], 0

    @property
    def pending(self) -> bool:
        """True while part of a sentence has been received or an error is waiting (EOF now is not a clean end)."""
        return bool(self._buffer) or bool(self._words) or self._error is not None

    @property
    def held(self) -> int:
        """Bytes held for the unfinished sentence: words complete so far plus the undecoded rest."""
        return self._total + len(self._buffer)

    def _next_word(self) -> bytes | None:
        if not self._buffer:
            return None
        size = prefix_size(self._buffer[0])
        if len(self._buffer) < size:
            return None
        length = decode_length(bytes(self._buffer[:size]))
        if length:
            check_word(length, len(self._words), self._total, self._limits)
        if len(self._buffer) < size + length:
            return None
        word = bytes(self._buffer[size : size + length])
        del self._buffer[: size + length]
        return word


async def _read_prefix(reader: asyncio.StreamReader, first: int) -> int:
    size = prefix_size(first)
    prefix = bytes((first,)) + (await reader.readexactly(size - 1) if size > 1 else b"")
    return decode_length(prefix)


async def read_word(reader: asyncio.StreamReader, max_word: int = DEFAULT_MAX_WORD) -> bytes | None:
    """One word from ``reader``, or None on EOF before its first byte; EOF later raises :class:`WireError`."""
    first = await reader.read(1)
    if not first:
        return None
    try:
        length = await _read_prefix(reader, first[0])
        if length > max_word:
            raise LimitExceeded(f"word of {length} bytes exceeds the limit of {max_word}")
        return await reader.readexactly(length) if length else b""
    except asyncio.IncompleteReadError as eof:
        raise WireError("connection closed in the middle of a word") from eof


async def read_sentence(
    reader: asyncio.StreamReader,
    limits: SentenceLimits = AFTER_LOGIN,
    *,
    idle_timeout: float | None = None,
    sentence_timeout: float | None = None,
) -> list[bytes] | None:
    """The next sentence, or None when the peer closed the connection between sentences.

    EOF inside a sentence raises :class:`WireError`: a half sentence must never be executed. A word or sentence over
    ``limits`` raises :class:`LimitExceeded` as soon as its length prefix is read. No first byte within
    ``idle_timeout`` seconds raises :class:`ReadTimeout` ``"idle"``; a sentence not complete ``sentence_timeout``
    seconds after its first byte (however steadily its bytes trickle in) raises :class:`ReadTimeout` ``"sentence"``.
    """
    try:
        async with asyncio.timeout(idle_timeout):
            first = await reader.read(1)
    except TimeoutError as idle:
        raise ReadTimeout(f"no sentence within {idle_timeout:g} s", "idle") from idle
    if not first:
        return None
    try:
        async with asyncio.timeout(sentence_timeout):
            return await _rest_of_sentence(reader, first[0], limits)
    except TimeoutError as slow:
        raise ReadTimeout(f"sentence not finished within {sentence_timeout:g} s", "sentence") from slow


async def _rest_of_sentence(reader: asyncio.StreamReader, first: int, limits: SentenceLimits) -> list[bytes]:
    words: list[bytes] = []
    total = 0
    next_byte: int | None = first
    try:
        while True:
            if next_byte is None:
                got = await reader.read(1)
                if not got:
                    raise WireError("connection closed in the middle of a sentence")
                next_byte = got[0]
            length = await _read_prefix(reader, next_byte)
            next_byte = None
            if not length:
                return words
            check_word(length, len(words), total, limits)
            words.append(await reader.readexactly(length))
            total += length
    except asyncio.IncompleteReadError as eof:
        raise WireError("connection closed in the middle of a word") from eof


async def write_sentences(writer: asyncio.StreamWriter, sentences: Iterable[list[bytes]]) -> None:
    writer.write(b"".join(encode_sentence(sentence) for sentence in sentences))
    await writer.drain()
