"""The real routeros-api client (0.21, what ``rosbill deploy`` uses) against the server over loopback sockets."""

from __future__ import annotations

import logging

import pytest
import routeros_api
from routeros_api import exceptions, query

from api.clients import RawClient, connect, start
from api.fakerouter import FakeRouter
from emulator.api import Credentials, Limits, RunningServer, SentenceLimits, start_server


def test_login_with_the_default_admin_account(api: routeros_api.api.RouterOsApi) -> None:
    assert api.get_resource("/system/resource").get()[0]["board-name"] == "CHR"


def test_a_wrong_password_surfaces_as_a_communication_error(router: FakeRouter) -> None:
    with start(router, credentials=Credentials("deploy", "right")) as server:
        with pytest.raises(exceptions.RouterOsApiCommunicationError) as failure:
            connect(server, "deploy", "wrong").get_api()
        assert failure.value.original_message == b"invalid user name or password (6)"
        pool = connect(server, "deploy", "right")
        assert pool.get_api().get_resource("/system/script").get() == []
        pool.disconnect()


def test_the_client_default_md5_login_fails_on_a_modern_router(router: FakeRouter) -> None:
    # platform.md §5.3: plaintext_login defaults to False; after 6.45.1 that login is refused.
    with start(router) as server:
        pool = routeros_api.RouterOsApiPool(server.host, port=server.port, plaintext_login=False)
        with pytest.raises(exceptions.RouterOsApiCommunicationError, match="invalid user name or password"):
            pool.get_api()


def test_the_client_default_md5_login_works_on_6_44() -> None:
    router = FakeRouter("6.44")
    with start(router, credentials=Credentials("admin", "pw")) as server:
        pool = routeros_api.RouterOsApiPool(server.host, "admin", "pw", port=server.port, plaintext_login=False)
        assert pool.get_api().get_resource("/system/script").get() == []
        pool.disconnect()


