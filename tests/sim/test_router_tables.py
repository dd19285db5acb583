"""Generic menu commands of the emulated router: find, get, set, add, remove, print, ids and permissions."""

from __future__ import annotations

import pytest

from emulator.contract import MenuCall, RouterOSError, RunContext
from emulator.router import Router
from emulator.values import NOTHING, Array, Id, Time
from emulator.version import RouterOSVersion

SCRIPTS = ("system", "script")


@pytest.fixture
def router() -> Router:
    return Router(RouterOSVersion.parse("7.16.2"))


def call(router: Router, command: str, args: dict | None = None, *, menu: tuple[str, ...] = SCRIPTS, **kw: object):
    ctx = kw.pop("ctx", RunContext())
    return router.call(MenuCall(menu, command, args or {}, **kw), ctx)  # type: ignore[arg-type]


def add_scripts(router: Router, *names: str) -> list[Id]:
    return [call(router, "add", {"name": n.encode(), "source": b":log info x"}) for n in names]


def test_add_returns_increasing_ids_that_are_never_reused(router: Router) -> None:
    first, second = add_scripts(router, "a", "b")
    assert (first, second) == (Id(1), Id(2))
    call(router, "remove", {"numbers": second})
    (third,) = add_scripts(router, "c")
    assert third == Id(3)


def test_add_fills_defaults_and_refuses_missing_required_params(router: Router) -> None:
    (sid,) = add_scripts(router, "a")
    assert call(router, "get", {"number": sid, "value-name": b"dont-require-permissions"}) is False
    assert call(router, "get", {"number": sid, "value-name": b"run-count"}) == 0
    with pytest.raises(RouterOSError, match="missing value"):
        call(router, "add", {"source": b"x"})


def test_add_refuses_a_duplicate_name(router: Router) -> None:
    add_scripts(router, "a")
    with pytest.raises(RouterOSError, match="already exists"):
        add_scripts(router, "a")


def test_find_returns_an_array_of_ids_and_an_empty_array_when_nothing_matches(router: Router) -> None:
    add_scripts(router, "a", "b", "c")
    assert call(router, "find", {"name": b"b"}) == Array([Id(2)])
    assert call(router, "find") == Array([Id(1), Id(2), Id(3)])
    empty = call(router, "find", {"name": b"nobody"})
    assert isinstance(empty, Array) and len(empty) == 0


def test_find_where_gets_typed_properties_and_the_id(router: Router) -> None:
    add_scripts(router, "a", "b")
    seen = []

    def predicate(props: dict) -> bool:
        seen.append(props)
        return props["name"] == b"b"

    assert call(router, "find", where=predicate) == Array([Id(2)])
    assert seen[0][".id"] == Id(1) and seen[0]["run-count"] == 0 and seen[0]["dont-require-permissions"] is False


def test_find_filters_and_where_combine(router: Router) -> None:
    add_scripts(router, "a", "b")
    assert call(router, "find", {"name": b"a"}, where=lambda p: p["name"] == b"b") == Array([])


def test_get_one_property_and_the_whole_record(router: Router) -> None:
    (sid,) = add_scripts(router, "a")
    assert call(router, "get", {"number": sid, "value-name": b"name"}) == b"a"
    record = call(router, "get", {"number": sid})
    assert record.get(b".id") == sid and record.get(b"source") == b":log info x"


def test_get_accepts_a_find_result_and_a_name(router: Router) -> None:
    add_scripts(router, "a")
    assert call(router, "get", {"number": Array([Id(1)]), "value-name": b"name"}) == b"a"
    assert call(router, "get", {"number": b"a", "value-name": b"name"}) == b"a"


def test_get_of_an_unknown_property_is_a_runtime_error(router: Router) -> None:
    (sid,) = add_scripts(router, "a")
    with pytest.raises(RouterOSError):
        call(router, "get", {"number": sid, "value-name": b"colour"})


def test_get_on_an_empty_id_list_or_a_removed_id_is_an_error(router: Router) -> None:
    (sid,) = add_scripts(router, "a")
    with pytest.raises(RouterOSError, match="no such item"):
        call(router, "get", {"number": Array([]), "value-name": b"name"})
    call(router, "remove", {"numbers": sid})
    with pytest.raises(RouterOSError, match="no such item"):
        call(router, "get", {"number": sid, "value-name": b"name"})


