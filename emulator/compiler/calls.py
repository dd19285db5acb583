"""Compile calls and code: ``$f a b n=1``, ``[$f]``, ``[[:parse $cmd]]``, ``:parse`` and ``:execute``.

Semantics (routeros-scripting.md §4.4, §5): named arguments become ``$name``, unnamed ones ``$1``, ``$2`` … (numbering
skips the named ones) and ``$0`` is the called variable quoted [O il, O fx 154024]; a missing argument is nothing;
a function runs in a fresh frame that sees none of its caller's locals [O lsp]; ``:return v`` ends it with ``v``;
``:parse`` returns code or raises a catchable ``syntax error (line L column C)`` [D HELP, EW ValidateSyntax]; calling
an undeclared function gives nil [D TIPS].

Must not: compile declarations (``assign.py``) or control flow (``control.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from routeros_lsp.syntax import ast

from emulator.compiler import pyexpr, pysrc
from emulator.compiler.context import Bound, Context, Path, Scope
from emulator.compiler.expr import argument, copy_if_array
from emulator.contract import EmulatorRefusal
from emulator.runtime import BreakSignal, ContinueSignal, Eval, Frame, ReturnSignal, RunState, ScriptFailure, Unit
from emulator.values import NIL, NOTHING, Code, Id, Op, Value, callable_code, tostr, typeof
from generator.rsc.syntax import text_bytes

#: Calls written out as source (``_call_source``) outside ``where`` filters; the tests compare them with the closures.
CALLS_WRITTEN_OUT = True
MAX_CALL_DEPTH = 100  # RouterOS's limit is unknown (routeros-scripting.md §9); deep enough for real scripts [I]


# --- calls ------------------------------------------------------------------------------------------------------------


def run_if_code(evaluate: Eval) -> Eval:
    def run(f: Frame) -> Value:
        value = evaluate(f)
        code = callable_code(value)
        return value if code is None else call_code(f.run, code, {})  # a value in [ ] that is not code is itself

    return run


def call(
    c: Context, head: ast.Variable | ast.Group | ast.Subst, rest: list[ast.Element], scope: Scope, path: Path
) -> Eval:
    """``$f a b n=1`` or ``[$f …]``: named arguments become ``$n``, unnamed ones ``$1``, ``$2`` … (numbering skips
    the named ones) and ``$0`` is the name called [D HELP, O fx 154024]. Called through an array element
    (``[($a->"f") x y]``) the arguments shift: ``$0`` is ``x`` [O fx 154024]."""
    if not scope.in_where and CALLS_WRITTEN_OUT:
        return _call_source(c, head, rest, scope, path)
    callee = argument(c, head, scope, path)
    named: list[tuple[str, Eval]] = []
    positional: list[Eval] = []
    for element in rest:
        if isinstance(element, ast.Named):
            key = element.name.text if isinstance(element.name, ast.Word) else element.name.value
            named.append((key, copy_if_array(argument(c, element.value, scope, path))))
        elif isinstance(element, ast.Operator):
            raise c.problem("syntax", element.start, "unexpected '='")
        else:
            positional.append(copy_if_array(argument(c, element, scope, path)))
    first = 1 if isinstance(head, ast.Variable) else 0
    numbered = tuple((str(first + i), e) for i, e in enumerate(positional))
    given = tuple(named)
    # $0 is the called variable quoted: RouterOS compiles `$f a` as (<%% $f (> $f);a), and `$0` prints "$f" [O il,
    # O fx 154024].
    zero = Op(b"$" + text_bytes(head.name)) if isinstance(head, ast.Variable) else None

    def invoke(f: Frame) -> Value:
        fn = callee(f)
        code = callable_code(fn)
        if code is None:
            return call_non_code(fn)
        args: dict[str, Value] = {}
        if zero is not None:
            args["0"] = zero
        for key, evaluate in numbered:
            args[key] = evaluate(f)
        for key, evaluate in given:
            args[key] = evaluate(f)
        return call_code(f.run, code, args)

    return invoke


def _call_source(
    c: Context, head: ast.Variable | ast.Group | ast.Subst, rest: list[ast.Element], scope: Scope, path: Path
) -> Eval:
    """:func:`call` written out as source (``pysrc.py``): the callee, then when it is code the arguments in the order
    ``invoke`` evaluates them (``$0``, the numbered ones, the named ones) in one dict display, and ``call_code``."""
    writer = pyexpr.Writer()
    callee = pyexpr.value(c, head, scope, path, writer)
    before = len(writer.pre)
    named: list[tuple[str, ast.Element | None]] = []
    positional: list[ast.Element] = []
    for element in rest:
        if isinstance(element, ast.Named):
            key = element.name.text if isinstance(element.name, ast.Word) else element.name.value
            named.append((key, element.value))
        elif isinstance(element, ast.Operator):
            raise c.problem("syntax", element.start, "unexpected '='")
        else:
            positional.append(element)
    first = 1 if isinstance(head, ast.Variable) else 0
    keys = [str(first + i) for i in range(len(positional))] + [key for key, _ in named]
    elements: list[ast.Element | None] = [*positional, *(value for _, value in named)]

    def maker(element: ast.Element | None) -> Callable[[], str]:
        return lambda: pyexpr.copied_value(c, element, scope, path, writer)

    values = writer.sequence([maker(element) for element in elements])
    entries = [f"{writer.bind(key)}: {value}" for key, value in zip(keys, values, strict=True)]
    if isinstance(head, ast.Variable):
        entries.insert(0, f"{writer.bind('0')}: {writer.bind(Op(b'$' + text_bytes(head.name)))}")
    fn, code, result = f"{pysrc.PREFIX}fn", f"{pysrc.PREFIX}code", f"{pysrc.PREFIX}v"
    lines = [
        *writer.pre[:before],
        f"{fn} = {callee}",
        f"{code} = {writer.bind(callable_code)}({fn})",
        f"if {code} is None:",
        f"    {result} = {writer.bind(call_non_code)}({fn})",
        "else:",
        *("    " + line for line in writer.pre[before:]),
        f"    {result} = {writer.bind(call_code)}(run, {code}, {{{', '.join(entries)}}})",
    ]
    snippet = pysrc.Snippet(lines, writer.names, result, writer.depth)
    statement = pysrc.statement(snippet)
    c.own_source[statement] = snippet
    return statement


def call_non_code(value: Value) -> Value:
    """Calling what is not code. An undeclared function is ``nothing`` and its call gives nil: the manual's
    ``[$test $x]`` inside a function without ``:global test`` makes ``:typeof`` print ``nil`` [D TIPS "Running
    function from another function"]. Calling any other value is not modelled [I]."""
    if value is NOTHING:
        return NIL
    raise EmulatorRefusal(f"emulator refuses: calling a value of type {typeof(value)} (not code) is not modelled")


def call_code(run: RunState, code: Code, args: dict[str, Value]) -> Value:
    """Runs code in a fresh frame: its value is that of ``:return`` or else of its last command [I]."""
    unit: Unit = code.body
    if run.depth >= MAX_CALL_DEPTH:
        raise ScriptFailure("call depth exceeded")
    run.depth += 1
    try:
        return unit.body(Frame(run, unit.size, args))
    except ReturnSignal as signal:
        return signal.value
    except (BreakSignal, ContinueSignal):
        raise ScriptFailure(":break or :continue outside a loop") from None
    finally:
        run.depth -= 1


def execute(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    """``:execute``: runs the source to completion at once (a real router starts a background job) and returns a job
    id, or with ``as-string`` its output [D HELP]."""
    script = argument(c, bound.get("script"), scope, path, brace="text")
    as_string = "as-string" in bound.flags

    def run_execute(f: Frame) -> Value:
        run = f.run
        source = tostr(script(f))
        if len(source) > 65536:
            raise ScriptFailure("script too long")  # executed scripts are limited to 64 kB [D HELP]
        result = run.interp.run(source, name=run.ctx.script_name, path="execute", policy=run.ctx.policy)
        if as_string:
            return b"\n".join(result.output)
        run.interp.jobs += 1
        return Id(run.interp.jobs)

    return run_execute


def parse(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    source = argument(c, bound.get("value"), scope, path, brace="text")
    return lambda f: f.run.interp.parse_code(tostr(source(f)))
