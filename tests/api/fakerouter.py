"""A small fake RouterPort for the API server's tests, until the emulated router (emulator/router/) lands.

It has ``/system script`` and ``/system scheduler`` tables (add/set/remove/print/get, script run), the
``/system resource`` singleton with ``version``, ``/system package`` print, and a minimal User Manager user table at the
version's menu (v6 ``/tool user-manager user``, v7 ``/user-manager user``). It follows the contract's conventions for
the API: ``print`` with ``as-value`` returns an Array of keyed rows (``.id`` first), ``add`` returns the new Id, errors
are RouterOSError. Every call is recorded in ``calls``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.contract import CommandSpec, MenuCall, MenuNode, RouterOSError, RunContext
from emulator.values import Array, Id, Time
from emulator.version import RouterOSVersion

Value = Any


@dataclass
class Table:
    types: dict[str, str]
    defaults: dict[str, Value]
    read_only: frozenset[str] = frozenset()
    rows: dict[int, dict[str, Value]] = field(default_factory=dict)
    next_id: int = 1

    def find(self, ref: Value) -> list[int]:
        refs = list(ref.items) if isinstance(ref, Array) else [ref]
        found: list[int] = []
        for one in refs:
            if isinstance(one, Id) and one.value in self.rows:
                found.append(one.value)
            elif isinstance(one, bytes) and (ids := [i for i, row in self.rows.items() if row.get("name") == one]):
                found.extend(ids)
            else:
                raise RouterOSError("no such item", category=0)
        return found

    def as_value(self, item_id: int) -> Array:
        return Array.mapping({".id": Id(item_id), **self.rows[item_id]})


def _table_commands(table: Table, extra: dict[str, CommandSpec] | None = None) -> dict[str, CommandSpec]:
    writable = frozenset(table.types) - table.read_only
    commands = {
        "add": CommandSpec("add", params=writable, policy=frozenset({"write"})),
        "set": CommandSpec("set", params=writable, unnamed=1, positional=("numbers",), policy=frozenset({"write"})),
        "remove": CommandSpec("remove", unnamed=1, positional=("numbers",), policy=frozenset({"write"})),
        "print": CommandSpec("print", flags=frozenset({"as-value", "count-only", "detail"}), where=True),
        "get": CommandSpec("get", unnamed=2, positional=("numbers", "value-name")),
    }
    commands.update(extra or {})
    return commands


class FakeRouter:
    def __init__(self, version: RouterOSVersion | str = "7.16.2") -> None:
        self.version = RouterOSVersion.parse(version) if isinstance(version, str) else version
        self.environment: dict[str, Value] = {}
        self.calls: list[MenuCall] = []
        self.script_runs: list[bytes] = []
        self.tables: dict[tuple[str, ...], Table] = {
            ("system", "script"): Table(
                types={
                    "name": "str",
                    "source": "str",
                    "policy": "array",
                    "dont-require-permissions": "bool",
                    "comment": "str",
                    "owner": "str",
                    "run-count": "num",
                },
                defaults={
                    "owner": b"admin",
                    "policy": Array([b"read", b"write", b"test"]),
                    "dont-require-permissions": False,
                    "run-count": 0,
                    "source": b"",
                },
                read_only=frozenset({"owner", "run-count"}),
            ),
            ("system", "scheduler"): Table(
                types={
                    "name": "str",
                    "start-date": "str",
                    "start-time": "str",
                    "interval": "time",
                    "on-event": "str",
                    "policy": "array",
                    "disabled": "bool",
                    "comment": "str",
                    "run-count": "num",
                },
                defaults={
                    "start-time": b"startup",
                    "interval": Time(0),
                    "on-event": b"",
                    "disabled": False,
                    "run-count": 0,
                    "policy": Array([b"read", b"write", b"test"]),
                },
                read_only=frozenset({"run-count"}),
            ),
            self.user_manager_menu: Table(
                types={"name": "str", "password": "str", "comment": "str", "disabled": "bool"},
                defaults={"disabled": False},
            ),
            ("system", "package"): Table(types={"name": "str", "version": "str", "disabled": "bool"}, defaults={}),
        }
        base = "system" if self.version.split_packages else "routeros"
        for name in (base, "user-manager"):
            self._insert(("system", "package"), {"name": name.encode(), "version": str(self.version).encode()})
        self.resource: dict[str, Value] = {
            "uptime": Time.seconds(90061),
            "version": f"{self.version} (stable)".encode(),
            "board-name": b"CHR",
            "cpu-load": 3,
        }
        self.tree = self._build_tree()

    @property
    def user_manager_menu(self) -> tuple[str, ...]:
        return ("user-manager", "user") if self.version.user_manager_v7 else ("tool", "user-manager", "user")

    # --- the tree the API resolves command words against -----------------------------------------------------------

    def _build_tree(self) -> MenuNode:
        root = MenuNode("")
        for path, table in self.tables.items():
            extra = None
            if path == ("system", "script"):
                extra = {"run": CommandSpec("run", unnamed=1, positional=("number",), policy=frozenset({"test"}))}
            if path == ("system", "package"):
                node = self._node(root, path)
                node.commands = {"print": _table_commands(table)["print"]}
                node.types = dict(table.types)
                continue
            node = self._node(root, path)
            node.commands = _table_commands(table, extra)
            node.types = dict(table.types)
        resource = self._node(root, ("system", "resource"))
        resource.commands = {
            "print": CommandSpec("print", flags=frozenset({"as-value"})),
            "get": CommandSpec("get", unnamed=1, positional=("value-name",)),
        }
        resource.types = {"uptime": "time", "version": "str", "board-name": "str", "cpu-load": "num"}
        return root

    @staticmethod
    def _node(root: MenuNode, path: tuple[str, ...]) -> MenuNode:
        node = root
        for name in path:
            node = node.children.setdefault(name, MenuNode(name))
        return node

    # --- RouterPort ------------------------------------------------------------------------------------------------

    def call(self, call: MenuCall, ctx: RunContext) -> Value:
        self.calls.append(call)
        if call.menu == ("system", "resource"):
            if call.command == "get":
                name = call.args["value-name"].decode()
                if name not in self.resource:
                    raise RouterOSError(f"no such property {name}")
                return self.resource[name]
            return Array.mapping(self.resource)
        table = self.tables[call.menu]
        handler = getattr(self, "_" + call.command.replace("-", "_"))
        return handler(call, table)

    def log(self, level: str, message: bytes, ctx: RunContext) -> None:
        pass

    def sleep(self, ns: int, ctx: RunContext) -> None:
        pass

    def now_ns(self) -> int:
        return 0

    # --- commands --------------------------------------------------------------------------------------------------

    def _insert(self, menu: tuple[str, ...], props: dict[str, Value]) -> Id:
        table = self.tables[menu]
        item_id = table.next_id
        table.next_id += 1
        table.rows[item_id] = {**table.defaults, **props}
        return Id(item_id)

    def _add(self, call: MenuCall, table: Table) -> Id:
        name = call.args.get("name")
        if name is None:
            raise RouterOSError("failure: name must be set", category=1)
        if any(row.get("name") == name for row in table.rows.values()):
            raise RouterOSError("failure: item with such name already exists")
        return self._insert(call.menu, dict(call.args))

    def _set(self, call: MenuCall, table: Table) -> None:
        args = dict(call.args)
        for item_id in table.find(args.pop("numbers")):
            table.rows[item_id].update(args)

    def _remove(self, call: MenuCall, table: Table) -> None:
        for item_id in table.find(call.args["numbers"]):
            del table.rows[item_id]

    def _get(self, call: MenuCall, table: Table) -> Value:
        (item_id,) = table.find(call.args["numbers"])
        name = call.args.get("value-name")
        if name is None:
            return table.as_value(item_id)
        return table.rows[item_id].get(name.decode())

    def _print(self, call: MenuCall, table: Table) -> Value:
        rows = []
        for item_id in sorted(table.rows):
            props = {".id": Id(item_id), **table.rows[item_id]}
            if call.where is None or call.where(props):
                rows.append(table.as_value(item_id))
        if "count-only" in call.flags:
            return len(rows)
        return Array(rows)

    def _run(self, call: MenuCall, table: Table) -> None:
        (item_id,) = table.find(call.args["number"])
        table.rows[item_id]["run-count"] += 1
        self.script_runs.append(table.rows[item_id]["source"])