def test_get_of_an_unset_text_property_is_an_empty_string(router: Router) -> None:
    (sid,) = add_scripts(router, "a")
    assert call(router, "get", {"number": sid, "value-name": b"comment"}) == b""


def test_set_applies_to_every_id_of_a_list_and_to_none_of_an_empty_one(router: Router) -> None:
    add_scripts(router, "a", "b")
    call(router, "set", {"numbers": Array([Id(1), Id(2)]), "comment": b"billing"})
    call(router, "set", {"numbers": Array([]), "comment": b"nobody"})
    assert [r["comment"] for r in router.rows("/system script")] == [b"billing", b"billing"]


def test_set_refuses_read_only_properties_and_bad_values(router: Router) -> None:
    (sid,) = add_scripts(router, "a")
    with pytest.raises(RouterOSError, match="unknown parameter run-count"):
        call(router, "set", {"numbers": sid, "run-count": 5})
    with pytest.raises(RouterOSError, match="invalid value"):
        call(router, "set", {"numbers": sid, "dont-require-permissions": b"maybe"})


def test_set_parses_text_arguments_by_the_property_type(router: Router) -> None:
    (sid,) = add_scripts(router, "a")
    call(router, "set", {"numbers": sid, "dont-require-permissions": b"yes", "policy": b"write,read"})
    assert call(router, "get", {"number": sid, "value-name": b"dont-require-permissions"}) is True
    assert call(router, "get", {"number": sid, "value-name": b"policy"}) == b"read,write"


def test_set_with_unset_names_removes_the_value(router: Router) -> None:
    (sid,) = add_scripts(router, "a")
    call(router, "set", {"numbers": sid, "comment": b"x"})
    router.call(MenuCall(SCRIPTS, "set", {"numbers": sid}, unset=frozenset({"comment"})), RunContext())
    assert "comment" not in router.rows("/system script")[0]


def test_remove_takes_ids_names_and_find_results(router: Router) -> None:
    add_scripts(router, "a", "b", "c")
    call(router, "remove", {"numbers": b"a"})
    call(router, "remove", {"numbers": call(router, "find", {"name": b"b"})})
    call(router, "remove", {"numbers": call(router, "find", {"name": b"nobody"})})
    assert [r["name"] for r in router.rows("/system script")] == [b"c"]


def test_print_numbers_are_console_only(router: Router) -> None:
    add_scripts(router, "a")
    with pytest.raises(RouterOSError):
        call(router, "remove", {"numbers": 0})


def test_print_as_value_is_a_list_of_maps_with_ids(router: Router) -> None:
    add_scripts(router, "a", "b")
    rows = call(router, "print", flags=frozenset({"as-value"}))
    assert [r.get(b".id") for r in rows.values()] == [Id(1), Id(2)]
    assert rows.get(0).get(b"name") == b"a"


def test_print_count_only_where_and_proplist(router: Router) -> None:
    add_scripts(router, "a", "b", "c")
    count = call(router, "print", flags=frozenset({"count-only"}), where=lambda p: p["name"] != b"b")
    assert count == 2
    rows = call(router, "print", {"proplist": b"name"}, flags=frozenset({"as-value"}))
    assert set(rows.get(0).keyed) == {b".id", b"name"}


def test_print_detail_writes_lines_to_the_console(router: Router) -> None:
    add_scripts(router, "a")
    ctx = RunContext()
    assert call(router, "print", flags=frozenset({"detail"}), ctx=ctx) is NOTHING
    assert b"name=a" in ctx.output[0]


def test_a_read_only_policy_may_read_but_not_write(router: Router) -> None:
    reader = RunContext(policy=frozenset({"read"}))
    add_scripts(router, "a")
    assert call(router, "find", ctx=reader) == Array([Id(1)])
    with pytest.raises(RouterOSError, match=r"not enough permissions \(9\)"):
        call(router, "add", {"name": b"b"}, ctx=reader)
    with pytest.raises(RouterOSError, match=r"not enough permissions \(9\)"):
        call(router, "find", ctx=RunContext(policy=frozenset({"write"})))


