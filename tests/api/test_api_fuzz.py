"""Fuzzing the API framing and the live server with random and mutated byte streams (issue 8).

Two layers:

* the wire readers: hypothesis streams (valid sentences, mutated ones, raw bytes) through :class:`SentenceDecoder` and
  through :func:`read_sentence`; they must agree with each other, raise nothing but :class:`WireError`, and hold no
  more of an unfinished sentence than its limit;
* a live server (plain ``api`` and ``api-ssl``): a seeded mutator turns valid client conversations into broken ones
  (bit flips, control bytes ``0xF1``-``0xFF``, bad and huge length prefixes, truncation, splices, random bytes) and
  sends each on its own connection; every case must end, within a bound, in replies, ``!fatal`` or a close, with
  every reply a well-formed API sentence, no exception escaping a thread or reaching the event loop, no connection
  left open, and the server answering a normal client afterwards.

The fast suite runs a few hundred cases in a few seconds; ``-m slow`` runs thousands. Seeds are fixed, so a failure
reproduces; ``ROSBILL_FUZZ_SEED`` picks another. Counts and outcomes go to the figures printed after the run.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from conftest import FIGURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.clients import RawClient
from api.fakerouter import FakeRouter
from api.hostile import Ending, dial, ending
from emulator.api import Limits, LoginPolicy, RunningServer, start_server
from emulator.api.wire import (
    SentenceDecoder,
    SentenceLimits,
    WireError,
    encode_length,
    encode_sentence,
    read_sentence,
)

SEED = int(os.environ.get("ROSBILL_FUZZ_SEED", "20261201"))
SMALL = SentenceLimits(max_word=64, max_words=8, max_bytes=160)

# --- valid material the mutator starts from -------------------------------------------------------------------------

LOGIN = [b"/login", b"=name=admin", b"=password="]
CONVERSATIONS: list[list[list[bytes]]] = [
    [LOGIN],
    [[b"/login"], [b"/login", b"=name=admin", b"=response=00" + b"0" * 32]],
    [LOGIN, [b"/system/script/print"]],
    [LOGIN, [b"/system/script/add", b"=name=A", b"=source=:log info x", b".tag=7"], [b"/system/script/print"]],
    [LOGIN, [b"/system/script/add", b"=name=B"], [b"/system/script/set", b"=.id=*1", b"=comment=c"]],
    [LOGIN, [b"/system/script/print", b"?name=A", b"?#|", b"=.proplist=name,source"]],
    [LOGIN, [b"/system/script/print", b"?<run-count=3", b"?#!", b"=count-only="]],
    [LOGIN, [b"/system/resource/getall"], [b"/system/package/print"], [b"/cancel"]],
    [LOGIN, [b"/system/script/remove", b"=numbers=*9"], [b"/nowhere/print"], [b"/system/script/frob"]],
    [LOGIN, [b"/user-manager/user/print"], [b"/system/script/get", b"=number=*1", b"=value-name=source"]],
    [LOGIN, [b"/system/script/run", b"=number=A"], [b"/quit"]],
    [[b"/system/script/print"], LOGIN, []],
    [LOGIN, [b"/system/scheduler/add", b"=name=S", b"=interval=1d", b"=disabled=yes"]],
]
CONTROL_BYTES = bytes(range(0xF1, 0x100))


def _stream(conversation: list[list[bytes]]) -> bytes:
    return b"".join(encode_sentence(sentence) for sentence in conversation)


def mutate(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """One named mutation of ``data`` (some apply several edits)."""
    buf = bytearray(data)
    kind = rng.choice(
        ["flip", "control", "prefix", "huge", "truncate", "insert", "delete", "splice", "random", "zeros", "multi"]
    )
    edits = rng.randint(2, 6) if kind == "multi" else 1
    for _ in range(edits):
        kind_now = (
            rng.choice(["flip", "control", "prefix", "truncate", "insert", "delete"]) if kind == "multi" else kind
        )
        at = rng.randrange(len(buf) + 1)
        if kind_now == "flip" and buf:
            at = min(at, len(buf) - 1)
            buf[at] ^= 1 << rng.randrange(8)
        elif kind_now == "control":
            buf[at:at] = bytes([rng.choice(CONTROL_BYTES)])
        elif kind_now == "prefix":  # a length prefix that promises more (or less) than follows
            buf[at:at] = encode_length(rng.choice([1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000, 5000]))
        elif kind_now == "huge":
            buf[at:at] = encode_length(rng.choice([0x10000000, 0xFFFFFFFF, 48 << 20, (1 << 20) + 1]))
        elif kind_now == "truncate":
            del buf[at:]
        elif kind_now == "insert":
            buf[at:at] = rng.randbytes(rng.randint(1, 40))
        elif kind_now == "delete":
            del buf[at : at + rng.randint(1, 8)]
        elif kind_now == "splice":
            other = _stream(rng.choice(CONVERSATIONS))
            cut = rng.randrange(len(other) + 1)
            buf[at:] = other[cut:]
        elif kind_now == "random":
            buf = bytearray(rng.randbytes(rng.randint(1, 300)))
        elif kind_now == "zeros":
            buf[at:at] = b"\x00" * rng.randint(1, 50)
    return kind, bytes(buf)


def cases(seed: int, count: int) -> Iterator[tuple[str, bytes, bool, int]]:
    """``count`` (mutation, bytes, half-close afterwards, chunk size) cases from ``seed``."""
    rng = random.Random(seed)
    for _ in range(count):
        base = _stream(rng.choice(CONVERSATIONS))
        kind, data = ("valid", base) if rng.random() < 0.08 else mutate(rng, base)
        yield kind, data, rng.random() < 0.85, rng.choice([1, 3, 7, 64, 4096])


# --- the wire readers -----------------------------------------------------------------------------------------------


def _decode(data: bytes, chunks: list[int]) -> tuple[list[list[bytes]], bool, int]:
    """Sentences before the first error, whether the stream was bad (error or cut mid-sentence), the most held."""
    decoder = SentenceDecoder(SMALL)
    got: list[list[bytes]] = []
    most = 0
    at, index = 0, 0
    try:
        while at < len(data):
            step = chunks[index % len(chunks)] if chunks else len(data)
            got += decoder.feed(data[at : at + step])
            most = max(most, decoder.held)
            at, index = at + step, index + 1
    except WireError:
        return got, True, most
    return got, decoder.pending, most


def _read(data: bytes) -> tuple[list[list[bytes]], bool]:
    async def run() -> tuple[list[list[bytes]], bool]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        got: list[list[bytes]] = []
        try:
            while (sentence := await read_sentence(reader, SMALL)) is not None:
                got.append(sentence)
        except WireError:
            return got, True
        return got, False

    return asyncio.run(run())


framed = st.lists(st.lists(st.binary(max_size=70), max_size=10), max_size=4).map(
    lambda sentences: b"".join(encode_sentence(s) for s in sentences)
)
edits = st.lists(st.tuples(st.integers(0, 400), st.binary(min_size=1, max_size=6)), max_size=4)


def _with_edits(data: bytes, changes: list[tuple[int, bytes]]) -> bytes:
    buf = bytearray(data)
    for at, blob in changes:
        at = min(at, len(buf))
        buf[at : at + len(blob) // 2] = blob
    return bytes(buf)


streams = st.one_of(
    framed,
    st.builds(_with_edits, framed, edits),
    st.binary(max_size=300),
    st.builds(lambda a, b: a + b, framed, st.sampled_from([bytes([c]) for c in CONTROL_BYTES])),
)


def test_the_wire_readers_agree_raise_only_wire_errors_and_hold_at_most_their_limit() -> None:
    outcomes: Counter[str] = Counter()

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(streams, st.lists(st.integers(1, 17), max_size=5))
    def one(data: bytes, chunks: list[int]) -> None:
        decoded, bad, most = _decode(data, chunks)
        read, read_bad = _read(data)
        assert (decoded, bad) == (read, read_bad)
        assert most <= SMALL.max_bytes + 5  # the words so far, plus at most one length prefix
        for sentence in decoded:
            assert len(sentence) <= SMALL.max_words and sum(map(len, sentence)) <= SMALL.max_bytes
            assert all(0 < len(word) <= SMALL.max_word for word in sentence)
        outcomes["refused" if bad else "clean"] += 1
        outcomes["sentences"] += len(decoded)

    one()
    total = outcomes["refused"] + outcomes["clean"]
    FIGURES.append(
        f"api fuzz: wire readers, {total} hypothesis streams: {outcomes['clean']} clean, {outcomes['refused']} "
        f"refused with WireError, {outcomes['sentences']} sentences; decoder and stream reader agreed on all"
    )


# --- the live server ------------------------------------------------------------------------------------------------

FUZZ_LIMITS = Limits(
    before_login=SentenceLimits(max_word=4096, max_words=16, max_bytes=8192),
    login_timeout_s=1.0,
    idle_timeout_s=1.0,
    sentence_timeout_s=0.5,
    write_timeout_s=2.0,
    handshake_timeout_s=1.0,
    max_connections=64,
    # Wrong logins are part of the noise here; back-off and lockout have their own tests (test_api_limits.py).
    login=LoginPolicy(free_failures=10**6, lockout_after=10**6),
)
CASE_BOUND_S = 5.0  # longest any case may take: the 1 s timeouts, plus scheduling on a busy CI machine


@contextmanager
def _no_thread_escapes() -> Iterator[list[str]]:
    escaped: list[str] = []
    previous = threading.excepthook

    def hook(args: threading.ExceptHookArgs) -> None:
        escaped.append(f"{args.thread.name if args.thread else '?'}: {args.exc_type.__name__}: {args.exc_value}")

    threading.excepthook = hook
    try:
        yield escaped
    finally:
        threading.excepthook = previous


def _run_case(
    server: RunningServer, data: bytes, half_close: bool, chunk: int, context: ssl.SSLContext | None
) -> Ending:
    sock = dial(server.host, server.port, context=context, timeout=CASE_BOUND_S)
    try:
        for at in range(0, len(data), chunk):
            sock.sendall(data[at : at + chunk])
        if half_close and context is None:  # TLS has no half-close: there the server's timeouts end the case
            sock.shutdown(socket.SHUT_WR)  # the server sees the end of the stream at once
    except (ConnectionError, ssl.SSLError, OSError):
        pass  # the server hung up while we were still sending: an ending like any other
    try:
        return ending(sock, CASE_BOUND_S)
    finally:
        sock.close()


def fuzz_server(router: FakeRouter, count: int, seed: int, tls: bool) -> tuple[Counter[str], Counter[str], float]:
    """Run ``count`` cases; returns outcomes, mutation kinds and the slowest case (s). Asserts every invariant."""
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    slowest = 0.0
    context: ssl.SSLContext | None = None
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with _no_thread_escapes() as escaped, start_server(router, router.version, tls=tls, limits=FUZZ_LIMITS) as server:

        def run(case: tuple[str, bytes, bool, int]) -> tuple[str, Ending]:
            return case[0], _run_case(server, case[1], case[2], case[3], context)

        with ThreadPoolExecutor(24) as pool:
            for kind, got in pool.map(run, cases(seed, count)):
                kinds[kind] += 1
                outcomes[got.kind] += 1
                slowest = max(slowest, got.seconds)
                assert got.closed, f"a {kind} case was still open after {CASE_BOUND_S} s"
                assert not got.garbled, f"a {kind} case got a malformed reply: {got.replies}"
        # Also a raw non-TLS stream to the TLS port, and a TLS stream to nothing: must just close.
        if tls:
            raw = dial(server.host, server.port)
            raw.sendall(_stream([LOGIN]))
            assert ending(raw, CASE_BOUND_S).closed
            raw.close()
        stats = server.stats
        assert wait_open_zero(server), f"{server.stats.open} connections left open"
        after = RawClient(server.host, server.port, context)
        after.login()
        assert after.command(b"/system/script/print", b"=count-only=")[-1][0] == b"!done"
        after.close()
    assert escaped == []
    assert stats.internal_errors == 0
    return outcomes, kinds, slowest


def wait_open_zero(server: RunningServer) -> bool:
    deadline = time.monotonic() + CASE_BOUND_S
    while time.monotonic() < deadline:
        if server.stats.open == 0:
            return True
        time.sleep(0.02)
    return False


def _report(label: str, count: int, outcomes: Counter[str], kinds: Counter[str], slowest: float) -> None:
    parts = ", ".join(f"{outcomes[name]} {name}" for name in ("fatal", "replies+close", "close"))
    FIGURES.append(
        f"api fuzz: {label}, {count} cases (seed {SEED}; {len(kinds)} mutation kinds): {parts}; 0 hangs, "
        f"0 thread or event-loop exceptions, slowest case {slowest:.2f} s"
    )


def test_a_live_server_survives_mutated_and_random_streams(router: FakeRouter) -> None:
    outcomes, kinds, slowest = fuzz_server(router, 400, SEED, tls=False)
    assert outcomes["fatal"] > 50 and outcomes["replies+close"] > 20  # the mutator reaches both paths
    _report("api", 400, outcomes, kinds, slowest)


def test_a_live_tls_server_survives_mutated_streams(router: FakeRouter) -> None:
    outcomes, kinds, slowest = fuzz_server(router, 60, SEED + 1, tls=True)
    assert outcomes["fatal"] > 5
    _report("api-ssl", 60, outcomes, kinds, slowest)


@pytest.mark.slow
def test_a_live_server_survives_thousands_of_mutated_streams(router: FakeRouter) -> None:
    outcomes, kinds, slowest = fuzz_server(router, 5000, SEED + 2, tls=False)
    _report("api (slow)", 5000, outcomes, kinds, slowest)


@pytest.mark.slow
def test_a_live_tls_server_survives_many_mutated_streams(router: FakeRouter) -> None:
    outcomes, kinds, slowest = fuzz_server(router, 800, SEED + 3, tls=True)
    _report("api-ssl (slow)", 800, outcomes, kinds, slowest)
