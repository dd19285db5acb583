"""Hostile and broken clients against the API server (issue 8): every case ends in a reply, ``!fatal`` or a close,
within its limit, with the server's memory bounded and the server still serving afterwards.

Each protection is tested by the attack it stops (the test fails when the protection is removed): huge words and
oversized sentences before and after login, half-open sentences, idle connections, unread replies, a connection flood
(plain and TLS), repeated wrong logins, and a log sink that never drains. Memory under attack is measured with
tracemalloc (Python allocations of every thread above the level before the attack) and reported in the figures.
"""

from __future__ import annotations

import logging
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import FIGURES

from api.clients import RawClient
from api.fakerouter import FakeRouter
from api.hostile import (
    MIB,
    Ending,
    dial,
    ending,
    login_bytes,
    memory_peak,
    pump_huge_word,
    send_quietly,
    stuck_logger,
    wait_until,
)
from emulator.api import Credentials, Limits, LoginPolicy, RunningServer, SentenceLimits, start_server
from emulator.api.limits import LoginGuard
from emulator.api.wire import (
    AFTER_LOGIN,
    BEFORE_LOGIN,
    LimitExceeded,
    SentenceDecoder,
    encode_length,
    encode_sentence,
    encode_word,
)

ROOT = Path(__file__).resolve().parents[2]
HUGE = 48 * MIB  # the review's attack: 8 words of 48 MiB before login took the server from 42 MB to 427 MB


def serving(router: FakeRouter, **limits: object) -> RunningServer:
    return start_server(router, router.version, limits=Limits(**limits))  # type: ignore[arg-type]


# --- the limits themselves ------------------------------------------------------------------------------------------


def test_the_default_limits_are_the_documented_ones() -> None:
    limits = Limits()
    assert (BEFORE_LOGIN.max_word, BEFORE_LOGIN.max_words, BEFORE_LOGIN.max_bytes) == (4096, 16, 8192)
    assert (AFTER_LOGIN.max_word, AFTER_LOGIN.max_words, AFTER_LOGIN.max_bytes) == (MIB, 1024, 2 * MIB)
    assert (limits.login_timeout_s, limits.idle_timeout_s, limits.sentence_timeout_s) == (30, 300, 30)
    assert (limits.write_timeout_s, limits.handshake_timeout_s, limits.max_connections) == (30, 10, 64)
    assert limits.login == LoginPolicy(3, 0.5, 8.0, 10, 600.0, 60.0, 4096)


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ([b"/login", b"=x=" + b"y" * 5000], "word of 5003 bytes exceeds the limit of 4096"),
        ([b"/login", *[b"=a=b"] * 16], "sentence of more than 16 words"),
        ([b"/login", *[b"=p=" + b"x" * 4000] * 3], "sentence of more than 8192 bytes"),
    ],
)
def test_the_decoder_refuses_a_sentence_over_a_limit_on_the_length_prefix(words: list[bytes], message: str) -> None:
    data = encode_sentence(words)
    last = data.rindex(encode_word(words[-1]))
    decoder = SentenceDecoder(BEFORE_LOGIN)
    # Everything but the offending word's body: the limit is known from its prefix alone.
    with pytest.raises(LimitExceeded, match=message):
        decoder.feed(data[: last + len(encode_length(len(words[-1])))])


def test_the_largest_script_the_generator_makes_passes_the_limits_after_login(
    raw: RawClient, router: FakeRouter
) -> None:
    source = max((ROOT / "tests" / "golden").glob("*/*.rsc"), key=lambda path: path.stat().st_size).read_bytes()
    assert len(source) > 100_000
    raw.login()
    assert raw.command(b"/system/script/add", b"=name=Install", b"=source=" + source) == [[b"!done", b"=ret=*1"]]
    assert router.tables[("system", "script")].rows[1]["source"] == source


# --- huge words and sentences ---------------------------------------------------------------------------------------


