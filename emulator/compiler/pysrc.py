"""Python source for statements: a block's statements fused into one generated function (issue 9: the
per-statement cost); ``pyexpr.py`` writes ``:set``/``:local`` of a local with its expression as Python.

What it changes is only how many Python calls a statement costs, never what it does: a block
(:meth:`~emulator.compiler.context.Context.block`) is one function that runs its statements in order, each with the
statement count, the power-cut check and the error position of :func:`counted` written inline, instead of one closure
per statement called from a loop. A statement is a :class:`Snippet`: the call of its closure, or (``pyexpr.py``) its
own source. Generated code objects are cached by their source text, so a program compiles each shape once.

Statements with source of their own: ``:set``/``:local`` of a local and ``:set ($a->k)`` (``assign.py``), plain
builtins, ``:if``, ``:for``, ``:while``, ``:foreach`` and ``:do`` with block bodies (``control.py``), function calls
(``calls.py``); a ``[ ]`` in their expressions is written in place too (``pyexpr.subst``). A statement whose source
nests more than :data:`INLINE_DEPTH` Python blocks is called as its closure where it stands.

Must not: decide semantics, or put script text into the source: only names, slot numbers and ``repr`` of Python ints
reach it; every other value is bound by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import CodeType, FunctionType
from typing import cast

from emulator import ops
from emulator.contract import SourcePos
from emulator.ops import OperatorError
from emulator.runtime import BreakSignal, ContinueSignal, Eval, Frame, ScriptFailure, check_limit
from emulator.values import NIL, NOTHING, Array, Value

#: A statement whose source nests more Python blocks (``try``, ``while``, ``for``) than this is called as its closure
#: where it stands rather than written in place: CPython compiles at most 20 nested blocks in one function, and a
#: snippet adds at most 4 to the deepest statement written into it.
INLINE_DEPTH = 10
#: Stands for a statement's own prefix in its names until the statement is placed in a block.
PREFIX = "__P__"
_CODE: dict[str, CodeType] = {}
_CODE_LIMIT = 4096

#: Names every generated function may use.
BASE: dict[str, object] = {
    "ScriptFailure": ScriptFailure,
    "OperatorError": OperatorError,
    "NOTHING": NOTHING,
    "NIL": NIL,
    "Array": Array,
    "BreakSignal": BreakSignal,
    "ContinueSignal": ContinueSignal,
    "check_limit": check_limit,
}


@dataclass(slots=True)
class Snippet:
    """Python statements for one RouterOS statement: ``lines`` (using ``f``, ``run``, ``S`` and names starting with
    :data:`PREFIX`), the ``names`` they refer to, ``value``, the Python expression of the statement's value (or
    None: the statement's value is nothing), and ``depth``, how many Python blocks the lines nest."""

    lines: list[str]
    names: dict[str, object] = field(default_factory=dict)
    value: str | None = None
    depth: int = 0
    #: Nothing in the lines but slot reads and writes, constants and ``ops`` functions: nothing that reads or
    #: changes ``run`` (a loop of such statements keeps the statement count in a local, :func:`for_loop`).
    pure: bool = False


def deepest(snippets: list[Snippet] | None) -> int:
    return max((snippet.depth for snippet in snippets or ()), default=0)


def inlined(source: Snippet | None, statement: Eval) -> Snippet:
    """A counted statement as it is written into another's source: its own source, or when that has none or nests too
    deep (:data:`INLINE_DEPTH`), the call of its closure."""
    return source if source is not None and source.depth <= INLINE_DEPTH else call(statement)


def function(source: str, names: dict[str, object]) -> Callable[..., Value]:
    """The function ``_generated`` defined by ``source``, its globals ``names`` (code compiled once per source)."""
    code = _CODE.get(source)
    if code is None:
        module = compile(source, "<routeros compiled>", "exec")
        code = next(const for const in module.co_consts if isinstance(const, CodeType))
        if len(_CODE) >= _CODE_LIMIT:
            _CODE.clear()
        _CODE[source] = code
    return cast(Callable[..., Value], FunctionType(code, {**BASE, **names}))


def counted(inner: Snippet, pos: SourcePos) -> Snippet:
    """``core.counted`` as source: the count, the power-cut trap, the error position."""
    position = f"{PREFIX}pos"
    lines = [
        f"{PREFIX}n = run.steps = run.steps + 1",
        f"if {PREFIX}n > run.cut_at:",
        "    run.interp.statement_trap(run)",
        "try:",
        *("    " + line for line in inner.lines),
        f"except ScriptFailure as {PREFIX}e:",
        f"    if {PREFIX}e.pos is None:",
        f"        {PREFIX}e.pos = {position}",
        "    raise",
        f"except OperatorError as {PREFIX}e:",
        f"    raise ScriptFailure(str({PREFIX}e), {position}) from None",
    ]
    return Snippet(lines, {**inner.names, position: pos}, inner.value, inner.depth + 1, inner.pure)


