"""``/ip firewall address-list`` on the emulated router: the NAS adds a dynamic entry for a PPP session whose
Access-Accept carries ``Mikrotik-Address-List`` and removes it when the session ends (hang-up, ``/ppp active
remove``, reboot); hotspot sessions get none; static entries are the operator's (emulator/router/firewall.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.contract import EmulatorRefusal
from emulator.router import Router, Traffic
from emulator.version import RouterOSVersion

interp = pytest.importorskip("emulator.interp")

HOUR = 3600 * 10**9
LIST = "/ip firewall address-list"


def router_with_ann(attributes: str = "Mikrotik-Rate-Limit:128k/128k,Mikrotik-Address-List:unpaid") -> Router:
    router = Router(RouterOSVersion.parse("7.16"), runner_factory=interp.Interpreter,
                    start=dt.datetime(2026, 11, 8, 12, 0))  # fmt: skip
    setup = f"""
/user-manager set enabled=yes
/user-manager user add name=ann password=pw attributes="{attributes}"
/user-manager user add name=bob password=pw
"""
    result = router.import_file(setup, name="setup.rsc")
    assert result.ok, result.error
    return router


def entries(router: Router) -> list[tuple[bytes, bytes, bool]]:
    return [(bytes(r["list"]), bytes(r["address"]), r["dynamic"] is True) for r in router.rows(LIST)]


def test_a_ppp_session_with_an_address_list_is_on_it_while_it_lasts() -> None:
    router = router_with_ann()
    session = router.nas.connect("ann", Traffic(1000, 0, HOUR))
    other = router.nas.connect("bob", Traffic(1000, 0, HOUR))
    assert session is not None and other is not None
    assert entries(router) == [(b"unpaid", session.address.encode(), True)]
    found = router.run(':global n [:len [/ip firewall address-list find where list="unpaid" && dynamic]]')
    assert found.ok and router.environment["n"] == 1
    router.nas.disconnect(session, "user-request")
    assert entries(router) == []


def test_ending_the_session_from_the_router_or_a_reboot_removes_the_entry() -> None:
    router = router_with_ann()
    assert router.nas.connect("ann", Traffic(1000, 0, HOUR)) is not None
    assert router.run("/ppp active remove [find name=ann]").ok
    assert entries(router) == []
    assert router.nas.connect("ann", Traffic(1000, 0, HOUR)) is not None
    assert len(entries(router)) == 1
    router.reboot()
    assert entries(router) == []


def test_a_hotspot_session_gets_no_entry() -> None:
    router = router_with_ann()
    assert router.nas.connect("ann", Traffic(1000, 0, HOUR), service="hotspot") is not None
    assert entries(router) == []


def test_static_entries_are_the_operator_s_and_dynamic_ones_cannot_be_changed() -> None:
    router = router_with_ann()
    assert router.run("/ip firewall address-list add list=unpaid address=192.0.2.7 comment=kept").ok
    assert router.nas.connect("ann", Traffic(1000, 0, HOUR)) is not None
    assert [e[2] for e in entries(router)] == [False, True]
    with pytest.raises(EmulatorRefusal, match="dynamic address-list entry is not modelled"):
        router.invoke(LIST, "remove", {"numbers": "*2"})
    with pytest.raises(EmulatorRefusal, match="only IPv4"):
        router.invoke(LIST, "add", {"list": "x", "address": "example.net"})
    router.invoke(LIST, "remove", {"numbers": "*1"})
    assert [e[2] for e in entries(router)] == [True]


def test_enforce_s_walled_garden_puts_a_restricted_user_s_next_ppp_session_on_the_list() -> None:
    """The generated Enforce with ``unpaid.address_list`` (tests/billing/test_enforce.py): the restricted user's next
    PPP session is on the list, and after the payment her next one is not."""
    from billing import test_enforce
    from billing.harness import Bench, user

    bench = Bench("7.16", [user("ann")], config=test_enforce.UNPAID, start=dt.datetime(2026, 11, 8, 12, 0))
    test_enforce.billed(bench)
    bench.run("Enforce")
    assert bench.state("ann")["rsd"]
    session = bench.router.nas.connect("ann", Traffic(1000, 0, HOUR))
    assert session is not None
    assert entries(bench.router) == [(b"unpaid", session.address.encode(), True)]
    bench.router.nas.disconnect(session)
    assert entries(bench.router) == []
    bench.set_comment("ann", bench.comment("ann").replace("owe=2026-10;", "").replace("}", ";paid=2026-10}"))
    bench.run("Enforce")
    assert bench.router.nas.connect("ann", Traffic(1000, 0, HOUR)) is not None
    assert entries(bench.router) == []