def test_huge_words_before_login_get_fatal_at_once_and_memory_stays_bounded(router: FakeRouter) -> None:
    with start_server(router, router.version) as server:
        socks = [dial(server.host, server.port) for _ in range(8)]
        with memory_peak() as peak, ThreadPoolExecutor(8) as pool:
            sent = list(pool.map(lambda sock: pump_huge_word(sock, HUGE, b"\x06/login"), socks))
            endings = [ending(sock, 10) for sock in socks]
        stats = server.stats
        for sock in socks:
            sock.close()
        login = RawClient(server.host, server.port)
        login.login()  # still serving
        login.close()
    for got in endings:
        assert got.closed and got.fatal == [b"!fatal", b"word of 50331648 bytes exceeds the limit of 4096 before login"]
    assert all(count < HUGE for count in sent)  # the server stopped reading: the rest was never accepted
    assert stats.over_limit == 8
    assert peak[0] < 16 * MIB, f"{peak[0] / MIB:.1f} MiB allocated under attack"
    FIGURES.append(
        f"api attack: 8 words of 48 MiB before login: 8 !fatal, peak Python memory +{peak[0] / MIB:.1f} MiB "
        f"(ceiling 16 MiB; unprotected it buffered all 384 MiB), {sum(sent) / MIB:.1f} MiB accepted by the kernel"
    )


def test_a_word_over_the_limit_after_login_is_refused_on_its_prefix(router: FakeRouter) -> None:
    with start_server(router, router.version) as server:
        sock = dial(server.host, server.port)
        sock.sendall(login_bytes())
        assert sock.recv(100) == encode_sentence([b"!done"])
        with memory_peak() as peak:
            sent = pump_huge_word(sock, HUGE, encode_word(b"/system/script/add") + b"\x0e=name=Attack-1" + b"")
            got = ending(sock, 10)
        sock.close()
    assert got.fatal == [b"!fatal", b"word of 50331648 bytes exceeds the limit of 1048576"]
    assert sent < HUGE and peak[0] < 8 * MIB
    assert router.tables[("system", "script")].rows == {}


@pytest.mark.parametrize(
    ("words", "reason"),
    [
        ([b"/login", *[b"=a=b"] * 40], b"sentence of more than 16 words before login"),
        ([b"/login", *[b"=p=" + b"x" * 3000] * 4], b"sentence of more than 8192 bytes before login"),
        ([b"/login", b"=password=" + b"x" * 4100], b"word of 4110 bytes exceeds the limit of 4096 before login"),
    ],
)
def test_oversized_login_sentences_get_fatal(raw: RawClient, words: list[bytes], reason: bytes) -> None:
    send_quietly(raw.sock, encode_sentence(words))
    got = ending(raw.sock, 5)
    assert got.closed and got.fatal == [b"!fatal", reason]


def test_the_sentence_limits_after_login_are_those_of_the_limits_given(router: FakeRouter) -> None:
    small = SentenceLimits(max_word=100, max_words=4, max_bytes=200)
    with serving(router, after_login=small) as server:
        client = RawClient(server.host, server.port)
        client.login()
        assert client.command(b"/system/script/add", b"=name=ok", b"=source=" + b"x" * 80)[0][0] == b"!done"
        client.send(b"/system/script/add", b"=name=a", b"=source=x", b"=comment=c", b"=policy=read")
        assert client.receive() == [b"!fatal", b"sentence of more than 4 words"]
        assert client.receive() is None


# --- slow and silent clients ----------------------------------------------------------------------------------------


def test_a_half_open_sentence_is_closed_after_the_sentence_timeout(router: FakeRouter) -> None:
    with serving(router, sentence_timeout_s=0.3) as server:
        client = RawClient(server.host, server.port)
        client.login()
        client.send_raw(encode_word(b"/system/script/add") + encode_word(b"=name=Half"))  # no end of sentence
        got = ending(client.sock, 5)
        assert got.fatal == [b"!fatal", b"sentence not finished within 0.3 s"] and got.closed
        assert 0.25 < got.seconds < 1.5
        assert server.stats.sentence_timeouts == 1
    assert router.tables[("system", "script")].rows == {}


