"""A power cut of the emulated router during an API command drops that connection; after restore_power the service
answers again (the server runs on; only the router lost power)."""

from __future__ import annotations

from api.clients import RawClient
from emulator.api import start_server
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.version import RouterOSVersion


def test_a_power_cut_in_an_api_command_drops_the_connection_and_restore_brings_the_service_back() -> None:
    router = Router(RouterOSVersion.parse("7.16.2"), runner_factory=Interpreter)
    router.invoke("/system script", "add", {"name": "Billing", "source": '/system identity set name="billed"'})
    with start_server(router, router.version) as server:
        client = RawClient(server.host, server.port)
        client.login()
        router.arm_power_cut(0)
        client.send(b"/system/script/run", b"=number=Billing")
        assert client.receive() is None  # no reply: the connection dropped
        assert not router.powered
        router.restore_power(10)
        again = RawClient(server.host, server.port)
        again.login()
        assert again.command(b"/system/identity/print") == [[b"!re", b"=name=MikroTik"], [b"!done"]]
        again.close()
        client.close()
