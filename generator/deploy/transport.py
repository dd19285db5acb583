"""The live router behind a small interface: :class:`Target` is what preflight, plan reading and apply need;
:class:`ApiTarget` implements it with routeros-api over ``api-ssl`` (default) or the plain API.

TLS (platform.md §5.1, §5.3): ``api-ssl`` is ordinary TLS when the router has a certificate. rosbill verifies it with
the config's ``ca_file`` (chain and host name), or pins the SHA-256 fingerprint of a self-signed certificate
(``fingerprint``: checked right after the handshake, before the password is sent), or, with neither, uses the system's
trusted CAs. The plain API (8728) is used only when the config says ``tls: false``.

Time (``--timeout``, ``--deadline``): every wait — the name lookup, the TCP connect, the TLS handshake, each send
and each receive — lasts at most ``Endpoint.timeout`` and never past the router's :class:`Deadline`, which bounds its
whole deploy: a router sending one byte at a time would otherwise restart the per-read timeout forever. routeros-api's
pool is used with its socket made here (:class:`_Pool`), everything else of it as it is.

Values travel as bytes through routeros-api's binary resources, so script sources round-trip byte for byte and
routeros-api never logs a value (it warns with the value when handed ``str``, [SEEN] S14 ``encoding_decorator``).

Must not: print or log values, or pass on routeros-api's exception texts: they contain the whole command sentence,
passwords included (S14 ``AsynchronousResponse.error_as_exception``); only the router's own ``!trap`` message is kept.
Must not decide what to write (``apply.py``).
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import routeros_api  # type: ignore[import-untyped]
from routeros_api import api as api_module
from routeros_api import api_communicator, api_socket, base_api
from routeros_api import exceptions as api_errors

from generator.config import RouterConfig
from generator.deploy.credentials import Secret
from generator.errors import DeployError

Row = dict[str, bytes]
#: Commands that change nothing on the router; everything else counts as a write (as does ``/import`` without
#: ``dry-run``).
READ_COMMANDS = frozenset({"print", "get", "getall", "login"})
DEFAULT_TIMEOUT = 15.0  # routeros-api's own socket default (S14)
#: The longest one router's deploy or rollback may take in all (``--deadline``); a restore gets as long again.
DEFAULT_DEADLINE = 120.0


class TransportError(DeployError):
    """The link failed: refused or timed-out connection, TLS failure, connection cut mid-command."""


class DeadlineExceeded(TransportError):
    """The router's deadline passed (a router that answers, but too slowly, e.g. one byte at a time)."""


class Deadline:
    """The time one router's deploy may take, from its start. Every socket wait of the connections that carry it
    waits at most :meth:`remaining`, so a router that trickles bytes cannot hold rosbill past it (a per-read timeout
    alone restarts with every byte). Time spent waiting for the operator (:meth:`paused`) does not count.

    Not shared between threads: one per router (each router's deploy runs on its own thread).
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._ends = clock() + seconds

    def remaining(self) -> float:
        return self._ends - self._clock()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def wait(self, longest: float) -> float:
        """How long the next socket wait may take: ``longest`` (the per-answer timeout), or what is left if less;
        ``TimeoutError`` when nothing is left."""
        left = self.remaining()
        if left <= 0:
            raise TimeoutError("deadline passed")
        return min(longest, left)

    def renew(self) -> None:
        """A fresh allowance of the same length, from now (for restoring the backup after a failure)."""
        self._ends = self._clock() + self.seconds

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """The time inside does not count (the operator reading the plan and answering)."""
        began = self._clock()
        try:
            yield
        finally:
            self._ends += self._clock() - began

    def describe(self) -> str:
        return f"the deadline of {self.seconds:g} s (--deadline)"


class TlsRefused(TransportError):
    """The router's certificate was not accepted; nothing (no password) was sent."""


class LoginFailed(DeployError):
    """The router refused the API login."""