def test_a_sentence_trickling_in_is_closed_at_its_deadline_however_busy_the_client_is(router: FakeRouter) -> None:
    with serving(router, sentence_timeout_s=0.4, idle_timeout_s=10) as server:
        client = RawClient(server.host, server.port)
        client.login()
        client.send_raw(encode_word(b"/system/script/add") + encode_length(1000))
        started = time.monotonic()
        while send_quietly(client.sock, b"x") and time.monotonic() - started < 5:  # a byte every 20 ms
            time.sleep(0.02)
        got = ending(client.sock, 5)
        elapsed = time.monotonic() - started
    assert got.fatal == [b"!fatal", b"sentence not finished within 0.4 s"]
    assert elapsed < 2.5


def test_a_connection_that_does_not_log_in_is_closed_after_the_login_timeout(router: FakeRouter) -> None:
    with serving(router, login_timeout_s=0.4) as server:
        silent = dial(server.host, server.port)
        chatty = dial(server.host, server.port)
        started = time.monotonic()
        # Empty sentences and commands refused with "not logged in" do not extend it.
        while time.monotonic() - started < 0.8 and send_quietly(chatty, b"\x00" + encode_sentence([b"/cancel"])):
            time.sleep(0.05)
        for sock in (silent, chatty):
            got = ending(sock, 5)
            assert got.closed and got.fatal == [b"!fatal", b"not logged in within 0.4 s"]
        assert time.monotonic() - started < 2
        assert server.stats.login_timeouts == 2


def test_an_idle_connection_after_login_is_closed_and_an_active_one_is_not(router: FakeRouter) -> None:
    with serving(router, login_timeout_s=0.4, idle_timeout_s=0.4) as server:
        idle = RawClient(server.host, server.port)
        idle.login()
        busy = RawClient(server.host, server.port)
        busy.login()
        for _ in range(6):  # 1.2 s in all, three times the idle timeout
            time.sleep(0.2)
            assert busy.command(b"/system/script/print") == [[b"!done"]]
        got = ending(idle.sock, 5)
        assert got.closed and got.fatal == [b"!fatal", b"idle for 0.4 s"]
        assert server.stats.idle_timeouts == 1
        busy.close()


def test_a_client_that_never_reads_its_replies_is_aborted_after_the_write_timeout(router: FakeRouter) -> None:
    with serving(router, write_timeout_s=0.5) as server:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect((server.host, server.port))
        sock.sendall(login_bytes())
        sock.recv(100)
        big = b"=source=" + b"#" * 200_000
        sock.sendall(encode_sentence([b"/system/script/add", b"=name=Big", big]))
        with memory_peak() as peak:
            send_quietly(sock, encode_sentence([b"/system/script/print"]) * 200)  # 40 MB of replies, none read
            assert wait_until(lambda: server.stats.write_timeouts == 1, 10)
        other = RawClient(server.host, server.port)
        other.login()
        assert other.command(b"/system/script/print", b"=.proplist=name") == [[b"!re", b"=name=Big"], [b"!done"]]
        other.close()
        sock.close()
    assert peak[0] < 16 * MIB


# --- connection floods ----------------------------------------------------------------------------------------------


def test_a_connection_flood_is_refused_beyond_the_cap_and_logged_once(
    router: FakeRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="emulator.api")
    with serving(router, max_connections=16) as server:
        with memory_peak() as peak:
            socks = [dial(server.host, server.port) for _ in range(300)]
            endings = [ending(sock, 0.5) for sock in socks[16:]]
            held = server.stats.open
        assert held == 16
        assert all(got.closed and got.fatal == [b"!fatal", b"too many connections"] for got in endings)
        assert all(got.seconds < 0.5 for got in endings)
        for sock in socks:
            sock.close()
        assert wait_until(lambda: server.stats.open == 0)
        client = RawClient(server.host, server.port)  # the flood is over: a client gets in
        client.login()
        client.close()
        stats = server.stats
    assert (stats.refused, stats.peak_open) == (284, 16)
    refusing = [r for r in caplog.records if "connection limit reached" in r.getMessage()]
    summary = [r.getMessage() for r in caplog.records if "were refused" in r.getMessage()]
    assert len(refusing) == 1 and summary == ["284 API connections were refused while at the limit of 16"]
    assert peak[0] < 8 * MIB
    FIGURES.append(
        f"api attack: 300 connections against a cap of 16: 16 held, 284 refused with !fatal, 1 log line per burst, "
        f"peak Python memory +{peak[0] / MIB:.1f} MiB (ceiling 8 MiB)"
    )


