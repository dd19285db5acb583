"""Running the service: start/stop in-process, serve() for the CLI, framing errors, quit."""

from __future__ import annotations

import socket
import threading

import pytest

from api.clients import RawClient, connect, start
from api.fakerouter import FakeRouter
from emulator.api import RunningServer, ServerError, ServerInfo, serve, start_server
from emulator.api.wire import encode_sentence


def _port_is_closed(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return True
    return False


def test_the_server_starts_on_an_ephemeral_loopback_port_and_stops_cleanly(router: FakeRouter) -> None:
    server = start_server(router, router.version)
    assert server.host == "127.0.0.1"
    assert server.port > 0
    client = RawClient(server.host, server.port)
    client.login()
    server.stop()
    assert client.receive() is None  # open connections are closed
    assert _port_is_closed(server.host, server.port)
    server.stop()  # stopping twice is harmless


def test_a_port_in_use_is_a_server_error(router: FakeRouter) -> None:
    with start(router) as first, pytest.raises(ServerError, match="cannot listen"):
        start_server(router, router.version, port=first.port)


def test_serve_reports_where_it_listens_and_returns_when_stopped(router: FakeRouter) -> None:
    ready: list[ServerInfo] = []
    stop = threading.Event()
    got_ready = threading.Event()

    def on_ready(info: ServerInfo) -> None:
        ready.append(info)
        got_ready.set()

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    options = {"port": port, "on_ready": on_ready, "stop": stop}
    thread = threading.Thread(target=serve, args=(router, router.version), kwargs=options)
    thread.start()
    assert got_ready.wait(10)
    (info,) = ready
    assert (info.host, info.port, info.tls) == ("127.0.0.1", port, False)
    client = RawClient(info.host, info.port)
    client.login()
    assert client.command(b"/system/script/print")[-1] == [b"!done"]
    client.close()
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
    assert _port_is_closed("127.0.0.1", port)


def test_quit_sends_fatal_and_closes(raw: RawClient) -> None:
    raw.login()
    raw.send(b"/quit")
    assert raw.receive() == [b"!fatal", b"session terminated on request"]
    assert raw.receive() is None


def test_a_control_byte_ends_the_connection_with_fatal(raw: RawClient) -> None:
    raw.login()
    raw.send_raw(b"\xf8")
    fatal = raw.receive()
    assert fatal is not None
    assert fatal[0] == b"!fatal"
    assert b"control byte" in fatal[1]
    assert raw.receive() is None


def test_a_connection_closed_mid_sentence_runs_nothing(server: RunningServer, router: FakeRouter) -> None:
    client = RawClient(server.host, server.port)
    client.login()
    client.send_raw(b"\x12/system/script/add\x08=name=A")  # no terminating empty word
    client.close()
    check = RawClient(server.host, server.port)
    check.login()
    assert check.command(b"/system/script/print") == [[b"!done"]]
    check.close()
    assert router.tables[("system", "script")].rows == {}


def test_untagged_commands_get_untagged_replies(raw: RawClient) -> None:
    raw.login()
    assert raw.command(b"/system/script/add", b"=name=A") == [[b"!done", b"=ret=*1"]]


def test_a_pipelined_burst_is_answered_in_order(raw: RawClient) -> None:
    raw.login()
    for i in range(20):
        raw.send(b"/system/script/add", b"=name=s%d" % i, b".tag=%d" % i)
    tags = [raw.until_done()[-1][-1] for _ in range(20)]
    assert tags == [b".tag=%d" % i for i in range(20)]


def test_a_slow_client_sending_byte_by_byte_is_understood(raw: RawClient) -> None:
    for byte in encode_sentence([b"/login", b"=name=admin", b"=password="]):
        raw.send_raw(bytes([byte]))
    assert raw.receive() == [b"!done"]


def test_many_connections_at_once(router: FakeRouter) -> None:
    with start(router) as server:
        pools = [connect(server) for _ in range(8)]
        for i, pool in enumerate(pools):
            pool.get_api().get_resource("/system/script").add(name=f"s{i}")
        assert len(router.tables[("system", "script")].rows) == 8
        for pool in pools:
            pool.disconnect()
