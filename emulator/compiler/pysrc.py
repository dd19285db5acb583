"""Python source for statements: a block's statements fused into one generated function (issue 9: the
per-statement cost); ``pyexpr.py`` writes ``:set``/``:local`` of a local with its expression as Python.

What it changes is only how many Python calls a statement costs, never what it does: a block
(:meth:`~emulator.compiler.context.Context.block`) is one function that runs its statements in order, each with the
statement count, the power-cut check and the error position of :func:`counted` written inline, instead of one closure
per statement called from a loop. A statement is a :class:`Snippet`: the call of its closure, or (``pyexpr.py``) its
own source. Generated code objects are cached by their source text, so a program compiles each shape once.

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
from emulator.values import NOTHING, Array, Value

#: Stands for a statement's own prefix in its names until the statement is placed in a block.
PREFIX = "__P__"
_CODE: dict[str, CodeType] = {}
_CODE_LIMIT = 4096

#: Names every generated function may use.
BASE: dict[str, object] = {
    "ScriptFailure": ScriptFailure,
    "OperatorError": OperatorError,
    "NOTHING": NOTHING,
    "Array": Array,
    "BreakSignal": BreakSignal,
    "ContinueSignal": ContinueSignal,
    "check_limit": check_limit,
}


@dataclass(slots=True)
class Snippet:
    """Python statements for one RouterOS statement: ``lines`` (using ``f``, ``run``, ``S`` and names starting with
    :data:`PREFIX`), the ``names`` they refer to, and ``value``, the Python expression of the statement's value (or
    None: the statement's value is nothing)."""

    lines: list[str]
    names: dict[str, object] = field(default_factory=dict)
    value: str | None = None


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
    return Snippet(lines, {**inner.names, position: pos}, inner.value)


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
    return Snippet(lines, all_names, value)


def for_loop(index: int, body: list[Snippet]) -> Callable[[Frame, int, int, int], None]:
    """``:for`` once ``from``, ``to`` and ``step`` are numbers: the closure ``control._for`` builds, with the body's
    statements written into the loop. ``index`` is the counter's slot."""
    inner, names, _ = place(body, " " * 16)
    rounds = [
        f"            S[{index}] = i",
        "            rounds += 1",
        "            if run.steps > limit or rounds > limit:",
        "                check_limit(run)",
        "            try:",
        *inner,
        "            except BreakSignal:",
        "                break",
        "            except ContinueSignal:",
        "                pass",
        "            i += s",
    ]
    lines = [
        "def _generated(f, i, last, s):",
        "    run = f.run",
        "    S = f.slots",
        "    rounds = 0",
        "    limit = run.limit",
        "    if s > 0:",
        "        while i <= last:",
        *rounds,
        "    elif s < 0:",
        "        while i >= last:",
        *rounds,
    ]
    loop = function("\n".join(lines) + "\n", names)
    return cast(Callable[[Frame, int, int, int], None], loop)


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
