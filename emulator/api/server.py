"""The emulated router's API service: TCP (``api``) or TLS (``api-ssl``) on loopback, one ``Session`` per connection.

Two entry points: :func:`start_server` runs the service on a background thread and returns a :class:`RunningServer`
(ephemeral port by default, for tests and for ``rosbill simulate``-style callers); :func:`serve` is what
``rosbill router serve`` calls: it blocks until stopped or interrupted (Ctrl-C reaches the caller as
``KeyboardInterrupt`` after a clean shutdown) and reports the listening address through ``on_ready``.

All router calls of all connections go through one worker thread, so the router (which is not thread-safe) sees one
call at a time, as a script sees it, while the event loop keeps accepting connections and TLS handshakes.

A hostile or broken client gets no more than :class:`~emulator.api.limits.Limits` allows: words and sentences are
bounded before and after login (``!fatal`` and close on the length prefix, nothing more is read), a connection must
log in within ``login_timeout_s``, a logged-in one that says nothing for ``idle_timeout_s`` and a sentence that takes
longer than ``sentence_timeout_s`` are closed, a reply nobody reads aborts the connection after ``write_timeout_s``,
at most ``max_connections`` are open (the TLS handshake counts: it happens after admission), and failed logins back
off and lock out per peer address (``LoginGuard``). Logging goes through :class:`~emulator.api.logsink.ServerLog`, a
bounded queue, so a log sink that does not drain (an unread stderr pipe) never stalls the event loop or the router
thread. :attr:`RunningServer.stats` counts what happened.

Must not: print (the CLI prints what ``on_ready`` hands it), log passwords, or compare RouterOS versions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import ssl
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from emulator.api.faults import Faults, FaultState
from emulator.api.limits import Limits, LoginGuard
from emulator.api.logsink import ServerLog
from emulator.api.sentences import reply_fatal
from emulator.api.session import Credentials, Outcome, Session
from emulator.api.tls import Certificate, make_certificate
from emulator.api.wire import (
    LimitExceeded,
    ReadTimeout,
    WireError,
    encode_sentence,
    read_sentence,
    write_sentences,
)
from emulator.contract import PowerCut, RouterPort
from emulator.version import RouterOSVersion

LOGGER = "emulator.api"

#: RouterOS's default service ports (platform.md §5.1).
API_PORT = 8728
API_SSL_PORT = 8729
_START_TIMEOUT = 10.0
#: asyncio.StreamReader buffer limit: reading pauses once twice this is buffered and not yet consumed.
_READ_BUFFER = 64 * 1024


class ServerError(RuntimeError):
    """The API service could not start (port in use, no way to make a TLS certificate, ...)."""


@dataclass(frozen=True, slots=True)
class ServerInfo:
    host: str
    port: int
    tls: bool
    certificate: Certificate | None  # with ``tls``: the self-signed certificate (pin ``cert_path`` as the CA)


@dataclass(frozen=True, slots=True)
class ServerStats:
    """What the server has seen since it started (a snapshot; :attr:`RunningServer.stats`)."""

    open: int = 0  # connections open now
    peak_open: int = 0
    accepted: int = 0
    refused: int = 0  # over ``max_connections``
    framing_errors: int = 0  # control byte, malformed length, EOF inside a sentence
    over_limit: int = 0  # a word or sentence over its limit
    login_timeouts: int = 0
    idle_timeouts: int = 0
    sentence_timeouts: int = 0
    write_timeouts: int = 0
    handshake_failures: int = 0
    login_failures: int = 0
    lockouts: int = 0  # logins refused because the address is locked out
    internal_errors: int = 0  # an exception the server did not expect (a bug); logged with its traceback
    log_dropped: int = 0  # log records dropped because the log sink was too slow


class _Protocol(asyncio.StreamReaderProtocol):
    """On an ``api-ssl`` port, stops reading at once, so that no TLS byte reaches the plain stream before the
    connection is admitted and ``start_tls`` takes over the socket."""

    def __init__(self, reader: asyncio.StreamReader, callback: Any, tls: bool) -> None:
        super().__init__(reader, callback)
        self._tls = tls

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._tls and isinstance(transport, asyncio.ReadTransport):
            transport.pause_reading()
        super().connection_made(transport)


class _Stalled(Exception):
    """The client does not read its replies (``write_timeout_s``)."""


class RunningServer:
    """A started API service; :meth:`stop` (or leaving the ``with`` block) closes every connection and the port."""

    def __init__(
        self,
        router: RouterPort,
        version: RouterOSVersion,
        credentials: Credentials,
        faults: Faults,
        ssl_context: ssl.SSLContext | None,
        limits: Limits | None = None,
        private_dir: Path | None = None,
        log: logging.Logger | None = None,
    ) -> None:
        self.router = router
        self.version = version
        self.credentials = credentials
        self.fault_state = FaultState(faults)
        self.limits = limits or Limits()
        self.login_guard = LoginGuard(self.limits.login)
        self._ssl = ssl_context
        self._log = ServerLog(log or logging.getLogger(LOGGER), self.limits.log_queue)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="api-router")
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._clients: set[asyncio.Task[None]] = set()
        self._counts: Counter[str] = Counter()  # changed on the event loop thread only
        self._refusing = 0  # connections refused in the current burst
        self._private_dir = private_dir  # holds a generated certificate; removed by stop()
        self.info = ServerInfo("", 0, ssl_context is not None, None)

    @property
    def host(self) -> str:
        return self.info.host

    @property
    def port(self) -> int:
        return self.info.port

    @property
    def stats(self) -> ServerStats:
        counts = dict(self._counts)
        return ServerStats(open=len(self._clients), log_dropped=self._log.dropped, **counts)

    def _start(self, host: str, port: int, certificate: Certificate | None) -> None:
        self._thread = threading.Thread(target=self._run, args=(host, port), name="api-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(_START_TIMEOUT):
            raise ServerError(f"the API service did not start on {host}:{port} within {_START_TIMEOUT:.0f} s")
        if self._error is not None:
            self.stop()
            raise ServerError(f"cannot listen on {host}:{port}: {self._error}") from self._error
        self.info = ServerInfo(self.info.host, self.info.port, self.info.tls, certificate)

    def _run(self, host: str, port: int) -> None:
        try:
            asyncio.run(self._main(host, port))
        except BaseException as error:  # reported to the starting thread; nothing else can catch it here
            self._error = error
            self._ready.set()

    async def _main(self, host: str, port: int) -> None:
        self._loop = loop = asyncio.get_running_loop()
        loop.set_exception_handler(self._loop_exception)
        self._stopping = asyncio.Event()
        tls = self._ssl is not None

        def protocol() -> _Protocol:
            return _Protocol(asyncio.StreamReader(_READ_BUFFER), self._client, tls)

        server = await loop.create_server(protocol, host, port)
        bound = server.sockets[0].getsockname()
        self.info = ServerInfo(bound[0], bound[1], tls, None)
        self._log.info("API service listening on %s:%d (%s)", bound[0], bound[1], "api-ssl" if tls else "api")
        self._ready.set()
        async with server:
            await self._stopping.wait()
            server.close()
            for task in list(self._clients):
                task.cancel()
            await asyncio.gather(*self._clients, return_exceptions=True)
        self._end_burst()

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """asyncio's own error reports (an unhandled exception in a callback) go to the queue, never to stderr."""
        self._counts["internal_errors"] += 1
        error = context.get("exception")
        self._log.error("API server event loop: %s%s", context.get("message", "?"), f" ({error!r})" if error else "")

    # --- one connection --------------------------------------------------------------------------------------------

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        address = writer.get_extra_info("peername") or ("?", "?")
        peer = f"{address[0]}:{address[1]}"
        if len(self._clients) >= self.limits.max_connections:
            self._refuse(writer)
            return
        self._clients.add(task)
        self._admitted()
        outcome = Outcome([])
        try:
            if self._ssl is not None:
                try:
                    await writer.start_tls(self._ssl, ssl_handshake_timeout=self.limits.handshake_timeout_s)
                except (ConnectionError, ssl.SSLError, OSError) as failed:
                    self._counts["handshake_failures"] += 1
                    self._log.info("API connection from %s: TLS handshake failed: %s", peer, failed)
                    outcome = Outcome([], cut=True)
                    return
            outcome = await self._converse(reader, writer, str(address[0]), peer)
        except _Stalled:
            self._counts["write_timeouts"] += 1
            self._log.warning("API connection from %s: replies not read for %g s", peer, self.limits.write_timeout_s)
            outcome = Outcome([], cut=True)
        except (ConnectionError, ssl.SSLError, asyncio.CancelledError):
            pass
        except PowerCut:
            # The emulated router lost power during this command: the connection drops without a reply, as the
            # TCP connection to a real router does; the server itself goes on (restore_power, then reconnect).
            self._log.info("API connection from %s: the emulated router lost power", peer)
            outcome = Outcome([], cut=True)
        except Exception:  # a server bug: this connection ends, the server goes on
            self._counts["internal_errors"] += 1
            self._log.exception("API connection from %s: internal error", peer)
            outcome = Outcome([], cut=True)
        finally:
            self._clients.discard(task)
            if outcome.cut:
                writer.transport.abort()
            else:
                writer.close()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(self.limits.write_timeout_s):
                    await writer.wait_closed()

    async def _converse(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, peer: str
    ) -> Outcome:
        """Read sentences and answer them until the client leaves or breaks a limit; the last outcome."""
        limits = self.limits
        session = Session(
            self.router, self.version, self.credentials, self.fault_state, peer,
            guard=self.login_guard, address=host, log=self._log,
        )  # fmt: skip
        loop = asyncio.get_running_loop()
        login_deadline = loop.time() + limits.login_timeout_s
        while True:
            logged_in = session.logged_in
            if logged_in:
                bounds, idle, slow = limits.after_login, limits.idle_timeout_s, limits.sentence_timeout_s
            else:
                idle = max(0.0, login_deadline - loop.time())
                bounds, slow = limits.before_login, min(limits.sentence_timeout_s, idle)
            try:
                words = await read_sentence(reader, bounds, idle_timeout=idle, sentence_timeout=slow)
            except ReadTimeout as late:
                if not logged_in and (late.kind == "idle" or slow < limits.sentence_timeout_s):
                    kind, reason = "login_timeouts", f"not logged in within {limits.login_timeout_s:g} s"
                elif late.kind == "idle":
                    kind, reason = "idle_timeouts", f"idle for {idle:g} s"
                else:
                    kind, reason = "sentence_timeouts", str(late)
                return await self._fatal(writer, peer, kind, reason)
            except LimitExceeded as big:
                return await self._fatal(writer, peer, "over_limit", f"{big}{'' if logged_in else ' before login'}")
            except WireError as bad:
                # A framing error cannot be recovered from: say so and hang up, as a router does with garbage [I].
                return await self._fatal(writer, peer, "framing_errors", str(bad))
            if words is None:
                return Outcome([])
            outcome = await loop.run_in_executor(self._executor, session.handle, words)
            self._counts["login_failures"] += outcome.login_failed
            self._counts["lockouts"] += outcome.locked_out
            if outcome.cut:
                return outcome
            if outcome.delay:
                await asyncio.sleep(outcome.delay)
            if outcome.replies:
                await self._write(writer, outcome.replies)
            if outcome.close:
                return outcome

    async def _write(self, writer: asyncio.StreamWriter, replies: list[list[bytes]]) -> None:
        try:
            async with asyncio.timeout(self.limits.write_timeout_s):
                await write_sentences(writer, replies)
        except TimeoutError:
            raise _Stalled from None

    async def _fatal(self, writer: asyncio.StreamWriter, peer: str, kind: str, reason: str) -> Outcome:
        """``!fatal reason``, then the connection closes (the caller's ``finally``)."""
        self._counts[kind] += 1
        self._log.warning("API connection from %s: %s", peer, reason)
        with contextlib.suppress(ConnectionError, ssl.SSLError, RuntimeError, _Stalled):
            await self._write(writer, [reply_fatal(reason)])
        return Outcome([])

    def _refuse(self, writer: asyncio.StreamWriter) -> None:
        """Over ``max_connections``: close at once (plain API: after a ``!fatal``); logged once per burst."""
        self._counts["refused"] += 1
        self._refusing += 1
        if self._refusing == 1:
            self._log.warning(
                "API connection limit reached (%d open): refusing new connections", self.limits.max_connections
            )
        if self._ssl is None:
            writer.transport.write(encode_sentence(reply_fatal("too many connections")))
            writer.transport.close()
        else:
            writer.transport.abort()

    def _admitted(self) -> None:
        self._end_burst()
        self._counts["accepted"] += 1
        self._counts["peak_open"] = max(self._counts["peak_open"], len(self._clients))

    def _end_burst(self) -> None:
        if self._refusing:
            self._log.warning(
                "%d API connections were refused while at the limit of %d", self._refusing, self.limits.max_connections
            )
            self._refusing = 0

    def stop(self) -> None:
        """Close the port and every connection, wait for the running router call, remove the certificate files."""
        if self._loop is not None and self._stopping is not None and self._thread is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                self._loop.call_soon_threadsafe(self._stopping.set)
            self._thread.join(_START_TIMEOUT)
        self._executor.shutdown(wait=True)
        self._log.close()
        if self._private_dir is not None:
            shutil.rmtree(self._private_dir, ignore_errors=True)
            self._private_dir = None

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def start_server(
    router: RouterPort,
    version: RouterOSVersion,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    tls: bool = False,
    credentials: Credentials | None = None,
    faults: Faults | None = None,
    certificate: Certificate | None = None,
    limits: Limits | None = None,
    log: logging.Logger | None = None,
) -> RunningServer:
    """Start the API service on a background thread; ``port=0`` picks a free port (read it from ``.port``).

    With ``tls`` and no ``certificate`` a self-signed one is made in a private temporary directory that
    :meth:`RunningServer.stop` removes; ``info.certificate.made_with`` says whether ``cryptography`` or ``openssl``
    made it. ``limits`` bounds what clients may do (default :class:`Limits`); ``log`` is the logger the server's
    records go to (default ``emulator.api``), always through a bounded queue.
    """
    temp_dir: Path | None = None
    context: ssl.SSLContext | None = None
    if tls:
        if certificate is None:
            temp_dir = Path(tempfile.mkdtemp(prefix="rosbill-api-tls-"))
            try:
                certificate = make_certificate(temp_dir)
            except Exception as error:
                shutil.rmtree(temp_dir, ignore_errors=True)
                raise ServerError(str(error)) from error
        context = certificate.server_context()
    running = RunningServer(
        router, version, credentials or Credentials(), faults or Faults(), context, limits, temp_dir, log
    )
    running._start(host, port, certificate if tls else None)
    return running


def serve(
    router: RouterPort,
    version: RouterOSVersion,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    tls: bool = False,
    credentials: Credentials | None = None,
    faults: Faults | None = None,
    on_ready: Callable[[ServerInfo], None] | None = None,
    stop: threading.Event | None = None,
    limits: Limits | None = None,
    log: logging.Logger | None = None,
) -> None:
    """Run the API service until ``stop`` is set or the process is interrupted (``rosbill router serve``).

    ``port`` defaults to RouterOS's own (8728, or 8729 with ``tls``); ``limits`` and ``log`` as for
    :func:`start_server`.
    """
    if port is None:
        port = API_SSL_PORT if tls else API_PORT
    options: dict[str, Any] = {"credentials": credentials, "faults": faults, "limits": limits, "log": log}
    with start_server(router, version, host=host, port=port, tls=tls, **options) as running:
        if on_ready is not None:
            on_ready(running.info)
        (stop or threading.Event()).wait()
