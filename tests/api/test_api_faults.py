"""Fault injection for deploy tests, seen through the real routeros-api client."""

from __future__ import annotations

import pytest
from routeros_api import exceptions

from api.clients import RawClient, connect, start
from api.fakerouter import FakeRouter
from emulator.api import Faults, Misread
from emulator.api.faults import FaultState


def test_the_connection_is_cut_when_the_command_after_n_arrives(router: FakeRouter) -> None:
    with start(router, faults=Faults(cut_after=2)) as server:
        pool = connect(server)
        scripts = pool.get_api().get_resource("/system/script")
        scripts.add(name="A", source="a")
        scripts.add(name="B", source="b")
        with pytest.raises(exceptions.RouterOsApiConnectionError):
            scripts.add(name="C", source="c")
        assert not pool.connected  # routeros-api drops the pool on a connection error
        assert sorted(row["name"] for row in router.tables[("system", "script")].rows.values()) == [b"A", b"B"]
        assert server.fault_state.cut_fired
        # the cut fires once: a reconnect (a deploy's retry or rollback) works
        again = connect(server)
        assert [row["name"] for row in again.get_api().get_resource("/system/script").get()] == ["A", "B"]
        again.disconnect()


def test_a_cut_before_the_command_leaves_the_router_unchanged(router: FakeRouter) -> None:
    with start(router, faults=Faults(cut_at="/system/script/set")) as server:
        pool = connect(server)
        scripts = pool.get_api().get_resource("/system/script")
        scripts.add(name="A", source="old")
        with pytest.raises(exceptions.RouterOsApiConnectionError):
            scripts.set(id="*1", source="new")
    assert router.tables[("system", "script")].rows[1]["source"] == b"old"


def test_a_cut_after_the_command_changes_the_router_but_the_client_never_hears(router: FakeRouter) -> None:
    with start(router, faults=Faults(cut_at="/system/script/set", cut_when="after")) as server:
        pool = connect(server)
        scripts = pool.get_api().get_resource("/system/script")
        scripts.add(name="A", source="old")
        with pytest.raises(exceptions.RouterOsApiConnectionError):
            scripts.set(id="*1", source="new")
    assert router.tables[("system", "script")].rows[1]["source"] == b"new"


def test_login_does_not_count_towards_the_cut(router: FakeRouter) -> None:
    with start(router, faults=Faults(cut_after=0)) as server:
        pool = connect(server)
        api = pool.get_api()  # login succeeds
        with pytest.raises(exceptions.RouterOsApiConnectionError):
            api.get_resource("/system/script").get()


def test_a_read_back_mismatch_on_one_property(router: FakeRouter) -> None:
    faults = Faults(misreads=(Misread("source", b":log info tampered"),))
    with start(router, faults=faults) as server:
        pool = connect(server)
        scripts = pool.get_api().get_resource("/system/script")
        scripts.add(name="A", source=":log info real")
        (row,) = scripts.get(name="A")
        assert row["source"] == ":log info tampered"
        assert row["name"] == "A"
        pool.disconnect()
    assert router.tables[("system", "script")].rows[1]["source"] == b":log info real"


def test_a_pretended_version(router: FakeRouter) -> None:
    with start(router, faults=Faults(reported_version="7.18.2 (stable)")) as server:
        pool = connect(server)
        (resource,) = pool.get_api().get_resource("/system/resource").get()
        assert resource["version"] == "7.18.2 (stable)"
        pool.disconnect()


def test_a_router_without_user_manager(router: FakeRouter) -> None:
    with start(router, faults=Faults(without_user_manager=True)) as server:
        pool = connect(server)
        api = pool.get_api()
        with pytest.raises(exceptions.RouterOsApiCommunicationError, match="no such command prefix"):
            api.get_resource("/user-manager/user").get()
        assert "user-manager" not in [row["name"] for row in api.get_resource("/system/package").get()]
        pool.disconnect()


def test_a_cut_is_silent_no_fatal_word(router: FakeRouter) -> None:
    with start(router, faults=Faults(cut_at="/system/script/print")) as server:
        raw = RawClient(server.host, server.port)
        raw.login()
        raw.send(b"/system/script/print")
        assert raw.receive() is None
        raw.close()


def test_the_fault_counter_fires_once_across_connections() -> None:
    state = FaultState(Faults(cut_after=1))
    assert [state.should_cut("/x") for _ in range(4)] == [False, True, False, False]
    at = FaultState(Faults(cut_at="/a"))
    assert [at.should_cut(word) for word in ("/b", "/a", "/a")] == [False, True, False]
