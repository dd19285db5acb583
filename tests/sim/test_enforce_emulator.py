"""What Enforce relies on in the emulated v7 User Manager: user and group ``attributes`` in the Access-Accept (the
NAS session's rate and address list, fixed at login: no CoA), ``user group``, the read-only ``payment`` menu, and the
``um_attributes_read`` switch (docs/assumptions.md rows 50-53)."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.contract import RouterOSError
from emulator.interp import Interpreter
from emulator.router import Router, Traffic
from emulator.router.behaviour import Behaviour
from emulator.values import Array
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 11, 1, 10, 0, 0)
RATE = Traffic(download=86_400_000, upload=8_640_000)
U7 = "/user-manager user"


def v7(behaviour: Behaviour | None = None) -> Router:
    router = Router(RouterOSVersion.parse("7.16.2"), start=START, behaviour=behaviour or Behaviour())
    router.invoke("/user-manager", "set", {"enabled": "yes"})
    router.invoke(U7, "add", {"name": "ann", "password": "x"})
    return router


def set_attributes(router: Router, menu: str, name: str, text: str) -> None:
    (row,) = [r for r in router.rows(menu) if r["name"] == name.encode()]
    router.invoke(menu, "set", {"numbers": row[".id"], "attributes": text})


def test_the_session_gets_the_rate_and_address_list_of_the_access_accept() -> None:
    router = v7()
    set_attributes(router, U7, "ann", "Framed-IP-Address:10.1.1.1,Mikrotik-Rate-Limit:2M/2M,Mikrotik-Address-List:x")
    session = router.nas.connect("ann", RATE)
    assert session is not None and (session.rate_limit, session.address_list) == ("2M/2M", "x")


def test_a_change_of_attributes_reaches_only_the_next_session() -> None:
    router = v7()
    first = router.nas.connect("ann", RATE)
    assert first is not None and first.rate_limit == ""
    set_attributes(router, U7, "ann", "Mikrotik-Rate-Limit:512k/512k")
    router.advance(600)
    assert first.rate_limit == "" and first.ended_ns is None  # no CoA: the live session is untouched
    router.nas.disconnect(first)
    second = router.nas.connect("ann", RATE)
    assert second is not None and second.rate_limit == "512k/512k"


def test_group_attributes_apply_and_the_users_own_win() -> None:
    router = v7()
    assert [r["name"] for r in router.rows("/user-manager user group")] == [b"default", b"default-anonymous"]
    set_attributes(router, "/user-manager user group", "default", "Mikrotik-Rate-Limit:10M/10M,Mikrotik-Group:g")
    session = router.nas.connect("ann", RATE)
    assert session is not None and session.rate_limit == "10M/10M"
    router.nas.disconnect(session)
    set_attributes(router, U7, "ann", "Mikrotik-Rate-Limit:1M/1M")
    session = router.nas.connect("ann", RATE)
    assert session is not None and session.rate_limit == "1M/1M"


def test_payment_is_read_only_and_empty() -> None:
    router = v7()
    assert router.rows("/user-manager payment") == []
    with pytest.raises(RouterOSError):
        router.invoke("/user-manager payment", "add", {"user": "ann"})


@pytest.mark.parametrize(("read", "kind"), [("text", "str"), ("array", "array")])
def test_attributes_read_as_text_or_as_an_array(read: str, kind: str) -> None:
    router = v7(Behaviour(um_attributes_read=read))  # type: ignore[arg-type]
    set_attributes(router, U7, "ann", "Framed-Pool:p1,Mikrotik-Rate-Limit:2M/2M")
    router.runner = Interpreter(router)
    result = router.run(':put [:typeof [/user-manager user get [find name="ann"] attributes]]')
    assert result.ok, result
    assert [bytes(line).strip() for line in result.output] == [kind.encode()]
    user_id = router.um.users.lookup("ann")
    assert user_id is not None
    value = router.um.users.computed(user_id, router.um.users.items[user_id])
    assert isinstance(value.get("attributes"), Array) == (read == "array")


def test_unknown_or_malformed_attributes_are_refused() -> None:
    router = v7()
    with pytest.raises(RouterOSError, match="not modelled: User Manager attribute X-Custom"):
        set_attributes(router, U7, "ann", "Mikrotik-Rate-Limit:1M/1M,X-Custom:1")
    with pytest.raises(RouterOSError, match="not Name:value"):
        set_attributes(router, "/user-manager user group", "default", "Mikrotik-Rate-Limit")
