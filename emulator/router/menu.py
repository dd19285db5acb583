"""The base of every emulated menu: commands with their policy check, value coercion, and settings singletons.

:class:`Menu` holds a menu's properties and commands; :meth:`Menu.dispatch` refuses a command the caller's policy
does not allow with ``not enough permissions (9)`` (routeros-scripting.md §7 [D HELP]) and unknown parameters before
running it. :class:`Singleton` is a settings menu with one record (``/system identity``, ``/tool e-mail``): ``get
[value-name]``, ``set``, ``print``. Tables of items live in ``table.py``.

Must not: parse or evaluate script source, print, or compare RouterOS versions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from emulator.contract import CommandSpec, MenuCall, RouterOSError, RunContext, Value
from emulator.router.proptypes import Prop, is_unset, text_of
from emulator.values import NOTHING, Array, Id, tostr

READ = frozenset({"read"})
WRITE = frozenset({"write"})
NO_PERMISSION = "not enough permissions (9)"  # the message RouterOS logs (routeros-scripting.md §7 [D HELP])
NO_SUCH_ITEM = "no such item"

Handler = Callable[[MenuCall, RunContext], Value]
ID_ARGS = ("numbers", "number", ".id")  # the API may name the item ``.id`` (platform.md §5.2)
PRINT_FLAGS = frozenset({"as-value", "count-only", "detail", "brief", "terse", "without-paging", "show-ids"})


def on_items(
    name: str, *, extra: Iterable[str] = (), policy: frozenset[str] = WRITE, required: frozenset[str] = frozenset()
) -> CommandSpec:
    """A command whose first unnamed argument is ``numbers`` (an id, an id list or a name): remove, enable, …"""
    params = frozenset({"numbers", *extra})
    return CommandSpec(name, params=params, unnamed=1, positional=("numbers",), policy=policy, required=required)


@dataclass(frozen=True, slots=True)
class Command:
    spec: CommandSpec
    run: Handler


class Menu:
    """A menu at ``path`` with its commands. Subclasses register commands in ``__init__``."""

    def __init__(self, path: tuple[str, ...], props: Iterable[Prop] = ()) -> None:
        self.path = path
        self.props: dict[str, Prop] = {p.name: p for p in props}
        self.commands: dict[str, Command] = {}

    def command(self, spec: CommandSpec, run: Handler) -> None:
        self.commands[spec.name] = Command(spec, run)

    def dispatch(self, call: MenuCall, ctx: RunContext) -> Value:
        found = self.commands.get(call.command)
        if found is None:
            raise RouterOSError("bad command name " + call.command)
        if not found.spec.policy <= ctx.policy:
            raise RouterOSError(NO_PERMISSION)
        allowed = found.spec.params | set(ID_ARGS)
        for name in call.args:
            if name not in allowed:
                raise RouterOSError(f"unknown parameter {name}")
        for name in call.flags:
            if name not in found.spec.flags:
                raise RouterOSError(f"unknown parameter {name}")
        if call.where is not None and not found.spec.where:
            raise RouterOSError("unknown parameter where")
        missing = sorted(n for n in found.spec.required if n not in call.args)
        if missing:
            raise RouterOSError("missing value(s) of argument(s) " + ",".join(missing))
        return found.run(call, ctx)

    # --- values ----------------------------------------------------------------------------------------------------

    def coerce(self, name: str, value: Value) -> Value:
        prop = self.props.get(name)
        if prop is None:
            raise RouterOSError(f"unknown parameter {name}")
        return prop.type.coerce(name, value)

    def visible(self, values: Mapping[str, Value], ctx: RunContext) -> dict[str, Value]:
        """The set properties a caller may read, in menu order (sensitive ones need the ``sensitive`` policy)."""
        sensitive_ok = "sensitive" in ctx.policy
        out: dict[str, Value] = {}
        for name, prop in self.props.items():
            value = values.get(name)
            if is_unset(value) or (prop.sensitive and not sensitive_ok):
                continue
            out[name] = value
        return out

    def read_one(self, values: Mapping[str, Value], name: str, ctx: RunContext) -> Value:
        prop = self.props.get(name)
        if prop is None:
            # [INF] the console wording for a value-name the menu lacks; a runtime error, catchable (platform.md §3.3)
            raise RouterOSError("input does not match any value of value-name")
        if prop.sensitive and "sensitive" not in ctx.policy:
            raise RouterOSError(NO_PERMISSION)
        value = values.get(name)
        return prop.type.empty if is_unset(value) else value

    def writable(self) -> frozenset[str]:
        return frozenset(n for n, p in self.props.items() if not p.readonly)

    def unsettable(self, call: MenuCall) -> frozenset[str]:
        """Properties written ``!name`` in a ``set`` (scripting manual "Menu specific commands")."""
        names = frozenset(getattr(call, "unset", frozenset()))
        for name in names:
            prop = self.props.get(name)
            if prop is None or prop.readonly or prop.required:
                raise RouterOSError(f"unknown parameter {name}")
        return names


def record_array(values: Mapping[str, Value], item_id: int | None = None) -> Array:
    pairs: dict[str, Value] = {}
    if item_id is not None:
        pairs[".id"] = Id(item_id)
    pairs.update(values)
    return Array.mapping(pairs)


def text_line(values: Mapping[str, Value], prefix: str = "") -> bytes:
    """A ``print detail`` line. [INF] The real console aligns columns and wraps; scripts must not parse it."""
    parts = []
    for name, value in values.items():
        shown = (b"yes" if value else b"no") if isinstance(value, bool) else tostr(value)
        if b" " in shown or not shown:
            shown = b'"' + shown + b'"'
        parts.append(name.encode() + b"=" + shown)
    return prefix.encode() + b" ".join(parts)


def proplist(call: MenuCall) -> frozenset[str] | None:
    raw = call.args.get("proplist")
    if raw is None:
        return None
    if isinstance(raw, Array):
        return frozenset(text_of(v) for v in raw.values())
    return frozenset(w.strip() for w in text_of(raw).split(",") if w.strip())


class Singleton(Menu):
    """A settings menu with one record: ``get [value-name]``, ``set``, ``print``."""

    def __init__(self, path: tuple[str, ...], props: Iterable[Prop], *, settable: bool = True) -> None:
        super().__init__(path, props)
        self.record: dict[str, Value] = {n: p.default for n, p in self.props.items() if p.default is not None}
        self.command(
            CommandSpec("get", params=frozenset({"value-name"}), unnamed=1, positional=("value-name",)), self._get
        )
        self.command(CommandSpec("print", flags=frozenset({"as-value", "without-paging"})), self._print)
        if settable:
            self.command(CommandSpec("set", params=self.writable(), policy=WRITE), self._set)

    def computed(self) -> dict[str, Value]:
        return {}

    def values(self) -> dict[str, Value]:
        merged = dict(self.record)
        merged.update(self.computed())
        return merged

    def check_set(self, changes: dict[str, Value], ctx: RunContext) -> None: ...

    def changed(self, names: frozenset[str], ctx: RunContext) -> None: ...

    def update(self, changes: Mapping[str, Value], ctx: RunContext | None = None) -> None:
        ctx = ctx or RunContext()
        typed = {name: self.coerce(name, value) for name, value in changes.items()}
        self.check_set(typed, ctx)
        self.record.update(typed)
        self.changed(frozenset(typed), ctx)

    def _get(self, call: MenuCall, ctx: RunContext) -> Value:
        name = call.args.get("value-name")
        if name is None:
            return record_array(self.visible(self.values(), ctx))
        return self.read_one(self.values(), text_of(name), ctx)

    def _print(self, call: MenuCall, ctx: RunContext) -> Value:
        shown = self.visible(self.values(), ctx)
        if "as-value" in call.flags:
            return record_array(shown)
        ctx.output.append(text_line(shown))
        return NOTHING

    def _set(self, call: MenuCall, ctx: RunContext) -> Value:
        for name in call.args:
            prop = self.props.get(name)
            if prop is None or prop.readonly:
                raise RouterOSError(f"unknown parameter {name}")
        unset = self.unsettable(call)
        self.update(call.args, ctx)
        for name in unset:
            self.record.pop(name, None)
            if self.props[name].default is not None:
                self.record[name] = self.props[name].default
        return NOTHING