def call(evaluate: Eval) -> Snippet:
    """A statement compiled to a closure: called from the generated source."""
    name, value = f"{PREFIX}c", f"{PREFIX}v"
    return Snippet([f"{value} = {name}(f)"], {name: evaluate}, value)


def place(snippets: list[Snippet], indent: str, outer: str = "") -> tuple[list[str], dict[str, object], str]:
    """The snippets' lines one after the other (names prefixed by position, inside ``outer``), their names, the last
    one's value."""
    lines: list[str] = []
    names: dict[str, object] = {}
    value = "NOTHING"
    for index, snippet in enumerate(snippets):
        prefix = f"{outer}s{index}_"
        lines.extend(indent + line.replace(PREFIX, prefix) for line in snippet.lines)
        names.update({key.replace(PREFIX, prefix): item for key, item in snippet.names.items()})
        value = snippet.value.replace(PREFIX, prefix) if snippet.value is not None else "NOTHING"
    return lines, names, value


def if_statement(
    condition: str,
    names: dict[str, object],
    then: list[Snippet] | None,
    otherwise: list[Snippet] | None,
    pre: list[str] | None = None,
    pre_depth: int = 0,
) -> Snippet:
    """``:if`` as ``control._if`` runs it: the condition (the lines ``pre`` it needs first, its source and names),
    then one branch's statements in place; the value is that branch's last statement's (nothing for a missing or
    empty branch)."""
    test, value, truthy = f"{PREFIX}c", f"{PREFIX}v", f"{PREFIX}truthy"
    lines = [*(pre or ()), f"{test} = {condition}", f"if {test} is True or ({test} is not False and {truthy}({test})):"]
    all_names = {**names, truthy: ops.truthy}
    for index, branch in enumerate((then, otherwise)):
        if index == 1:
            lines.append("else:")
        if branch is None:
            lines.append(f"    {value} = NOTHING")
            continue
        # The two branches' names apart: "d" (do=) and "e" (else=).
        inner, inner_names, last = place(branch, "    ", outer=PREFIX + "de"[index])
        lines.extend(inner)
        lines.append(f"    {value} = {last}")
        all_names.update(inner_names)
    return Snippet(lines, all_names, value, max(pre_depth, deepest(then), deepest(otherwise)))


def for_loop(index: int, body: list[Snippet]) -> Callable[[Frame, int, int, int], None]:
    """``:for`` once ``from``, ``to`` and ``step`` are numbers: the closure ``control._for`` builds, with the body's
    statements written into the loop. ``index`` is the counter's slot."""
    inner, names, _ = place(body, " " * 16)
    local = bool(body) and all(snippet.pure for snippet in body)
    if local:
        # Only slots and constants in the body: the count lives in ``steps`` and goes back to ``run.steps`` before
        # the limit check, before the power-cut trap (which takes the cut statement back off) and when the loop ends.
        inner = [_local_count(line) for line in inner]
    rounds = [
        f"            S[{index}] = i",
        "            rounds += 1",
        f"            if {'steps' if local else 'run.steps'} > limit or rounds > limit:",
        *(["                run.steps = steps"] if local else []),
        "                check_limit(run)",
        "            try:",
        *inner,
        "            except BreakSignal:",
        "                break",
        "            except ContinueSignal:",
        "                pass",
        "            i += s",
    ]
    loops = [
        "if s > 0:",
        "    while i <= last:",
        *rounds,
        "elif s < 0:",
        "    while i >= last:",
        *rounds,
    ]
    if local:
        loops = ["steps = run.steps", "cut = run.cut_at", "try:", *("    " + line for line in loops), "finally:"]
        loops.append("    run.steps = steps")
    lines = [
        "def _generated(f, i, last, s):",
        "    run = f.run",
        "    S = f.slots",
        "    rounds = 0",
        "    limit = run.limit",
        *("    " + line for line in loops),
    ]
    loop = function("\n".join(lines) + "\n", names)
    return cast(Callable[[Frame, int, int, int], None], loop)


def _round(body: list[Snippet], indent: str) -> tuple[list[str], dict[str, object]]:
    """A loop round as the closures run it: the body's statements in place, ``:break`` ends the loop and
    ``:continue`` the round."""
    inner, names, _ = place(body, indent + "    ", outer=f"{PREFIX}b")
    lines = [
        f"{indent}try:",
        *(inner or [f"{indent}    pass"]),
        f"{indent}except BreakSignal:",
        f"{indent}    break",
        f"{indent}except ContinueSignal:",
        f"{indent}    pass",
    ]
    return lines, names


def _until(condition: str, pre: list[str], indent: str) -> list[str]:
    """The lines that end a loop when ``condition`` (after the lines ``pre``) is not true (``ops.truthy``)."""
    test, truthy = f"{PREFIX}c", f"{PREFIX}truthy"
    return [
        *(indent + line for line in pre),
        f"{indent}{test} = {condition}",
        f"{indent}if not ({test} is True or ({test} is not False and {truthy}({test}))):",
        f"{indent}    break",
    ]


