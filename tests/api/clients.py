"""Clients for the API server tests: the real routeros-api pool, and a raw-word client for what it cannot send."""

from __future__ import annotations

import socket
import ssl

import routeros_api

from api.fakerouter import FakeRouter
from emulator.api import Credentials, Faults, RunningServer, start_server
from emulator.api.wire import SentenceDecoder, encode_sentence
from emulator.version import RouterOSVersion


class RawClient:
    """Speaks words directly, for what routeros-api cannot send or hides (untagged commands, bad bytes, !fatal)."""

    def __init__(self, host: str, port: int, context: ssl.SSLContext | None = None, source: str | None = None) -> None:
        sock = socket.create_connection((host, port), timeout=5, source_address=(source, 0) if source else None)
        self.sock: socket.socket = context.wrap_socket(sock, server_hostname=host) if context else sock
        self.decoder = SentenceDecoder()
        self.pending: list[list[bytes]] = []

    def send(self, *words: bytes) -> None:
        self.sock.sendall(encode_sentence(words))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def receive(self) -> list[bytes] | None:
        """The next reply sentence, or None when the server closed the connection."""
        while not self.pending:
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                return None
            if not data:
                return None
            self.pending.extend(self.decoder.feed(data))
        return self.pending.pop(0)

    def until_done(self) -> list[list[bytes]]:
        """Reply sentences up to and including the next ``!done``."""
        replies: list[list[bytes]] = []
        while True:
            sentence = self.receive()
            assert sentence is not None, f"connection closed after {replies}"
            replies.append(sentence)
            if sentence[0] == b"!done":
                return replies

    def command(self, *words: bytes) -> list[list[bytes]]:
        self.send(*words)
        return self.until_done()

    def login(self, user: bytes = b"admin", password: bytes = b"") -> None:
        assert self.command(b"/login", b"=name=" + user, b"=password=" + password) == [[b"!done"]]

    def close(self) -> None:
        self.sock.close()


def start(
    router: FakeRouter,
    *,
    version: str | None = None,
    faults: Faults | None = None,
    credentials: Credentials | None = None,
    tls: bool = False,
) -> RunningServer:
    chosen = RouterOSVersion.parse(version) if version else router.version
    return start_server(router, chosen, faults=faults, credentials=credentials, tls=tls)


def connect(
    server: RunningServer, user: str = "admin", password: str = "", **options: object
) -> routeros_api.RouterOsApiPool:
    pool = routeros_api.RouterOsApiPool(
        server.host, username=user, password=password, port=server.port, plaintext_login=True, **options
    )
    pool.set_timeout(5)
    return pool
