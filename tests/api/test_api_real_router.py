"""The API server in front of the emulated router (emulator/router), through the real routeros-api client."""

from __future__ import annotations

import pytest

from api.clients import connect
from emulator.api import Faults, start_server
from emulator.version import RouterOSVersion

router_package = pytest.importorskip("emulator.router")


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2", "7.18.2"])
def test_a_deploy_round_trip_on_the_emulated_router(version: str) -> None:
    router = router_package.Router(RouterOSVersion.parse(version))
    source = ':local a 1\r\n:log info "billing $a"\n'
    with start_server(router, router.version) as server:
        pool = connect(server)
        api = pool.get_api()
        scripts = api.get_resource("/system/script")
        new_id = scripts.add(name="MonthEnd", source=source, policy="read,write,test").done_message["ret"]
        (row,) = scripts.get(name="MonthEnd")
        assert (row["id"], row["source"], row["policy"]) == (new_id, source, "read,write,test")
        scripts.set(id=new_id, comment="rosbill")
        assert scripts.call("print", {"proplist": "name,comment"}) == [{"name": "MonthEnd", "comment": "rosbill"}]
        scheduler = api.get_resource("/system/scheduler")
        scheduler.add(name="Daily", interval="1d", start_time="23:50:00", on_event="/system script run MonthEnd")
        (entry,) = scheduler.get(name="Daily")
        assert entry["interval"] == "1d00:00:00"
        assert entry["disabled"] == "false"
        (resource,) = api.get_resource("/system/resource").get()
        assert resource["version"].split()[0] == version
        menu = "/user-manager/user" if router.version.user_manager_v7 else "/tool/user-manager/user"
        assert api.get_resource(menu).get() == []
        scripts.remove(id=new_id)
        assert scripts.get() == []
        pool.disconnect()


def test_a_router_without_user_manager_as_a_fault() -> None:
    router = router_package.Router(RouterOSVersion.parse("7.16.2"))
    with start_server(router, router.version, faults=Faults(without_user_manager=True)) as server:
        pool = connect(server)
        packages = [row["name"] for row in pool.get_api().get_resource("/system/package").get()]
        assert "user-manager" not in packages
        pool.disconnect()
