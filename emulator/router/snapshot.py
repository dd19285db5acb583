"""Snapshots of an emulated router: a deep copy of everything it holds, taken once and restored as often as needed
(a power-cut sweep builds and installs a router once, then gives every cut its own copy).

The router's state is plain Python objects, but some of it lives in closures: the clock's queued events (scheduler
runs, mail delivery, accounting packets, fixture clients' logins), the undo entries of writes a power cut may lose,
boot hooks, the interpreter's compiled programs. :func:`copy.deepcopy` copies functions by reference, so a copy's
queued event would still act on the original router. :func:`clone` is ``deepcopy`` with one difference: a function
with a closure is copied too, its cells holding copies of what the original's hold (through the same memo, so
``self`` in a lambda is the copied router, not the original). Bound methods are copied with their object (as
``deepcopy`` does); a built-in method bound to an object (``some_list.append``) is re-bound to the object's copy.

What cannot be copied faithfully is refused with :class:`SnapshotError`: a router in the middle of a script run
or of an event (the Python stack is not state that can be copied), and objects ``deepcopy`` itself refuses
(generators, locks, sockets, threads). A snapshot holds no reference to the router it was taken from.

Must not: parse scripts, or share a mutable object between a snapshot and a router restored from it.
"""

from __future__ import annotations

import importlib.util
import types
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from emulator.router.router import Router

T = TypeVar("T")


class SnapshotError(RuntimeError):
    """The object cannot be copied faithfully (a run in progress, or state deepcopy refuses)."""


def _private_copy() -> Any:
    """A private instance of the standard ``copy`` module, so that its dispatch table can learn closures without
    changing ``copy.deepcopy`` for anybody else in the process."""
    spec = importlib.util.find_spec("copy")
    if spec is None or spec.loader is None:  # pragma: no cover - the standard library always has it
        raise SnapshotError("the standard copy module is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_copy = _private_copy()


def _function(func: types.FunctionType, memo: dict[int, Any]) -> types.FunctionType:
    if func.__closure__ is None and not func.__dict__ and not func.__defaults__ and not func.__kwdefaults__:
        return func  # a plain module-level function: nothing in it is state
    cells = tuple(types.CellType() for _ in func.__closure__ or ())
    new = types.FunctionType(func.__code__, func.__globals__, func.__name__, None, cells or None)
    memo[id(func)] = new  # before the cells' contents: a closure may refer to itself (recursion) or to its owner
    for old, cell in zip(func.__closure__ or (), cells, strict=True):
        try:
            contents = old.cell_contents
        except ValueError:  # an empty cell (a name assigned later in the enclosing function)
            continue
        cell.cell_contents = _copy.deepcopy(contents, memo)
    new.__defaults__ = _copy.deepcopy(func.__defaults__, memo)
    new.__kwdefaults__ = _copy.deepcopy(func.__kwdefaults__, memo)
    new.__dict__.update(_copy.deepcopy(func.__dict__, memo))
    new.__qualname__ = func.__qualname__
    new.__module__ = func.__module__
    new.__doc__ = func.__doc__
    new.__annotations__ = func.__annotations__
    return new


def _builtin_method(method: types.BuiltinMethodType, memo: dict[int, Any]) -> Any:
    owner = method.__self__
    if owner is None or isinstance(owner, types.ModuleType):
        return method  # a built-in function (len, time.monotonic): no state of ours
    return getattr(_copy.deepcopy(owner, memo), method.__name__)


def _refuse(what: str) -> Any:
    def refuse(value: Any, memo: dict[int, Any]) -> Any:
        raise SnapshotError(f"cannot snapshot {what} ({value!r}): not state that can be copied")

    return refuse


_copy._deepcopy_dispatch[types.FunctionType] = _function
_copy._deepcopy_dispatch[types.BuiltinMethodType] = _builtin_method
for _kind, _what in ((types.GeneratorType, "a generator"), (types.CoroutineType, "a coroutine"),
                     (types.FrameType, "a frame"), (types.TracebackType, "a traceback")):  # fmt: skip
    _copy._deepcopy_dispatch[_kind] = _refuse(_what)


def clone(value: T) -> T:
    """A deep copy of ``value`` in which closures are copied too (see the module docstring)."""
    try:
        copied: T = _copy.deepcopy(value)
    except SnapshotError:
        raise
    except TypeError as error:  # deepcopy's own refusal: "cannot pickle '_thread.lock' object" and the like
        raise SnapshotError(f"cannot snapshot: {error}") from None
    return copied


class Snapshot(Generic[T]):
    """A frozen copy of an object graph (a router, or a test bench that holds one); :meth:`restore` gives a new,
    independent copy each time, and the snapshot itself never changes."""

    __slots__ = ("_frozen",)

    def __init__(self, value: T, *, router: Router | None = None) -> None:
        """``router``: the router ``value`` is or holds; refused while a script or an event runs on it."""
        if router is not None:
            check_idle(router)
            compile_stored(router)
        self._frozen = clone(value)

    def restore(self) -> T:
        return clone(self._frozen)


def compile_stored(router: Router) -> None:
    """Has the runner compile every stored script and scheduler event now, as their runs would (same source, path and
    mode: the interpreter's cache key), so that every copy restored from a snapshot starts with them compiled instead
    of compiling them again at its first run. Only the runner's cache changes; a runner without ``load`` is left
    alone."""
    load = getattr(router.runner, "load", None)
    if load is None:
        return
    for _, values in router.scripts.rows():
        name = values.get("name", b"")
        if isinstance(name, bytes):
            load(values.get("source", b""), path="script:" + name.decode("utf-8", "replace"))
    for _, values in router.scheduler.rows():
        name, source = values.get("name", b""), values.get("on-event", b"")
        if isinstance(name, bytes) and isinstance(source, bytes) and router.scripts.lookup(source.strip()) is None:
            load(source, path="scheduler:" + name.decode("utf-8", "replace"))


def check_idle(router: Router) -> None:
    """Refuses a router that is inside a script run or an event: that state is on the Python stack."""
    if router.power_state.running or router.clock.depth:
        raise SnapshotError("cannot snapshot a router while a script or an event is running on it")