class Refused(DeployError):
    """The router answered ``!trap``: the command did not run. ``message`` is the router's own text."""

    def __init__(self, label: str, command: str, message: str) -> None:
        self.command = command
        self.message = message
        super().__init__(f"{label}: {command}: {message}")

    @property
    def missing(self) -> bool:
        """The menu or command does not exist on this router (Manual:API wording)."""
        return self.message in ("no such command prefix", "no such command")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where and how to reach one router's API; no password (that travels separately as a Secret)."""

    name: str
    host: str
    port: int
    tls: bool
    user: str
    ca_file: str | None = None
    fingerprint: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def of(cls, router: RouterConfig, timeout: float = DEFAULT_TIMEOUT) -> Endpoint:
        return cls(router.name, router.host, router.api_port, router.tls, router.user, router.ca_file,
                   router.fingerprint, timeout)  # fmt: skip

    @property
    def label(self) -> str:
        return f"{self.name} ({self.host}:{self.port}, {'api-ssl' if self.tls else 'api, no TLS'})"


def fingerprint_of(der: bytes) -> str:
    """SHA-256 of a DER certificate as ``AB:CD:…`` (the form RouterOS and openssl print)."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normalise_fingerprint(text: str) -> str:
    bare = text.replace(":", "").strip().upper()
    return ":".join(bare[i : i + 2] for i in range(0, len(bare), 2))


class _FingerprintMismatch(Exception):
    def __init__(self, presented: str) -> None:
        super().__init__(presented)
        self.presented = presented


class _ClientContext(ssl.SSLContext):
    """The client TLS context. With ``pinned`` it accepts exactly one certificate, by its SHA-256 fingerprint: chain
    and host name checks are then off (a self-signed router certificate passes neither) and the pin replaces them. The
    pin is checked inside ``wrap_socket``, i.e. after the handshake and before routeros-api sends the login."""

    pinned: str | None = None

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        raw = args[0] if args else kwargs.get("sock")
        if isinstance(raw, socket.socket):
            _no_delay(raw)  # before the handshake and the login, not only after
        wrapped = super().wrap_socket(*args, **kwargs)
        if self.pinned is not None:
            der = wrapped.getpeercert(binary_form=True)
            presented = fingerprint_of(der) if der else "(no certificate)"
            if presented != self.pinned:
                wrapped.close()
                raise _FingerprintMismatch(presented)
        return wrapped


def tls_context(endpoint: Endpoint) -> ssl.SSLContext | None:
    """The client TLS context for the endpoint, or None for the plain API (``tls: false``)."""
    if not endpoint.tls:
        return None
    context = _ClientContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and host name checks by default
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if endpoint.fingerprint:
        context.pinned = normalise_fingerprint(endpoint.fingerprint)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        if endpoint.ca_file:  # both given: the chain must verify *and* the certificate must be the pinned one
            context.load_verify_locations(cafile=endpoint.ca_file)
            context.verify_mode = ssl.CERT_REQUIRED
    elif endpoint.ca_file:
        context.load_verify_locations(cafile=endpoint.ca_file)
    else:
        context.load_default_certs()
    return context


class Target(abc.ABC):
    """One connection to one router. ``commands`` records each command path sent (never values)."""

    label: str

    def __init__(self, label: str) -> None:
        self.label = label
        self.commands: list[str] = []

    @property
    def round_trips(self) -> int:
        return len(self.commands)

    @property
    def writes(self) -> int:
        return sum(1 for c in self.commands if c.rsplit("/", 1)[-1] not in READ_COMMANDS and c != "/import dry-run")

    @abc.abstractmethod
    def print(
        self, menu: str, proplist: Sequence[str] | None = None, query: Mapping[str, bytes] | None = None
    ) -> list[Row]:
        """Rows of ``menu`` (``.id`` under the key ``.id``); ``query`` is ``?name=value`` equality."""

    @abc.abstractmethod
    def command(self, menu: str, command: str, args: Mapping[str, bytes]) -> Row:
        """Runs one command; returns the ``!done`` attributes (``ret`` for ``add``)."""

    def close(self) -> None:  # noqa: B027 - optional for fakes
        """Ends the connection."""

    def add(self, menu: str, values: Mapping[str, bytes]) -> str:
        return self.command(menu, "add", values).get("ret", b"").decode("ascii", "replace")

    def set(self, menu: str, item_id: str | None, values: Mapping[str, bytes]) -> None:
        self.command(menu, "set", ({".id": item_id.encode()} if item_id else {}) | dict(values))

    def remove(self, menu: str, item_id: str) -> None:
        self.command(menu, "remove", {".id": item_id.encode()})


class ApiTarget(Target):
    """routeros-api (≥0.21, plaintext login for 6.43+, platform.md §5.3) on one socket; not thread-safe (S14 #19)."""

    def __init__(self, endpoint: Endpoint, pool: routeros_api.RouterOsApiPool, api: Any, deadline: Deadline) -> None:
        super().__init__(endpoint.label)
        self.endpoint = endpoint
        self.deadline = deadline
        self._pool = pool
        self._api = api

    @classmethod
    def connect(cls, endpoint: Endpoint, password: Secret, deadline: Deadline | None = None) -> ApiTarget:
        """Connects and logs in. Every wait (name lookup, TCP connect, TLS handshake, each read and write) lasts at
        most ``endpoint.timeout`` and never past ``deadline`` (default: :data:`DEFAULT_DEADLINE` from now)."""
        deadline = deadline or Deadline(DEFAULT_DEADLINE)
        context = tls_context(endpoint)
        pool = _Pool(
            endpoint.host, username=endpoint.user, password=password.reveal(), port=endpoint.port,
            plaintext_login=True, use_ssl=context is not None, ssl_context=context,
        )  # fmt: skip
        pool.deadline = deadline
        # No timeout parameter on the pool (S14 #97): the class default is read when the socket is made.
        pool.socket_timeout = endpoint.timeout
        try:
            api = pool.get_api()
        except _FingerprintMismatch as mismatch:
            raise TlsRefused(
                f"{endpoint.label}: the router's certificate has fingerprint {mismatch.presented}, but the config pins "
                f"{normalise_fingerprint(endpoint.fingerprint or '')}; refusing (no password was sent)"
            ) from None
        except ssl.SSLCertVerificationError as bad:
            raise TlsRefused(
                f"{endpoint.label}: the router's certificate is not trusted ({bad.verify_message}); give ca_file: or "
                "pin its fingerprint: in the config (no password was sent)"
            ) from None
        except api_errors.RouterOsApiCommunicationError as trap:
            raise LoginFailed(
                f"{endpoint.label}: the router refused the login of user {endpoint.user!r}: "
                f"{_text(trap.original_message)}"
            ) from None
        except (api_errors.RouterOsApiError, OSError) as failure:
            pool.disconnect()
            if deadline.expired:
                raise DeadlineExceeded(
                    f"{endpoint.label}: {deadline.describe()} passed while connecting and logging in"
                ) from None
            raise TransportError(f"{endpoint.label}: cannot connect: {_reason(failure)}") from None
        finally:
            pool.password = ""  # reconnects go through connect() again; the pool need not keep it
        target = cls(endpoint, pool, api, deadline)
        target.commands.append("/login")
        return target

    def print(
        self, menu: str, proplist: Sequence[str] | None = None, query: Mapping[str, bytes] | None = None
    ) -> list[Row]:
        args = {".proplist": ",".join(proplist).encode()} if proplist else {}
        response = self._call(menu, "print", args, query)
        return [{(".id" if key == "id" else key): value for key, value in row.items()} for row in response]

    def command(self, menu: str, command: str, args: Mapping[str, bytes]) -> Row:
        response = self._call(menu, command, args, None)
        return dict(response.done_message)

    def _call(self, menu: str, command: str, args: Mapping[str, bytes], query: Mapping[str, bytes] | None) -> Any:
        name = f"{menu.rstrip('/')}/{command}"
        self.commands.append("/import dry-run" if command == "import" and "dry-run" in args else name)
        try:
            return self._api.get_binary_resource(menu).call(command, dict(args), dict(query or {}))
        except api_errors.RouterOsApiCommunicationError as trap:
            raise Refused(self.label, name, _text(trap.original_message)) from None
        except (api_errors.RouterOsApiError, OSError) as failure:
            self._pool.disconnect()
            if self.deadline.expired:
                raise DeadlineExceeded(f"{self.label}: {self.deadline.describe()} passed during {name}") from None
            raise TransportError(f"{self.label}: connection lost during {name}: {_reason(failure)}") from None

    def close(self) -> None:
        self._pool.disconnect()


class _Pool(routeros_api.RouterOsApiPool):  # type: ignore[misc]
    """routeros-api's pool, connecting through :func:`_open` so that every wait keeps to the deadline (the pool's own
    ``get_socket`` sets one timeout per read, which a router sending a byte at a time never reaches). The rest is
    ``RouterOsApiPool.get_api`` of routeros-api 0.21 (pinned ``<0.22`` in pyproject.toml)."""

    deadline: Deadline
    connected: bool
    socket: Any
    api: Any

    def get_api(self) -> Any:
        if not self.connected:
            self.socket = _open(self.host, self.port, self.ssl_context, self.socket_timeout, self.deadline)
            communicator = api_communicator.ApiCommunicator(base_api.Connection(self.socket))
            self.api = api_module.RouterOsApi(communicator)
            for handler in self._get_exception_handlers():
                communicator.add_exception_handler(handler)
            self.api.login(self.username, self.password, self.plaintext_login)
            self.connected = True
        return self.api


class _DeadlineSocket(api_socket.SocketWrapper):  # type: ignore[misc]
    """routeros-api's socket wrapper, each send and receive waiting at most ``timeout`` and never past the deadline."""

    def __init__(self, sock: socket.socket, timeout: float, deadline: Deadline) -> None:
        super().__init__(sock)
        self.timeout = timeout
        self.deadline = deadline

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:  # not sendall: on a TLS socket each of its partial sends would get the whole timeout again
            self.socket.settimeout(self.deadline.wait(self.timeout))
            view = view[self.socket.send(view) :]

    def _receive_and_check_connection(self, length: int) -> bytes:
        self.socket.settimeout(self.deadline.wait(self.timeout))
        data: bytes = self.socket.recv(length)
        if not data:
            raise api_errors.RouterOsApiConnectionClosedError
        return data

    def settimeout(self, timeout: float) -> None:
        self.timeout = timeout


def _open(host: str, port: int, context: ssl.SSLContext | None, timeout: float, deadline: Deadline) -> _DeadlineSocket:
    """A connected (and with ``context``, TLS-wrapped) socket; name lookup, connect and handshake keep to the
    deadline too."""
    last: OSError = OSError("no address")
    for family, kind, proto, _, address in _addresses(host, port, timeout, deadline):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(deadline.wait(timeout))
            sock.connect(address)
        except OSError as error:
            sock.close()
            last = error
            continue
        break
    else:
        raise last
    try:
        api_socket.set_keepalive(sock, after_idle_sec=10)
        if context is not None:
            # One handshake is one call: CPython bounds all of it by the socket's timeout (not per read).
            sock.settimeout(deadline.wait(timeout))
            sock = context.wrap_socket(sock, server_hostname=host)
    except BaseException:
        sock.close()
        raise
    _no_delay(sock)
    return _DeadlineSocket(sock, timeout, deadline)


def _addresses(host: str, port: int, timeout: float, deadline: Deadline) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` for TCP, on a helper thread for a host name so a slow resolver cannot outlast the deadline."""
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)  # numeric: no lookup, no wait
    found: list[Any] = []

    def lookup() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as error:
            found.append(error)

    helper = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    helper.start()
    helper.join(deadline.wait(timeout))
    if not found:
        raise TimeoutError(f"looking up {host}")
    if isinstance(found[0], OSError):
        raise found[0]
    return list(found[0])


def _no_delay(sock: socket.socket) -> None:
    """routeros-api sends each word with its own ``sendall``; with Nagle's algorithm the second small segment waits for
    the peer's delayed ACK (~40 ms per command). Commands are request/response, so send at once."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _text(message: Any) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def _reason(failure: BaseException) -> str:
    """A cause without routeros-api's message text (which may quote the command and its values)."""
    if isinstance(failure, TimeoutError):
        return "timed out"
    if isinstance(failure, api_errors.RouterOsApiConnectionClosedError):
        return "the router closed the connection"
    if isinstance(failure, ssl.SSLError):
        return f"TLS error ({failure.reason or 'handshake failed'})"
    if isinstance(failure, api_errors.RouterOsApiConnectionError):
        inner = failure.args[0] if failure.args else None
        if isinstance(inner, OSError):
            return _reason(inner)
        # base_api wraps socket errors as str(socket.error): the operating system's words, no command text.
        return inner if isinstance(inner, str) and inner else "connection error"
    if isinstance(failure, OSError):
        return failure.strerror or type(failure).__name__
    return type(failure).__name__
