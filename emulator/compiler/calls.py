"""Compile calls and code: ``$f a b n=1``, ``[$f]``, ``[[:parse $cmd]]``, ``:parse`` and ``:execute``.

Semantics (routeros-scripting.md §4.4, §5): named arguments become ``$name``, unnamed ones ``$1``, ``$2`` … (numbering
skips the named ones) and ``$0`` is the called variable quoted [O il, O fx 154024]; a missing argument is nothing;
a function runs in a fresh frame that sees none of its caller's locals [O lsp]; ``:return v`` ends it with ``v``;
``:parse`` returns code or raises a catchable ``syntax error (line L column C)`` [D HELP, EW ValidateSyntax]; calling
an undeclared function gives nil [D TIPS].

Must not: compile declarations (``assign.py``) or control flow (``control.py``).
"""

from __future__ import annotations

from routeros_lsp.syntax import ast

from emulator.compiler.context import Bound, Context, Path, Scope
from emulator.compiler.expr import argument, copy_if_array
from emulator.contract import EmulatorRefusal
from emulator.runtime import BreakSignal, ContinueSignal, Eval, Frame, ReturnSignal, RunState, ScriptFailure, Unit
from emulator.values import NIL, NOTHING, Code, Id, Op, Value, callable_code, tostr, typeof
from generator.rsc.syntax import text_bytes

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