def test_sensitive_properties_need_the_sensitive_policy() -> None:
    router = Router(RouterOSVersion.parse("7.16.2"))
    router.invoke("/user-manager user", "add", {"name": "u", "password": "secret"})
    plain = frozenset({"read", "write"})
    with pytest.raises(RouterOSError, match="permissions"):
        router.invoke("/user-manager user", "get", {"number": "u", "value-name": "password"}, policy=plain)
    record = router.invoke("/user-manager user", "get", {"number": "u"}, policy=plain)
    assert b"password" not in record.keyed
    assert router.invoke("/user-manager user", "get", {"number": "u", "value-name": "password"}) == b"secret"


def test_unknown_commands_and_parameters_are_refused(router: Router) -> None:
    with pytest.raises(RouterOSError, match="bad command name"):
        call(router, "frobnicate")
    with pytest.raises(RouterOSError, match="unknown parameter colour"):
        call(router, "add", {"name": b"a", "colour": b"red"})
    with pytest.raises(RouterOSError, match="bad command name"):
        router.call(MenuCall(("no", "menu"), "print", {}), RunContext())


def test_singleton_get_set_and_print(router: Router) -> None:
    identity = ("system", "identity")
    assert call(router, "get", {"value-name": b"name"}, menu=identity) == b"MikroTik"
    call(router, "set", {"name": b"edge-1"}, menu=identity)
    assert call(router, "print", menu=identity, flags=frozenset({"as-value"})).get(b"name") == b"edge-1"
    assert call(router, "get", menu=identity).get(b"name") == b"edge-1"


def test_time_properties_take_text_or_time_values(router: Router) -> None:
    router.invoke("/system scheduler", "add", {"name": "a", "interval": "1d", "start-time": "23:50:00"})
    router.invoke("/system scheduler", "add", {"name": "b", "interval": Time.seconds(90), "start-time": "startup"})
    rows = router.rows("/system scheduler")
    assert rows[0]["interval"] == Time.seconds(86400) and rows[0]["start-time"] == Time.seconds(85800)
    assert rows[1]["interval"] == Time.seconds(90) and rows[1]["start-time"] == b"startup"


def test_set_and_remove_keep_the_unique_names_right(router: Router) -> None:
    a, b = add_scripts(router, "a", "b")
    with pytest.raises(RouterOSError, match="already exists"):
        call(router, "set", {"numbers": b, "name": b"a"})
    call(router, "set", {"numbers": a, "name": b"c"})  # frees "a"
    call(router, "set", {"numbers": b, "name": b"a"})
    assert call(router, "get", {"number": b"a", "value-name": b"name"}) == b"a"
    with pytest.raises(RouterOSError, match="no such item"):
        call(router, "get", {"number": b"b", "value-name": b"name"})
    call(router, "remove", {"numbers": b"c"})
    add_scripts(router, "c")


def test_the_unique_index_agrees_with_a_scan_of_the_items_under_any_writes() -> None:
    """Random adds, renames and removes through the menu, writes a subclass may make to ``items`` directly (a new row,
    a new dict) and power-cut undos (the journal): after each, every name is found where a scan of ``items`` finds it
    (one of the rows holding it) and an add of it is refused exactly when a scan finds it."""
    import random

    rng = random.Random(9)
    names = [f"n{i}".encode() for i in range(8)]
    for _ in range(40):
        router = Router(RouterOSVersion.parse("7.16.2"))
        table = router.scripts
        undo: list = []
        for _ in range(30):
            step = rng.randrange(6)
            name = rng.choice(names)
            ids = list(table.items)
            try:
                if step == 0 or not ids:
                    call(router, "add", {"name": name, "source": b""})
                elif step == 1:
                    call(router, "set", {"numbers": Id(rng.choice(ids)), "name": name})
                elif step == 2:
                    call(router, "remove", {"numbers": Id(rng.choice(ids))})
                elif step == 3:
                    table.items[table.next_id] = {**table.items[rng.choice(ids)], "name": name}  # a direct write
                    table.next_id += 1
                elif step == 4:
                    table.items = dict(table.items)
                elif undo:
                    undo.pop()()
            except RouterOSError:
                pass
            table.journal = undo.append if rng.random() < 0.5 else None
            for wanted in names:
                holders = [i for i, row in table.items.items() if row.get("name") == wanted]
                found = table.lookup(wanted)
                assert found in holders if holders else found is None  # (duplicates only from direct writes)
                refused = False
                try:
                    table._check_unique({"name": wanted}, None)
                except RouterOSError:
                    refused = True
                assert refused == bool(holders)
