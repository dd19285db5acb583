"""The emulated router's API service: TCP (``api``) or TLS (``api-ssl``) on loopback, one ``Session`` per connection.

Two entry points: :func:`start_server` runs the service on a background thread and returns a :class:`RunningServer`
(ephemeral port by default, for tests and for ``rosbill simulate``-style callers); :func:`serve` is what
``rosbill router serve`` calls: it blocks until stopped or interrupted (Ctrl-C reaches the caller as
``KeyboardInterrupt`` after a clean shutdown) and reports the listening address through ``on_ready``.

All router calls of all connections go through one worker thread, so the router (which is not thread-safe) sees one
call at a time, as a script sees it, while the event loop keeps accepting connections and TLS handshakes.

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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from generator.api.faults import Faults, FaultState
from generator.api.sentences import reply_fatal
from generator.api.session import Credentials, Outcome, Session
from generator.api.tls import Certificate, make_certificate
from generator.api.wire import DEFAULT_MAX_WORD, WireError, read_sentence, write_sentences
from generator.dialects import RouterOSVersion
from generator.sim.contract import PowerCut, RouterPort

log = logging.getLogger("generator.api")

#: RouterOS's default service ports (platform.md §5.1).
API_PORT = 8728
API_SSL_PORT = 8729
_START_TIMEOUT = 10.0


class ServerError(RuntimeError):
    """The API service could not start (port in use, no way to make a TLS certificate, ...)."""


@dataclass(frozen=True, slots=True)
class ServerInfo:
    host: str
    port: int
    tls: bool
    certificate: Certificate | None  # with ``tls``: the self-signed certificate (pin ``cert_path`` as the CA)


class RunningServer:
    """A started API service; :meth:`stop` (or leaving the ``with`` block) closes every connection and the port."""

    def __init__(
        self,
        router: RouterPort,
        version: RouterOSVersion,
        credentials: Credentials,
        faults: Faults,
        ssl_context: ssl.SSLContext | None,
        max_word: int,
        private_dir: Path | None = None,
    ) -> None:
        self.router = router
        self.version = version
        self.credentials = credentials
        self.fault_state = FaultState(faults)
        self._ssl = ssl_context
        self._max_word = max_word
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="api-router")
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._clients: set[asyncio.Task[None]] = set()
        self._private_dir = private_dir  # holds a generated certificate; removed by stop()
        self.info = ServerInfo("", 0, ssl_context is not None, None)

    @property
    def host(self) -> str:
        return self.info.host

    @property
    def port(self) -> int:
        return self.info.port

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
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        server = await asyncio.start_server(self._client, host, port, ssl=self._ssl)
        bound = server.sockets[0].getsockname()
        self.info = ServerInfo(bound[0], bound[1], self._ssl is not None, None)
        log.info("API service listening on %s:%d (%s)", bound[0], bound[1], "api-ssl" if self._ssl else "api")
        self._ready.set()
        async with server:
            await self._stopping.wait()
            server.close()
            for task in list(self._clients):
                task.cancel()
            await asyncio.gather(*self._clients, return_exceptions=True)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._clients.add(task)
        address = writer.get_extra_info("peername") or ("?", "?")
        peer = f"{address[0]}:{address[1]}"
        session = Session(self.router, self.version, self.credentials, self.fault_state, peer)
        loop = asyncio.get_running_loop()
        outcome = Outcome([])
        try:
            while True:
                words = await read_sentence(reader, self._max_word)
                if words is None:
                    break
                outcome = await loop.run_in_executor(self._executor, session.handle, words)
                if outcome.cut:
                    break
                if outcome.replies:
                    await write_sentences(writer, outcome.replies)
                if outcome.close:
                    break
        except WireError as bad:
            # A framing error cannot be recovered from: say so and hang up, as a router does with garbage [I].
            log.warning("API connection from %s: %s", peer, bad)
            with contextlib.suppress(ConnectionError, ssl.SSLError, RuntimeError):
                await write_sentences(writer, [reply_fatal(str(bad))])
        except (ConnectionError, ssl.SSLError, asyncio.CancelledError):
            pass
        except PowerCut:
            # The emulated router lost power during this command: the connection drops without a reply, as the
            # TCP connection to a real router does; the server itself goes on (restore_power, then reconnect).
            log.info("API connection from %s: the emulated router lost power", peer)
            outcome = Outcome([], cut=True)
        finally:
            self._clients.discard(task)
            if outcome.cut:
                writer.transport.abort()
            else:
                writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    def stop(self) -> None:
        """Close the port and every connection, wait for the running router call, remove the certificate files."""
        if self._loop is not None and self._stopping is not None and self._thread is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                self._loop.call_soon_threadsafe(self._stopping.set)
            self._thread.join(_START_TIMEOUT)
        self._executor.shutdown(wait=True)
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
    max_word: int = DEFAULT_MAX_WORD,
) -> RunningServer:
    """Start the API service on a background thread; ``port=0`` picks a free port (read it from ``.port``).

    With ``tls`` and no ``certificate`` a self-signed one is made in a private temporary directory that
    :meth:`RunningServer.stop` removes; ``info.certificate.made_with`` says whether ``cryptography`` or ``openssl``
    made it.
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
        router, version, credentials or Credentials(), faults or Faults(), context, max_word, temp_dir
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
) -> None:
    """Run the API service until ``stop`` is set or the process is interrupted (``rosbill router serve``).

    ``port`` defaults to RouterOS's own (8728, or 8729 with ``tls``).
    """
    if port is None:
        port = API_SSL_PORT if tls else API_PORT
    with start_server(
        router, version, host=host, port=port, tls=tls, credentials=credentials, faults=faults
    ) as running:
        if on_ready is not None:
            on_ready(running.info)
        (stop or threading.Event()).wait()
