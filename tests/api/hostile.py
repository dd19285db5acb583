"""Helpers for the hostile-client tests: raw sockets that misbehave, what the server made of them, memory peaks."""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field

from emulator.api.wire import SentenceDecoder, encode_length, encode_sentence

#: Replies a server may send; anything else in a reply is a bug.
REPLY_WORDS = frozenset({b"!done", b"!trap", b"!re", b"!empty", b"!fatal"})
MIB = 1024 * 1024


@dataclass
class Ending:
    """What a connection got back: the reply sentences, and whether (and when) the server closed it."""

    replies: list[list[bytes]] = field(default_factory=list)
    closed: bool = False
    seconds: float = 0.0
    garbled: bool = False  # the server sent bytes that are not API sentences

    @property
    def fatal(self) -> list[bytes] | None:
        return next((reply for reply in self.replies if reply and reply[0] == b"!fatal"), None)

    @property
    def kind(self) -> str:
        if not self.closed:
            return "open"
        if self.fatal is not None:
            return "fatal"
        return "replies+close" if self.replies else "close"


def dial(
    host: str, port: int, *, source: str | None = None, context: ssl.SSLContext | None = None, timeout: float = 10
) -> socket.socket:
    sock = socket.create_connection((host, port), timeout=timeout, source_address=(source, 0) if source else None)
    return context.wrap_socket(sock, server_hostname=host) if context else sock


def ending(sock: socket.socket, within: float) -> Ending:
    """Read replies until the server closes the connection or ``within`` seconds pass."""
    result = Ending()
    decoder = SentenceDecoder()
    started = time.monotonic()
    deadline = started + within
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except TimeoutError:
            break
        except (ConnectionError, ssl.SSLError, OSError):
            data = b""
        if not data:
            result.closed = True
            break
        try:
            result.replies.extend(decoder.feed(data))
        except ValueError:
            result.garbled = True
    result.seconds = time.monotonic() - started
    result.garbled = result.garbled or any(not reply or reply[0] not in REPLY_WORDS for reply in result.replies)
    return result


def send_quietly(sock: socket.socket, data: bytes) -> bool:
    """Send, ignoring a server that has already hung up; False when it had."""
    try:
        sock.sendall(data)
    except (ConnectionError, ssl.SSLError, OSError):
        return False
    return True


def pump_huge_word(sock: socket.socket, length: int, prefix: bytes = b"", chunk: int = 64 * 1024) -> int:
    """Announce a word of ``length`` bytes and stream its body from one reused buffer (the attacker holds no more
    than ``chunk`` bytes); the number of body bytes the kernel accepted before the server hung up."""
    block = b"A" * chunk
    if not send_quietly(sock, prefix + encode_length(length)):
        return 0
    sent = 0
    while sent < length:
        if not send_quietly(sock, block[: min(chunk, length - sent)]):
            break
        sent += min(chunk, length - sent)
    return sent


def login_bytes(user: bytes = b"admin", password: bytes = b"") -> bytes:
    return encode_sentence([b"/login", b"=name=" + user, b"=password=" + password])


@contextlib.contextmanager
def memory_peak() -> Iterator[list[int]]:
    """Peak bytes allocated by Python (every thread, tracemalloc) inside the block, above what was live at its start;
    the yielded list gets the one number when the block ends."""
    out: list[int] = []
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    start, _ = tracemalloc.get_traced_memory()
    try:
        yield out
    finally:
        _, peak = tracemalloc.get_traced_memory()
        if not was_tracing:
            tracemalloc.stop()
        out.append(max(0, peak - start))


class StuckHandler(logging.Handler):
    """A log sink that never drains until released: every ``emit`` waits on ``unblock``."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.unblock = threading.Event()
        self.entered = threading.Event()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.entered.set()
        self.unblock.wait()
        self.messages.append(record.getMessage())


def stuck_logger(name: str) -> tuple[logging.Logger, StuckHandler]:
    logger = logging.getLogger(name)
    logger.handlers.clear()
    handler = StuckHandler()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger, handler


def wait_until(condition: object, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.01)
    return bool(callable(condition) and condition())