def test_tls_connections_count_against_the_cap_from_accept_and_a_stalled_handshake_times_out(
    router: FakeRouter,
) -> None:
    limits = Limits(max_connections=8, handshake_timeout_s=0.5)
    with start_server(router, router.version, tls=True, limits=limits) as server:
        with memory_peak() as peak:
            socks = [dial(server.host, server.port) for _ in range(60)]  # TCP only: no ClientHello
            assert wait_until(lambda: server.stats.refused == 52)
            assert server.stats.open == 8
            endings = [ending(sock, 3) for sock in socks]
        assert all(got.closed for got in endings)
        assert wait_until(lambda: server.stats.handshake_failures == 8)
        assert server.stats.open == 0
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        good = dial(server.host, server.port, context=context)
        good.sendall(login_bytes())
        assert ending(good, 0.5).replies == [[b"!done"]]
        good.close()
        for sock in socks:
            sock.close()
    assert peak[0] < 16 * MIB  # 8 TLS connections' buffers at most, not 60


# --- wrong logins ---------------------------------------------------------------------------------------------------

QUICK_LOCKOUT = LoginPolicy(
    free_failures=2, base_delay_s=0.1, max_delay_s=0.4, lockout_after=6, window_s=60, lockout_s=1.5
)


def test_the_login_guard_backs_off_locks_out_and_forgets() -> None:
    now = [0.0]
    guard = LoginGuard(LoginPolicy(max_peers=3), clock=lambda: now[0])
    delays = [guard.failed("a") for _ in range(9)]
    assert delays == [0, 0, 0, 0.5, 1, 2, 4, 8, 8]
    assert guard.locked_for("a") == 0
    assert guard.failed("a") == 8 and guard.locked_for("a") == 60  # the 10th failure locks the address out
    now[0] = 59.0
    assert guard.locked_for("a") == pytest.approx(1)
    now[0] = 60.0
    assert guard.locked_for("a") == 0 and guard.failed("a") == 0  # a fresh start
    guard.succeeded("a")
    assert guard.tracked == 0
    guard.failed("b")
    now[0] = 60.0 + 601
    assert guard.failed("b") == 0  # the window is over: counted afresh
    for name in "cdef":
        guard.failed(name)
    assert guard.tracked == 3  # the oldest addresses are forgotten first


def _login_reply(server: RunningServer, password: bytes, source: str | None = None) -> tuple[list[bytes], float]:
    sock = dial(server.host, server.port, source=source)
    started = time.monotonic()
    sock.sendall(login_bytes(b"admin", password))
    decoder = SentenceDecoder()
    replies: list[list[bytes]] = []
    while not replies or replies[-1][0] not in (b"!done", b"!fatal"):
        data = sock.recv(4096)
        if not data:
            break
        replies += decoder.feed(data)
    sock.close()
    return replies[0], time.monotonic() - started


