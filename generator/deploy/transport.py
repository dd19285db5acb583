"""The live router behind a small interface: :class:`Target` is what preflight, plan reading and apply need;
:class:`ApiTarget` implements it with routeros-api over ``api-ssl`` (default) or the plain API.

TLS (platform.md §5.1, §5.3): ``api-ssl`` is ordinary TLS when the router has a certificate. rosbill verifies it with
the config's ``ca_file`` (chain and host name), or pins the SHA-256 fingerprint of a self-signed certificate
(``fingerprint``: checked right after the handshake, before the password is sent), or, with neither, uses the system's
trusted CAs. The plain API (8728) is used only when the config says ``tls: false``.

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
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import routeros_api  # type: ignore[import-untyped]
from routeros_api import exceptions as api_errors

from generator.config import RouterConfig
from generator.deploy.credentials import Secret
from generator.errors import DeployError

Row = dict[str, bytes]
#: Commands that change nothing on the router; everything else counts as a write (as does ``/import`` without
#: ``dry-run``).
READ_COMMANDS = frozenset({"print", "get", "getall", "login"})
DEFAULT_TIMEOUT = 15.0  # routeros-api's own socket default (S14)


class TransportError(DeployError):
    """The link failed: refused or timed-out connection, TLS failure, connection cut mid-command."""


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

    def __init__(self, endpoint: Endpoint, pool: routeros_api.RouterOsApiPool, api: Any) -> None:
        super().__init__(endpoint.label)
        self.endpoint = endpoint
        self._pool = pool
        self._api = api

    @classmethod
    def connect(cls, endpoint: Endpoint, password: Secret) -> ApiTarget:
        context = tls_context(endpoint)
        pool = routeros_api.RouterOsApiPool(
            endpoint.host, username=endpoint.user, password=password.reveal(), port=endpoint.port,
            plaintext_login=True, use_ssl=context is not None, ssl_context=context,
        )  # fmt: skip
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
            raise TransportError(f"{endpoint.label}: cannot connect: {_reason(failure)}") from None
        finally:
            pool.password = ""  # reconnects go through connect() again; the pool need not keep it
        raw = getattr(pool.socket, "socket", None)
        if isinstance(raw, socket.socket):
            _no_delay(raw)
        target = cls(endpoint, pool, api)
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
            raise TransportError(f"{self.label}: connection lost during {name}: {_reason(failure)}") from None

    def close(self) -> None:
        self._pool.disconnect()


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