def test_the_password_never_reaches_the_log(router: FakeRouter, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with start(router, credentials=Credentials("admin", "Pa55-word-xyz")) as server:
        with pytest.raises(exceptions.RouterOsApiCommunicationError):
            connect(server, "admin", "not-Pa55-word-xyz").get_api()
        pool = connect(server, "admin", "Pa55-word-xyz")
        pool.get_api().get_resource("/system/script").get()
        pool.disconnect()
    assert "API login by 'admin'" in caplog.text
    assert "Pa55-word-xyz" not in caplog.text


def test_add_set_remove_print_and_the_id_round_trip(api: routeros_api.api.RouterOsApi, router: FakeRouter) -> None:
    scripts = api.get_resource("/system/script")
    created = scripts.add(
        name="MonthEnd", source=":log info x", policy="read,write,test", dont_require_permissions="no"
    )
    new_id = created.done_message["ret"]
    assert new_id == "*1"
    (row,) = scripts.get(id=new_id)
    assert row["id"] == new_id
    assert row["name"] == "MonthEnd"
    assert row["policy"] == "read,write,test"
    assert row["dont-require-permissions"] == "false"
    scripts.set(id=new_id, comment="billing")
    assert scripts.get(name="MonthEnd")[0]["comment"] == "billing"
    assert router.tables[("system", "script")].rows[1]["comment"] == b"billing"
    scripts.remove(id=new_id)
    assert scripts.get() == []


def test_queries_with_the_client_query_objects(api: routeros_api.api.RouterOsApi) -> None:
    scheduler = api.get_resource("/system/scheduler")
    for name, interval in (("a", "1h"), ("b", "1d"), ("c", "1w")):
        scheduler.add(name=name, interval=interval, on_event="x")
    scheduler.set(id="*2", disabled="yes")

    def names(*queries: object) -> list[str]:
        return [row["name"] for row in scheduler.call("print", {}, additional_queries=queries)]

    assert names(query.OrQuery(query.IsEqualQuery("name", "a"), query.IsEqualQuery("name", "c"))) == ["a", "c"]
    assert names(query.IsGreaterQuery("interval", "2h")) == ["b", "c"]
    assert names(query.IsLessQuery("interval", "1d")) == ["a"]
    assert names(query.HasValueQuery("disabled"), query.IsEqualQuery("disabled", "true")) == ["b"]
    assert names(query.NandQuery(query.IsEqualQuery("name", "a"), query.IsEqualQuery("disabled", "false"))) == [
        "b",
        "c",
    ]
    assert names(query.AndQuery(query.IsEqualQuery("disabled", "no"), query.IsGreaterQuery("interval", "1h"))) == ["c"]


def test_proplist_limits_the_returned_properties(api: routeros_api.api.RouterOsApi) -> None:
    scripts = api.get_resource("/system/script")
    scripts.add(name="A", source="a")
    assert scripts.call("print", {"proplist": ".id,name"}) == [{"id": "*1", "name": "A"}]


def test_a_trap_surfaces_as_a_communication_error_and_the_connection_stays_usable(
    api: routeros_api.api.RouterOsApi,
) -> None:
    scripts = api.get_resource("/system/script")
    with pytest.raises(exceptions.RouterOsApiCommunicationError) as failure:
        scripts.set(id="*99", comment="x")
    assert failure.value.original_message == b"no such item"
    with pytest.raises(exceptions.RouterOsApiCommunicationError, match="no such command prefix"):
        api.get_resource("/nowhere").get()
    assert scripts.get() == []


@pytest.mark.parametrize(("version", "empty_word"), [("7.17.2", False), ("7.18", True)])
def test_an_empty_print_on_old_and_new_routers(version: str, empty_word: bool) -> None:
    router = FakeRouter(version)
    with start(router) as server:
        pool = connect(server)
        assert pool.get_api().get_resource("/system/script").get() == []  # routeros-api 0.21 understands !empty
        assert pool.get_api().get_resource("/system/script").get(name="x") == []
        pool.disconnect()
        raw = RawClient(server.host, server.port)
        raw.login()
        words = raw.command(b"/system/script/print", b".tag=5")
        raw.close()
    assert words == ([[b"!empty", b".tag=5"]] if empty_word else []) + [[b"!done", b".tag=5"]]


def test_a_70_kb_script_travels_byte_exact_with_lf_and_crlf(
    api: routeros_api.api.RouterOsApi, router: FakeRouter
) -> None:
    lines = [f':log info "line {i} {"x" * 60}"' for i in range(1000)]
    source = "\n".join(lines[:500]) + "\r\n" + "\r\n".join(lines[500:]) + "\n"
    assert len(source) > 70_000
    scripts = api.get_resource("/system/script")
    scripts.add(name="Big", source=source)
    assert router.tables[("system", "script")].rows[1]["source"] == source.encode()
    (row,) = scripts.get(name="Big")
    assert row["source"] == source
    (got,) = api.get_binary_resource("/system/script").call("print", {"proplist": b"source"})
    assert got["source"] == source.encode()


def test_a_word_past_two_megabytes_needs_the_four_byte_length(router: FakeRouter) -> None:
    # Over the default 1 MiB word limit (docs/simulator.md "Limits"), so this server is given room for it.
    roomy = Limits(after_login=SentenceLimits(max_word=4 << 20, max_bytes=8 << 20))
    with start_server(router, router.version, limits=roomy) as server:
        pool = connect(server)
        source = "#" * 0x200010
        pool.get_api().get_resource("/system/script").add(name="Huge", source=source)
        assert pool.get_api().get_resource("/system/script").get(name="Huge")[0]["source"] == source
        pool.disconnect()


def test_binary_resource_bytes_round_trip(api: routeros_api.api.RouterOsApi, router: FakeRouter) -> None:
    every_byte = bytes(range(256)) * 3
    scripts = api.get_binary_resource("/system/script")
    done = scripts.call("add", {"name": b"bin", "source": every_byte})
    assert done.done_message["ret"] == b"*1"
    assert router.tables[("system", "script")].rows[1]["source"] == every_byte
    (row,) = scripts.call("print", {}, {"name": b"bin"})
    assert row["source"] == every_byte
    assert row["id"] == b"*1"


def test_several_tagged_commands_in_flight_on_one_connection(api: routeros_api.api.RouterOsApi) -> None:
    scripts = api.get_resource("/system/script")
    pending = [scripts.add_async(name=f"s{i}", source=str(i)) for i in range(5)]
    ids = [promise.get().done_message["ret"] for promise in pending]
    assert ids == ["*1", "*2", "*3", "*4", "*5"]
    listing = scripts.get_async()
    assert [row["name"] for row in listing.get()] == [f"s{i}" for i in range(5)]


def test_script_run_reaches_the_router(api: routeros_api.api.RouterOsApi, router: FakeRouter) -> None:
    scripts = api.get_resource("/system/script")
    script_id = scripts.add(name="Oversight", source=":log info ok").done_message["ret"]
    scripts.call("run", {"id": script_id})
    assert router.script_runs == [b":log info ok"]
    assert scripts.get(id=script_id)[0]["run-count"] == "1"


def test_two_connections_see_the_same_router(server: RunningServer) -> None:
    first, second = connect(server), connect(server)
    first.get_api().get_resource("/system/script").add(name="X", source="")
    assert [row["name"] for row in second.get_api().get_resource("/system/script").get()] == ["X"]
    first.disconnect()
    second.disconnect()


def test_ids_are_the_routers_ids(api: routeros_api.api.RouterOsApi, router: FakeRouter) -> None:
    router.tables[("system", "script")].next_id = 0x1A
    assert api.get_resource("/system/script").add(name="A").done_message["ret"] == "*1A"
    assert router.calls[-1].command == "add"
    assert api.get_resource("/system/script").get(id="*1a")[0]["id"] == "*1A"
    assert list(router.tables[("system", "script")].rows) == [0x1A]