def test_repeated_wrong_logins_back_off_then_lock_out_and_a_correct_login_works_after(router: FakeRouter) -> None:
    credentials = Credentials("admin", "right")
    limits = Limits(login=QUICK_LOCKOUT)
    with start_server(router, router.version, credentials=credentials, limits=limits) as server:
        timings = [_login_reply(server, b"wrong") for _ in range(6)]
        assert all(reply[0] == b"!trap" for reply, _ in timings)
        seconds = [took for _, took in timings]
        assert seconds[0] < 0.08 and seconds[1] < 0.08  # the free failures
        for took, expected in zip(seconds[2:], (0.1, 0.2, 0.4, 0.4), strict=True):
            assert expected - 0.02 < took < expected + 0.3
        locked, _ = _login_reply(server, b"right")  # even the right password, during the lockout
        assert locked[0] == b"!fatal" and locked[1].startswith(b"too many failed logins from 127.0.0.1, try again in")
        other, _ = _login_reply(server, b"right", source="127.0.0.2")  # another address is not locked out
        assert other == [b"!done"]
        time.sleep(1.6)
        assert _login_reply(server, b"right")[0] == [b"!done"]
        stats = server.stats
    assert (stats.login_failures, stats.lockouts) == (6, 1)


def test_a_parallel_brute_force_is_stopped_by_the_lockout_and_its_back_off_does_not_stall_others(
    router: FakeRouter,
) -> None:
    limits = Limits(login=QUICK_LOCKOUT)
    with start_server(router, router.version, credentials=Credentials("admin", "right"), limits=limits) as server:
        client = RawClient(server.host, server.port, source="127.0.0.3")
        client.login(b"admin", b"right")
        with ThreadPoolExecutor(20) as pool:
            attempts = pool.map(lambda n: _login_reply(server, b"guess-%d" % n), range(40))
            time.sleep(0.3)  # the attackers are being held back now; the bystander is not
            started = time.monotonic()
            assert client.command(b"/system/script/print") == [[b"!done"]]
            assert time.monotonic() - started < 0.2
            kinds = [reply[0] for reply, _ in attempts]
        client.close()
        stats = server.stats
    assert kinds.count(b"!trap") <= 6 + 20  # at most those already in flight when the lockout began
    assert kinds.count(b"!fatal") >= 14
    assert stats.login_failures == kinds.count(b"!trap")


# --- logging --------------------------------------------------------------------------------------------------------


def test_a_log_sink_that_never_drains_does_not_stop_the_server(router: FakeRouter) -> None:
    logger, handler = stuck_logger("tests.api.stuck-sink")
    with start_server(router, router.version, limits=Limits(log_queue=50), log=logger) as server:
        with memory_peak() as peak:
            started = time.monotonic()
            for n in range(800):  # each one logs a warning; the sink takes none of them
                sock = dial(server.host, server.port)
                sock.sendall(b"\xf8")
                got = ending(sock, 5)
                sock.close()
                assert got.fatal is not None and b"control byte" in got.fatal[1], f"connection {n}: {got}"
            elapsed = time.monotonic() - started
        assert handler.entered.is_set()
        client = RawClient(server.host, server.port)
        client.login()
        assert client.command(b"/system/script/print") == [[b"!done"]]
        client.close()
        dropped = server.stats.log_dropped
        handler.unblock.set()
    assert dropped >= 800 - 50 - 1
    assert any("were dropped: the log sink was too slow" in message for message in handler.messages)
    assert elapsed < 30 and peak[0] < 8 * MIB
    FIGURES.append(
        f"api attack: 800 bad connections with a log sink that never drains: 800 !fatal in {elapsed:.1f} s, "
        f"{dropped} log records dropped (queue 50), peak Python memory +{peak[0] / MIB:.1f} MiB"
    )


def test_log_records_keep_their_thread_and_reach_the_logger_in_order(router: FakeRouter) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("tests.api.ordered")
    logger.handlers[:] = [Keep()]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    with start_server(router, router.version, credentials=Credentials("admin", "pw"), log=logger) as server:
        client = RawClient(server.host, server.port)
        client.send(b"/login", b"=name=admin", b"=password=bad")
        client.until_done()
        client.login(b"admin", b"pw")
        client.close()
    messages = [record.getMessage() for record in records]
    assert messages[0].startswith("API service listening on 127.0.0.1:")
    assert messages[1].startswith("API login failed for user 'admin' from 127.0.0.1:")
    assert messages[2].startswith("API login by 'admin' from 127.0.0.1:")
    assert records[1].threadName.startswith("api-router") and records[0].threadName == "api-server"
    assert "pw" not in " ".join(messages).replace("API", "")


