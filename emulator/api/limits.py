"""How much the API server gives a client: sentence sizes, timeouts, connections, failed logins, log queue.

A real router has limits of its own that Manual:API does not document; these are the emulator's, chosen so that no
client, broken or hostile, can make the server hold unbounded memory, threads or connections, or keep it waiting
forever, while every legitimate client (``rosbill deploy``, routeros-api, a script source of ~110 KB) stays far inside
them. All are configuration: tests pass small values. docs/simulator.md "API server" lists them with their reasons.

Must not: do I/O or know sessions; :class:`LoginGuard` is the one piece of state here (per-address failure counts).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from emulator.api.wire import AFTER_LOGIN, BEFORE_LOGIN, SentenceLimits


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """Failed logins, counted per peer address (all its connections together).

    The first ``free_failures`` failures are answered at once (typos, a wrong password in a config). The reply to
    each later failure waits ``base_delay_s`` doubled per further failure, at most ``max_delay_s``. The
    ``lockout_after``-th failure within ``window_s`` locks the address out for ``lockout_s``: every ``/login`` from it
    (even a correct one) gets ``!fatal`` and the connection closes. When the lockout ends the count starts afresh; a
    successful login also clears it. At most ``max_peers`` addresses are remembered (the oldest are forgotten first).
    """

    free_failures: int = 3
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    lockout_after: int = 10
    window_s: float = 600.0
    lockout_s: float = 60.0
    max_peers: int = 4096


@dataclass(frozen=True, slots=True)
class Limits:
    """Everything the server bounds; ``start_server(limits=...)`` / ``serve(limits=...)``."""

    #: Sentences before a successful login (a login sentence is a few small words).
    before_login: SentenceLimits = BEFORE_LOGIN
    #: Sentences after login (a word is at most one script source with plenty of headroom).
    after_login: SentenceLimits = AFTER_LOGIN
    #: A connection must have logged in this long after it was accepted (TLS handshake included), or it is closed.
    login_timeout_s: float = 30.0
    #: After login: no sentence begun for this long closes the connection.
    idle_timeout_s: float = 300.0
    #: A sentence must be complete this long after its first byte arrived, however steadily the rest trickles in.
    sentence_timeout_s: float = 30.0
    #: A reply the client does not read (the socket buffers stay full) this long aborts the connection.
    write_timeout_s: float = 30.0
    #: ``api-ssl``: the TLS handshake must finish within this.
    handshake_timeout_s: float = 10.0
    #: Open connections (handshaking, logged in or not); beyond it a new connection is refused at once.
    max_connections: int = 64
    #: Failed logins.
    login: LoginPolicy = field(default_factory=LoginPolicy)
    #: Log records waiting for a slow log sink; beyond it records are dropped and counted.
    log_queue: int = 1000


class LoginGuard:
    """Per-address failed-login counts, lockouts and reply delays (thread-safe: sessions run on the router thread)."""

    def __init__(self, policy: LoginPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self._lock = threading.Lock()
        self._peers: OrderedDict[str, _Peer] = OrderedDict()

    def locked_for(self, address: str) -> float:
        """Seconds left of ``address``'s lockout; 0 when it may try to log in."""
        with self._lock:
            peer = self._current(address)
            return max(0.0, peer.locked_until - self._clock()) if peer is not None else 0.0

    def failed(self, address: str) -> float:
        """Count a failed login of ``address``; the seconds its reply must wait (0 for the first few)."""
        policy = self.policy
        with self._lock:
            now = self._clock()
            peer = self._current(address)
            if peer is None:
                peer = self._peers[address] = _Peer(window_start=now)
                while len(self._peers) > policy.max_peers:
                    self._peers.popitem(last=False)
            self._peers.move_to_end(address)
            peer.failures += 1
            if peer.failures >= policy.lockout_after:
                peer.locked_until = now + policy.lockout_s
            return self.delay(peer.failures)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._peers.pop(address, None)

    def delay(self, failures: int) -> float:
        """The wait before the reply to the ``failures``-th failure in a row."""
        extra = failures - self.policy.free_failures
        if extra <= 0:
            return 0.0
        return min(self.policy.base_delay_s * (1 << min(extra - 1, 64)), self.policy.max_delay_s)

    def _current(self, address: str) -> _Peer | None:
        """The address's record, dropped first if its window or lockout is over (a fresh start)."""
        peer = self._peers.get(address)
        if peer is None:
            return None
        now = self._clock()
        lockout_over = peer.locked_until and now >= peer.locked_until
        window_over = not peer.locked_until and now - peer.window_start > self.policy.window_s
        if lockout_over or window_over:
            del self._peers[address]
            return None
        return peer

    @property
    def tracked(self) -> int:
        with self._lock:
            return len(self._peers)


@dataclass(slots=True)
class _Peer:
    window_start: float
    failures: int = 0
    locked_until: float = 0.0
