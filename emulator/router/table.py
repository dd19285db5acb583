"""Tables of items: ordered items with ``*id``s and the generic commands on them.

A :class:`Table` holds items in ``*id`` order (hex ids that only grow and are never reused) and implements ``find``,
``get``, ``set``, ``add``, ``remove``, ``print`` (``as-value``, ``count-only``, ``detail``, ``where``, ``proplist``),
``enable``/``disable`` and ``comment`` with RouterOS semantics (routeros-scripting.md §7). Subclasses add
menu-specific commands and react to changes through the ``check_*``/``added``/``changed``/``removed`` hooks and
:meth:`Table.computed` (live read-only values such as counters).

Must not: parse or evaluate script source (``where`` arrives as a predicate), print, or compare RouterOS versions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from emulator.contract import CommandSpec, MenuCall, RouterOSError, RunContext, Value
from emulator.router.menu import (
    ID_ARGS,
    NO_SUCH_ITEM,
    PRINT_FLAGS,
    WRITE,
    Menu,
    on_items,
    proplist,
    record_array,
    text_line,
)
from emulator.router.proptypes import Prop, is_unset, text_of
from emulator.values import NOTHING, Array, Id, tostr


def _add_row(index: dict[str, dict[Value, list[int]]], item_id: int, values: Mapping[str, Value]) -> None:
    for name, by_value in index.items():
        value = values.get(name)
        if not is_unset(value):
            by_value.setdefault(value, []).append(item_id)


class Table(Menu):
    """An ordered table of items. ``addable``/``removable``/``settable`` say which writes the menu offers.

    Unique properties (and the key of :meth:`lookup`) are checked through an index, value → ids, kept up to date by
    :meth:`insert`, :meth:`update` and :meth:`delete` (issue 9: a scan per added user made loading N users O(N²)).
    A subclass may still write ``items`` directly: a new ``items`` dict, a changed number of items or a changed
    ``next_id`` makes the next check rebuild the index from ``items``; what it must not do is change a unique
    property of a stored row in place.
    """

    def __init__(
        self,
        path: tuple[str, ...],
        props: Iterable[Prop],
        *,
        addable: bool = True,
        removable: bool = True,
        settable: bool = True,
    ) -> None:
        super().__init__(path, props)
        self.items: dict[int, dict[str, Value]] = {}
        self.next_id = 1
        self.key = next((p.name for p in self.props.values() if p.unique), None)
        self._unique = frozenset(p.name for p in self.props.values() if p.unique)
        self._key_cache: dict[bytes, int] = {}
        #: Unique property → value → ids of the items holding it (:meth:`_unique_index`), valid while ``_stamp`` is.
        self._index: dict[str, dict[Value, list[int]]] | None = None
        self._stamp: tuple[int, int, int] = (0, -1, -1)
        #: Set by the router when writes can be lost in a power cut (``Behaviour.power_cut_loses_writes_s``): called
        #: with a function that undoes the write just made.
        self.journal: Callable[[Callable[[], None]], None] | None = None
        names = frozenset(self.props)
        self.command(CommandSpec("find", params=names, where=True), self._find)
        self.command(
            CommandSpec(
                "get", params=frozenset({"number", "value-name"}), unnamed=2, positional=("number", "value-name")
            ),
            self._get,
        )
        self.command(
            CommandSpec("print", params=frozenset({"proplist"}), flags=PRINT_FLAGS, where=True),
            self._print,
        )
        if settable:
            self.command(
                CommandSpec(
                    "set", params=self.writable() | {"numbers"}, unnamed=1, positional=("numbers",), policy=WRITE
                ),
                self._set,
            )
            if "disabled" in self.props:
                self.command(on_items("enable"), self._enable)
                self.command(on_items("disable"), self._disable)
            if "comment" in self.props:
                spec = CommandSpec(
                    "comment",
                    params=frozenset({"numbers", "comment"}),
                    unnamed=2,
                    positional=("numbers", "comment"),
                    policy=WRITE,
                )
                self.command(spec, self._comment)
        if addable:
            required = frozenset(p.name for p in self.props.values() if p.required)
            self.command(CommandSpec("add", params=self.writable(), required=required, policy=WRITE), self._add)
        if removable:
            self.command(on_items("remove"), self._remove)

    # --- hooks for subclasses --------------------------------------------------------------------------------------

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        """Live read-only values (counters, uptime) merged over the stored ones."""
        return {}

    #: Names :meth:`computed` may return. None: unknown, so a ``where`` filter computes the whole row for every item;
    #: a table that declares them lets a filter on stored properties skip that cost (e.g. ``user=$u && active``).
    live_props: frozenset[str] | None = None

    def print_hidden(self) -> frozenset[str]:
        """Properties ``print`` leaves out of its rows (``get`` still reads them)."""
        return frozenset()

    def check_add(self, values: dict[str, Value], ctx: RunContext) -> None:
        """Validate (and complete) a new item before it is stored; raise RouterOSError to refuse."""

    def added(self, item_id: int, ctx: RunContext) -> None: ...

    def check_set(self, item_id: int, changes: dict[str, Value], ctx: RunContext) -> None: ...

    def changed(self, item_id: int, names: frozenset[str], ctx: RunContext) -> None: ...

    def check_remove(self, item_id: int, ctx: RunContext) -> None: ...

    def removed(self, item_id: int, values: dict[str, Value], ctx: RunContext) -> None: ...

    # --- driver API (no policy checks) -----------------------------------------------------------------------------

    def values(self, item_id: int) -> dict[str, Value]:
        """Stored and live values of an item, in menu order."""
        stored = self.items[item_id]
        merged = dict(stored)
        merged.update(self.computed(item_id, stored))
        ordered = {name: merged[name] for name in self.props if not is_unset(merged.get(name))}
        ordered.update((k, v) for k, v in merged.items() if k not in ordered and not is_unset(v))
        return ordered

    def rows(self) -> list[tuple[int, dict[str, Value]]]:
        return [(item_id, self.values(item_id)) for item_id in list(self.items)]

    def lookup(self, key_value: str | bytes) -> int | None:
        """The item whose key property (its unique name) equals ``key_value``."""
        if self.key is None:
            return None
        wanted = key_value.encode() if isinstance(key_value, str) else key_value
        cached = self._key_cache.get(wanted)
        if cached is not None and cached in self.items and self.items[cached].get(self.key) == wanted:
            return cached  # checked on every hit, so direct writes to `items` can never make it wrong
        index = self._unique_index()
        if index is not None:
            ids = index[self.key].get(wanted, ())
            if len(ids) < 2:  # (two or more: the first in table order, as the scan below finds it)
                return ids[0] if ids else None
        for item_id, values in self.items.items():
            if values.get(self.key) == wanted:
                self._key_cache[wanted] = item_id
                return item_id
        return None

    def insert(self, values: Mapping[str, Value], ctx: RunContext | None = None) -> int:
        """Adds an item as ``add`` would (defaults, types, uniqueness, hooks) and returns its id."""
        ctx = ctx or RunContext()
        record: dict[str, Value] = {}
        for name, prop in self.props.items():
            if name in values:
                record[name] = self.coerce(name, values[name])
            elif prop.default is not None:
                record[name] = prop.default
        missing = sorted(p.name for p in self.props.values() if p.required and is_unset(record.get(p.name)))
        if missing:
            raise RouterOSError("missing value(s) of argument(s) " + ",".join(missing))
        self._check_unique(record, None)
        self.check_add(record, ctx)
        item_id = self.next_id
        index = self._unique_index()
        self.next_id += 1  # ids only grow: a removed *id is never handed out again [INF, consistent with exports]
        self.items[item_id] = record
        if index is not None:
            self._index_row(index, item_id, record, add=True)
        self.added(item_id, ctx)
        if self.journal is not None:
            self.journal(lambda: self._forget(item_id))
        return item_id

    def _forget(self, item_id: int) -> None:
        """Undoes an insert (a write lost in a power cut)."""
        self.items.pop(item_id, None)
        self._index = None

    def _restore(self, item_id: int, values: dict[str, Value], always: bool) -> None:
        """Undoes a set (``always`` False: only if the item is still there) or a remove (a write lost in a power
        cut)."""
        if always or item_id in self.items:
            self.items[item_id] = values
        self._index = None

    def update(self, item_id: int, changes: Mapping[str, Value], ctx: RunContext | None = None) -> None:
        ctx = ctx or RunContext()
        typed = {name: self.coerce(name, value) for name, value in changes.items()}
        if not self._unique.isdisjoint(typed):
            # Only a write to a unique property can make a duplicate: every other item was checked when it was
            # written, so a set of other properties skips the scan over the table (it made a nightly run O(N²)).
            candidate = dict(self.items[item_id])
            candidate.update(typed)
            self._check_unique(candidate, item_id)
        self.check_set(item_id, typed, ctx)
        if self.journal is not None:
            before = dict(self.items[item_id])
            self.journal(lambda: self._restore(item_id, before, always=False))
        index = self._unique_index() if not self._unique.isdisjoint(typed) else None
        if index is not None:
            self._index_row(index, item_id, self.items[item_id], add=False)
        self.items[item_id].update(typed)
        if index is not None:
            self._index_row(index, item_id, self.items[item_id], add=True)
        self.changed(item_id, frozenset(typed), ctx)

    def delete(self, item_id: int, ctx: RunContext | None = None) -> None:
        ctx = ctx or RunContext()
        self.check_remove(item_id, ctx)
        index = self._unique_index()
        values = self.items.pop(item_id)
        if index is not None:
            self._index_row(index, item_id, values, add=False)
        self.removed(item_id, values, ctx)
        if self.journal is not None:
            self.journal(lambda: self._restore(item_id, values, always=True))

    # --- id resolution ---------------------------------------------------------------------------------------------

    def resolve(self, value: Value) -> list[int]:
        """Item ids named by an argument: an Id, an array of ids (``[find …]``), ``*1A``, a key name, or a comma list.

        Print numbers (``set 0 …``) are console-only (routeros-scripting.md §7 [D TIPS]) and refused here.
        """
        if value is None or value is NOTHING:
            return []
        if isinstance(value, Array):
            out: list[int] = []
            for element in value.values():
                out.extend(self.resolve(element))
            return out
        if isinstance(value, Id):
            if value.value not in self.items:
                raise RouterOSError(NO_SUCH_ITEM)
            return [value.value]
        if isinstance(value, int) and not isinstance(value, bool):
            raise RouterOSError(NO_SUCH_ITEM)
        raw = value if isinstance(value, bytes) else str(value).encode() if isinstance(value, str) else tostr(value)
        out = []
        for word in raw.split(b","):
            word = word.strip()
            if not word:
                continue
            if word.startswith(b"*"):
                try:
                    number = int(word[1:], 16)
                except ValueError:
                    raise RouterOSError(NO_SUCH_ITEM) from None
                if number not in self.items:
                    raise RouterOSError(NO_SUCH_ITEM)
                out.append(number)
                continue
            found = self.lookup(word)
            if found is None:
                raise RouterOSError(NO_SUCH_ITEM)
            out.append(found)
        return out

    def ids_of(self, call: MenuCall) -> list[int]:
        for name in ID_ARGS:
            if name in call.args:
                return self.resolve(call.args[name])
        return []

    def one_id(self, call: MenuCall) -> int:
        ids = self.ids_of(call)
        if not ids:
            raise RouterOSError(NO_SUCH_ITEM)
        if len(ids) > 1:
            raise RouterOSError("invalid internal item number")  # [INF] get on several items
        return ids[0]

    def _unique_index(self) -> dict[str, dict[Value, list[int]]] | None:
        """The index of the unique properties, rebuilt from ``items`` when they may have been written directly
        (see the class); None for a table without unique properties or with a value that cannot be hashed."""
        if not self._unique:
            return None
        stamp = (id(self.items), len(self.items), self.next_id)
        if self._index is not None and stamp == self._stamp:
            return self._index
        index: dict[str, dict[Value, list[int]]] = {name: {} for name in self._unique}
        try:
            for item_id, values in self.items.items():
                _add_row(index, item_id, values)
        except TypeError:  # a value that cannot be hashed: no index, the scans
            self._index = None
            return None
        self._index, self._stamp = index, stamp
        return index

    def _index_row(
        self, index: dict[str, dict[Value, list[int]]], item_id: int, values: Mapping[str, Value], *, add: bool
    ) -> None:
        """Adds the unique values in ``values`` (an item's) to the index or takes them out of it."""
        try:
            if add:
                _add_row(index, item_id, values)
            else:
                for name, by_value in index.items():
                    value = values.get(name)
                    ids = None if is_unset(value) else by_value.get(value)
                    if ids is not None and item_id in ids:
                        ids.remove(item_id)
                        if not ids:
                            del by_value[value]
        except TypeError:
            self._index = None
            return
        self._stamp = (id(self.items), len(self.items), self.next_id)

    def _check_unique(self, record: Mapping[str, Value], own_id: int | None) -> None:
        index = self._unique_index()
        if index is not None:
            try:
                for name in self._unique:
                    value = record.get(name)
                    if not is_unset(value) and any(other != own_id for other in index[name].get(value, ())):
                        raise RouterOSError("failure: item with such name already exists")  # [INF] as below
                return
            except TypeError:
                pass  # a value that cannot be hashed: the scan
        for name, prop in self.props.items():
            if not prop.unique or is_unset(record.get(name)):
                continue
            for other_id, other in self.items.items():
                if other_id != own_id and other.get(name) == record[name]:
                    # [INF] wording; RouterOS refuses duplicate names in named tables
                    raise RouterOSError("failure: item with such name already exists")

    # --- generic commands ------------------------------------------------------------------------------------------

    def matching(self, call: MenuCall, ctx: RunContext, filters: Mapping[str, Value]) -> list[int]:
        typed = {name: self.coerce(name, value) for name, value in filters.items()}
        out = []
        for item_id in list(self.items):
            stored = self.items[item_id]
            # Filters on stored properties are checked before the (possibly costly) live values are computed.
            if any(name in stored and stored[name] != want for name, want in typed.items()):
                continue
            if typed and any(self.values(item_id).get(name) != want for name, want in typed.items()):
                continue
            if call.where is not None and not call.where(_LazyRow(self, item_id, stored, ctx)):
                continue
            out.append(item_id)
        return out

    def _find(self, call: MenuCall, ctx: RunContext) -> Value:
        return Array([Id(i) for i in self.matching(call, ctx, call.args)])

    def _get(self, call: MenuCall, ctx: RunContext) -> Value:
        item_id = self.one_id(call)
        values = self.values(item_id)
        name = call.args.get("value-name")
        if name is None:
            return record_array(self.visible(values, ctx), item_id)
        return self.read_one(values, text_of(name), ctx)

    def _print(self, call: MenuCall, ctx: RunContext) -> Value:
        ids = self.matching(call, ctx, {})
        if "count-only" in call.flags:
            if "as-value" not in call.flags:
                ctx.output.append(str(len(ids)).encode())
            return len(ids)
        wanted = proplist(call)
        hidden = self.print_hidden()
        rows = []
        for item_id in ids:
            shown = self.visible(self.values(item_id), ctx)
            if wanted is not None:
                shown = {k: v for k, v in shown.items() if k in wanted}
            if hidden:
                shown = {k: v for k, v in shown.items() if k not in hidden}
            rows.append((item_id, shown))
        if "as-value" in call.flags:
            return Array([record_array(shown, item_id) for item_id, shown in rows])
        for number, (_, shown) in enumerate(rows):
            ctx.output.append(text_line(shown, f"{number:>2} "))
        return NOTHING

    def _set(self, call: MenuCall, ctx: RunContext) -> Value:
        changes = {k: v for k, v in call.args.items() if k not in ID_ARGS}
        for name in changes:
            prop = self.props.get(name)
            if prop is None or prop.readonly:
                raise RouterOSError(f"unknown parameter {name}")
        unset = self.unsettable(call)
        for item_id in self.ids_of(call):
            self.update(item_id, changes, ctx)
            for name in unset:
                self.items[item_id].pop(name, None)
                if self.props[name].default is not None:
                    self.items[item_id][name] = self.props[name].default  # [INF] unset falls back to the default
            if unset:
                self.changed(item_id, unset, ctx)
        return NOTHING

    def _enable(self, call: MenuCall, ctx: RunContext) -> Value:
        for item_id in self.ids_of(call):
            self.update(item_id, {"disabled": False}, ctx)
        return NOTHING

    def _disable(self, call: MenuCall, ctx: RunContext) -> Value:
        for item_id in self.ids_of(call):
            self.update(item_id, {"disabled": True}, ctx)
        return NOTHING

    def _comment(self, call: MenuCall, ctx: RunContext) -> Value:
        for item_id in self.ids_of(call):
            self.update(item_id, {"comment": call.args.get("comment", b"")}, ctx)
        return NOTHING

    def _add(self, call: MenuCall, ctx: RunContext) -> Value:
        for name in call.args:
            prop = self.props.get(name)
            if prop is None or prop.readonly:
                raise RouterOSError(f"unknown parameter {name}")
        return Id(self.insert(call.args, ctx))

    def _remove(self, call: MenuCall, ctx: RunContext) -> Value:
        for item_id in self.ids_of(call):
            if item_id in self.items:  # a list may name the same item twice
                self.delete(item_id, ctx)
        return NOTHING


class _LazyRow(Mapping[str, Value]):
    """An item's visible properties for a ``where`` predicate, computing live values only when one is read."""

    __slots__ = ("_ctx", "_full", "_id", "_stored", "_table")

    def __init__(self, table: Table, item_id: int, stored: dict[str, Value], ctx: RunContext) -> None:
        self._table, self._id, self._stored, self._ctx = table, item_id, stored, ctx
        self._full: dict[str, Value] | None = None

    def _all(self) -> dict[str, Value]:
        if self._full is None:
            self._full = self._table.visible(self._table.values(self._id), self._ctx)
            self._full[".id"] = Id(self._id)
        return self._full

    def __getitem__(self, name: str) -> Value:
        if name == ".id":
            return Id(self._id)
        prop = self._table.props.get(name)
        if prop is None:  # not a property of this menu (e.g. a script variable the filter also looks up)
            raise KeyError(name)
        live = self._table.live_props
        if live is None and type(self._table).computed is Table.computed:
            live = frozenset()  # nothing is computed: the stored record is the whole row
        if live is not None and name not in live and not prop.sensitive and name in self._stored:
            value = self._stored[name]
            if is_unset(value):
                raise KeyError(name)
            return value
        return self._all()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())