def while_loop(
    condition: str, names: dict[str, object], pre: list[str], pre_depth: int, body: list[Snippet]
) -> Snippet:
    """``:while`` as ``control._while`` runs it: the condition (its lines ``pre``, source and names) before each round,
    the rounds counted against the limit, the body's statements in place."""
    rounds = f"{PREFIX}r"
    inner, inner_names = _round(body, "    ")
    lines = [
        f"{rounds} = 0",
        "while True:",
        *_until(condition, pre, "    "),
        f"    {rounds} += 1",
        f"    if run.steps > run.limit or {rounds} > run.limit:",
        "        check_limit(run)",
        *inner,
    ]
    depth = max(1 + pre_depth, 2 + deepest(body))
    return Snippet(lines, {**names, **inner_names, f"{PREFIX}truthy": ops.truthy}, None, depth)


def foreach_loop(
    collection: str,
    names: dict[str, object],
    pre: list[str],
    pre_depth: int,
    key_slot: int | None,
    value_slot: int,
    body: list[Snippet],
) -> Snippet:
    """``:foreach`` as ``control._foreach`` runs it: the collection's entries (one round for a single value, none for
    nil or nothing), the key and a copy of the value in their slots, the body's statements in place."""
    values, entries, key, value = f"{PREFIX}all", f"{PREFIX}entries", f"{PREFIX}key", f"{PREFIX}value"
    inner, inner_names = _round(body, "    ")
    lines = [
        *pre,
        f"{values} = {collection}",
        f"if type({values}) is Array:",
        f"    {entries} = list({values}.entries())",
        f"elif {values} is NIL or {values} is NOTHING:",
        f"    {entries} = []",
        "else:",
        f"    {entries} = [(0, {values})]",
        f"for {key}, {value} in {entries}:",
        *([f"    S[{key_slot}] = {key}"] if key_slot is not None else []),
        f"    S[{value_slot}] = {value}.copy() if type({value}) is Array else {value}",
        "    if run.steps > run.limit:",
        "        check_limit(run)",
        *inner,
    ]
    return Snippet(lines, {**names, **inner_names}, None, max(pre_depth, 2 + deepest(body)))


def do_loop(
    body: list[Snippet],
    condition: tuple[str, dict[str, object], list[str], int] | None,
    handler: list[Snippet] | None,
) -> Snippet:
    """``:do { } [while=( )] [on-error={ }]`` as ``control._do`` runs it: the body, then the condition (its source,
    names and lines before it), the rounds after the first counted against the limit; a script error in any of it
    runs the handler's statements in place (the statement's value is then the handler's)."""
    rounds, value = f"{PREFIX}r", f"{PREFIX}v"
    inner, names = _round(body, "    ")
    loop = [f"{rounds} = 0", "while True:", *inner]
    depth = 2 + deepest(body)
    if condition is None:
        loop.append("    break")
    else:
        source, condition_names, pre, pre_depth = condition
        depth = max(depth, 1 + pre_depth)
        names = {**names, **condition_names, f"{PREFIX}truthy": ops.truthy}
        loop += [
            *_until(source, pre, "    "),
            f"    {rounds} += 1",
            f"    if run.steps > run.limit or {rounds} > run.limit:",
            "        check_limit(run)",
        ]
    if handler is None:
        return Snippet(loop, names, None, depth)
    caught, caught_names, last = place(handler, "    ", outer=f"{PREFIX}h")
    lines = [
        f"{value} = NOTHING",
        "try:",
        *("    " + line for line in loop),
        "except ScriptFailure:",
        *caught,
        f"    {value} = {last}",
    ]
    return Snippet(lines, {**names, **caught_names}, value, max(depth + 1, deepest(handler) + 1))


def _local_count(line: str) -> str:
    """A line of :func:`counted` that reads or writes the count, rewritten to use a loop's local ``steps``."""
    indent = line[: len(line) - len(line.lstrip())]
    text = line.strip()
    if text.endswith("n = run.steps = run.steps + 1"):
        return indent + text.replace("run.steps = run.steps + 1", "steps = steps + 1")
    if text.endswith("n > run.cut_at:"):
        return indent + text.replace("run.cut_at", "cut")
    if text == "run.interp.statement_trap(run)":
        return f"{indent}run.steps = steps; steps -= 1; run.interp.statement_trap(run)"
    return line


def statement(snippet: Snippet) -> Eval:
    """A statement with source of its own, as a closure that generates its function when first called: the compiler
    places it into its block's function instead (``Context.block``), so this one is rarely called."""
    generated: Eval | None = None

    def run(f: Frame) -> Value:
        nonlocal generated
        if generated is None:
            generated = block([snippet])
        return generated(f)

    return run


def block(snippets: list[Snippet]) -> Eval:
    """One function running the snippets in order; its value is the last one's."""
    inner, names, value = place(snippets, "    ")
    lines = ["def _generated(f):", "    run = f.run", "    S = f.slots", *inner, f"    return {value}"]
    return function("\n".join(lines) + "\n", names)