def test_an_unexpected_error_in_a_connection_is_logged_and_the_server_goes_on(
    router: FakeRouter, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: object, words: list[bytes]) -> object:
        raise RuntimeError("a bug")

    with start_server(router, router.version) as server:
        monkeypatch.setattr("emulator.api.session.Session.handle", broken)
        client = RawClient(server.host, server.port)
        client.send(b"/login")
        assert client.receive() is None  # this connection ends...
        monkeypatch.undo()
        again = RawClient(server.host, server.port)
        again.login()  # ...and the server goes on
        again.close()
        assert server.stats.internal_errors == 1
    assert "internal error" in caplog.text and "RuntimeError: a bug" in caplog.text


def test_threads_do_not_outlive_the_server(router: FakeRouter) -> None:
    before = set(threading.enumerate())
    with start_server(router, router.version) as server:
        RawClient(server.host, server.port).login()
    assert wait_until(lambda: not (set(threading.enumerate()) - before), 5)


# --- the real ``rosbill router serve`` process, its stderr never read -------------------------------------------------


def _peak_rss(pid: int) -> int:
    """VmHWM of a process: the most resident memory it has had (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def _bad_connection(host: str, port: int) -> Ending:
    sock = dial(host, port)
    sock.sendall(b"\xf8")
    try:
        return ending(sock, 5)
    finally:
        sock.close()


def attack_serve_process(bad: int, flood: int) -> dict[str, float]:
    """Start ``rosbill router serve`` with stderr a pipe nobody reads, attack it, and return what was measured."""
    command = [sys.executable, "-m", "generator", "router", "serve", "--port", "0", "--no-users"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().decode() for _ in range(3)]
        found = re.search(r"listening on 127\.0\.0\.1:(\d+)", "".join(lines))
        assert found, lines
        host, port = "127.0.0.1", int(found.group(1))
        time.sleep(0.2)
        before = _peak_rss(process.pid)
        started = time.monotonic()
        pool = ThreadPoolExecutor(4)  # each bad connection logs a warning to the unread stderr
        try:
            for n, got in enumerate(pool.map(lambda _: _bad_connection(host, port), range(bad))):
                assert got.fatal is not None and b"control byte" in got.fatal[1], f"bad connection {n}: {got}"
        finally:
            pool.shutdown(cancel_futures=True)
        bad_seconds = time.monotonic() - started
        socks = [dial(host, port) for _ in range(8)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda sock: pump_huge_word(sock, HUGE, b"\x06/login"), socks))
        huge = [ending(sock, 10) for sock in socks]
        assert all(got.fatal is not None and b"exceeds the limit of 4096" in got.fatal[1] for got in huge)
        held = [dial(host, port) for _ in range(flood)]
        refused = [ending(sock, 2) for sock in held[64:]]
        assert all(got.fatal == [b"!fatal", b"too many connections"] for got in refused)
        for sock in socks + held:
            sock.close()
        time.sleep(0.2)
        client = RawClient(host, port)  # still serving
        client.login()
        assert client.command(b"/system/identity/print")[-1] == [b"!done"]
        client.close()
        after = _peak_rss(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr[-2000:]
    assert b"were dropped: the log sink was too slow" in stderr
    return {"bad_seconds": bad_seconds, "before": before, "after": after}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_router_serve_with_an_unread_stderr_pipe_survives_bad_connections_huge_words_and_a_flood() -> None:
    measured = attack_serve_process(bad=2500, flood=300)
    growth = measured["after"] - measured["before"]
    assert growth < 48 * MIB, f"peak RSS grew by {growth / MIB:.0f} MiB"
    FIGURES.append(
        f"api attack on `rosbill router serve` (stderr never read): 2500 bad connections answered in "
        f"{measured['bad_seconds']:.1f} s, 8 x 48 MiB words before login, 300 connections at once (cap 64): "
        f"peak RSS {measured['before'] / MIB:.0f} -> {measured['after'] / MIB:.0f} MiB (ceiling +48 MiB)"
    )
