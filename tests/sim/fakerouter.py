"""A small fake RouterPort for the interpreter's tests: generic tables and singletons, a log, a virtual clock.

Menus: ``/ip address`` (address, interface, disabled, comment), ``/interface`` (name, type, disabled, running),
``/system identity`` and ``/system clock`` (singletons), ``/system script`` (name, source; ``run`` runs the source
through the interpreter given to :meth:`FakeRouter.attach`). Commands: find (any property as a condition, ``where``),
get, set (``!prop`` unsets), add, remove, enable, disable, print (``as-value``, ``count-only``, ``where``). Every call
is recorded in ``calls``. Errors are :class:`RouterOSError`, as the contract wants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.contract import CommandSpec, MenuCall, MenuNode, RouterOSError, RunContext, ScriptRunner
from emulator.values import NOTHING, Array, Id

Value = Any
WRITE = frozenset({"write"})


@dataclass
class FakeTable:
    props: dict[str, Value]  # name → default
    rows: dict[int, dict[str, Value]] = field(default_factory=dict)
    next_id: int = 1
    singleton: bool = False

    def ids(self, ref: Value) -> list[int]:
        refs = list(ref.values()) if isinstance(ref, Array) else [ref]
        out: list[int] = []
        for one in refs:
            if isinstance(one, Id) and one.value in self.rows:
                out.append(one.value)
            elif isinstance(one, bytes) and (found := [i for i, r in self.rows.items() if r.get("name") == one]):
                out.extend(found)
            else:
                raise RouterOSError("no such item")
        return out

    def coerce(self, values: dict[str, Value]) -> dict[str, Value]:
        """Words arrive as text; like a menu, parse them by the property's type (here: the default's)."""
        out = {}
        for name, value in values.items():
            default = self.props.get(name)
            if isinstance(default, bool) and isinstance(value, bytes):
                if value not in (b"yes", b"no", b"true", b"false"):
                    raise RouterOSError(f"invalid value for argument {name}")
                value = value in (b"yes", b"true")
            out[name] = value
        return out

    def record(self, item_id: int) -> Array:
        return Array.mapping({".id": Id(item_id), **self.rows[item_id]})


def _commands(table: FakeTable) -> dict[str, CommandSpec]:
    names = frozenset(table.props)
    if table.singleton:
        return {
            "get": CommandSpec("get", params=frozenset({"value-name"}), unnamed=1, positional=("value-name",)),
            "set": CommandSpec("set", params=names, policy=WRITE),
            "print": CommandSpec("print", flags=frozenset({"as-value"})),
        }
    numbers = frozenset({"numbers"})
    return {
        "find": CommandSpec("find", params=names, where=True),
        "get": CommandSpec(
            "get", params=frozenset({"number", "value-name"}), unnamed=2, positional=("number", "value-name")
        ),
        "set": CommandSpec("set", params=names | numbers, unnamed=1, positional=("numbers",), policy=WRITE),
        "add": CommandSpec("add", params=names, policy=WRITE),
        "remove": CommandSpec("remove", params=numbers, unnamed=1, positional=("numbers",), policy=WRITE),
        "enable": CommandSpec("enable", params=numbers, unnamed=1, positional=("numbers",), policy=WRITE),
        "disable": CommandSpec("disable", params=numbers, unnamed=1, positional=("numbers",), policy=WRITE),
        "print": CommandSpec(
            "print", params=frozenset({"proplist"}), flags=frozenset({"as-value", "count-only", "detail"}), where=True
        ),
    }


class FakeRouter:
    """Implements RouterPort. ``attach`` gives it the interpreter that ``/system script run`` uses."""

    def __init__(self) -> None:
        self.tables: dict[tuple[str, ...], FakeTable] = {
            ("ip", "address"): FakeTable({"address": b"", "interface": b"", "disabled": False, "comment": b""}),
            ("interface",): FakeTable({"name": b"", "type": b"ether", "disabled": False, "running": True}),
            ("system", "identity"): FakeTable({"name": b"MikroTik"}, {0: {"name": b"MikroTik"}}, singleton=True),
            ("system", "clock"): FakeTable(
                {"date": b"2026-11-30", "time": b"23:55:00"},
                {0: {"date": b"2026-11-30", "time": b"23:55:00"}},
                singleton=True,
            ),
            ("system", "script"): FakeTable({"name": b"", "source": b""}),
        }
        self.tree = MenuNode("")
        for path, table in self.tables.items():
            node = self.tree
            for name in path:
                node = node.children.setdefault(name, MenuNode(name))
            node.commands.update(_commands(table))
        script = self.tree.children["system"].children["script"]
        script.commands["run"] = CommandSpec("run", params=frozenset({"number"}), unnamed=1, positional=("number",))
        self.environment: dict[str, Value] = {}
        self.calls: list[MenuCall] = []
        self.logs: list[tuple[str, bytes]] = []
        self.slept_ns = 0
        self.clock_ns = 1_795_000_000 * 10**9
        self.runner: ScriptRunner | None = None

    def attach(self, runner: ScriptRunner) -> None:
        self.runner = runner

    # --- RouterPort ------------------------------------------------------------------------------------------------

    def log(self, level: str, message: bytes, ctx: RunContext) -> None:
        self.logs.append((level, message))

    def sleep(self, ns: int, ctx: RunContext) -> None:
        self.slept_ns += ns
        self.clock_ns += ns

    def now_ns(self) -> int:
        return self.clock_ns

    def gmt_offset(self) -> int:
        """Seconds east of UTC (optional for a RouterPort; ``:timestamp use-tz`` uses it)."""
        return 3600

    def call(self, call: MenuCall, ctx: RunContext) -> Value:
        self.calls.append(call)
        table = self.tables.get(call.menu)
        if table is None:
            raise RouterOSError("no such menu")
        if call.menu == ("system", "script") and call.command == "run":
            return self._run_script(table, call, ctx)
        handler = getattr(self, "_" + call.command)
        return handler(table, call)

    # --- commands ----------------------------------------------------------------------------------------------------

    def _matching(self, table: FakeTable, call: MenuCall) -> list[int]:
        out = []
        for item_id, row in table.rows.items():
            props = {".id": Id(item_id), **row}
            if call.where is not None and not call.where(props):
                continue
            if any(row.get(k) != v for k, v in table.coerce(dict(call.args)).items() if k in table.props):
                continue
            out.append(item_id)
        return out

    def _find(self, table: FakeTable, call: MenuCall) -> Value:
        return Array([Id(i) for i in self._matching(table, call)])

    def _print(self, table: FakeTable, call: MenuCall) -> Value:
        if table.singleton:
            return Array.mapping(dict(table.rows[0]))
        matched = self._matching(table, MenuCall(call.menu, "print", {}, call.flags, call.where))
        if "count-only" in call.flags:
            return len(matched)
        if "as-value" in call.flags:
            return Array([table.record(i) for i in matched])
        return NOTHING

    def _get(self, table: FakeTable, call: MenuCall) -> Value:
        if table.singleton:
            row = table.rows[0]
            name = call.args.get("value-name")
        else:
            ids = table.ids(call.args.get("number", NOTHING))
            if len(ids) != 1:
                raise RouterOSError("no such item")
            row = table.rows[ids[0]]
            name = call.args.get("value-name")
            if name is None:
                return table.record(ids[0])
        if name is None:
            return Array.mapping(dict(row))
        key = name.decode() if isinstance(name, bytes) else str(name)
        if key not in table.props:
            raise RouterOSError("input does not match any value of value-name")
        return row.get(key, NOTHING)

    def _set(self, table: FakeTable, call: MenuCall) -> Value:
        changes = table.coerce({k: v for k, v in call.args.items() if k in table.props})
        targets = [0] if table.singleton else table.ids(call.args.get("numbers", NOTHING))
        for item_id in targets:
            table.rows[item_id].update(changes)
            for name in call.unset:
                table.rows[item_id][name] = table.props[name]
        return NOTHING

    def _add(self, table: FakeTable, call: MenuCall) -> Value:
        row = dict(table.props)
        row.update(table.coerce(dict(call.args)))
        item_id = table.next_id
        table.next_id += 1
        table.rows[item_id] = row
        return Id(item_id)

    def _remove(self, table: FakeTable, call: MenuCall) -> Value:
        for item_id in table.ids(call.args.get("numbers", NOTHING)):
            del table.rows[item_id]
        return NOTHING

    def _enable(self, table: FakeTable, call: MenuCall) -> Value:
        for item_id in table.ids(call.args.get("numbers", NOTHING)):
            table.rows[item_id]["disabled"] = False
        return NOTHING

    def _disable(self, table: FakeTable, call: MenuCall) -> Value:
        for item_id in table.ids(call.args.get("numbers", NOTHING)):
            table.rows[item_id]["disabled"] = True
        return NOTHING

    def _run_script(self, table: FakeTable, call: MenuCall, ctx: RunContext) -> Value:
        (item_id,) = table.ids(call.args.get("number", NOTHING))
        row = table.rows[item_id]
        assert self.runner is not None, "attach an interpreter first"
        name = row["name"].decode()
        result = self.runner.run(row["source"], name=name, path=f"script:{name}", policy=ctx.policy)
        ctx.output.extend(result.output)
        if not result.ok:
            raise RouterOSError(result.error)
        return NOTHING

    # --- helpers for tests -------------------------------------------------------------------------------------------

    def add(self, menu: tuple[str, ...], **values: Value) -> Id:
        table = self.tables[menu]
        row = dict(table.props)
        row.update({k.replace("_", "-"): v for k, v in values.items()})
        table.rows[table.next_id] = row
        table.next_id += 1
        return Id(table.next_id - 1)


def interpreter(version: str = "7.16", **options: Any) -> tuple[FakeRouter, Any]:
    """A fake router with an :class:`~emulator.interp.Interpreter` attached."""
    from emulator.interp import Interpreter
    from emulator.version import RouterOSVersion

    router = FakeRouter()
    interp = Interpreter(router, RouterOSVersion.parse(version), **options)
    router.attach(interp)
    return router, interp
