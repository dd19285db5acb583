"""Compile the interpreter's own commands: the dispatcher for all of them, control flow and error handling.

Semantics (routeros-scripting.md §5): ``:for`` counts down when ``from > to`` and includes ``to`` [O db];
``:foreach k,v`` walks RouterOS order; ``:do … on-error`` catches runtime errors, ``:onerror e in={…} do={…}`` (7.13+)
also gives the message and returns true when there was an error [D HELP]; ``:return`` ends a function;
``:break``/``:continue`` (v7) end a loop round.

Declarations and ``:set`` are in ``assign.py``, calls, ``:parse`` and ``:execute`` in ``calls.py``.

Must not: implement plain value functions (``emulator/builtins.py``) or menu commands (``core.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from routeros_lsp.syntax import ast

from emulator import builtins, convert, ops
from emulator.compiler import assign, calls, pyexpr, pysrc
from emulator.compiler.assign import declared_name
from emulator.compiler.calls import call_code
from emulator.compiler.context import Bound, CommandCompiler, Context, Path, Scope
from emulator.compiler.expr import argument, is_name, stored
from emulator.contract import EmulatorRefusal
from emulator.resolve import LOG_COMMANDS, Builtin, keywords_for
from emulator.runtime import (
    BreakSignal,
    ContinueSignal,
    Eval,
    Frame,
    ReturnSignal,
    ScriptFailure,
    check_limit,
)
from emulator.values import NIL, NOTHING, Array, Time, Value, callable_code

#: The loops written out as Python source (``pysrc.py``) when their bodies are blocks; the others, and these in the
#: tests that compare the two, run as closures.
WRITTEN_OUT = frozenset({"for", "while", "foreach", "do"})


def builtin(c: Context, b: Builtin, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    if any(b is level for level in LOG_COMMANDS):
        # ":log error x" is the command error of the menu log, not the global :error [D HELP].
        return _pure(c, builtins.log(b.name), ("message",), bound, scope, path)
    special = _SPECIAL.get(b.name)
    if special is not None:
        return special(c, bound, head, scope, path)
    fn, params = builtins.PURE[b.name]
    return _pure(c, fn, params, bound, scope, path)


def _pure(
    c: Context, fn: Callable[..., Value], params: tuple[str, ...], bound: Bound, scope: Scope, path: Path
) -> Eval:
    if not scope.in_where:
        # Written out (pysrc.py): the call with its arguments' source, so that ``[:typeof $x]``, ``[:tostr ($u->"n")]``
        # in a ``[ ]`` or a block run as one generated function. The same calls in the same order as below.
        writer = pyexpr.Writer()
        values = writer.sequence([_pure_value(c, bound, p, scope, path, writer) for p in params])
        result = f"{pysrc.PREFIX}v"
        call = f"{result} = {writer.bind(fn)}({', '.join(['run', *values])})"
        if fn is builtins.typeof_ and values[0] != "None":
            # builtins.typeof_ with its lookup by type written out.
            value = writer.temp()
            names = writer.bind(builtins.TYPE_NAMES)
            call = f"{result} = {names}.get(type({value} := {values[0]})) or {writer.bind(fn)}(run, {value})"
        snippet = pysrc.Snippet([*writer.pre, call], writer.names, result, writer.depth)
        statement = pysrc.statement(snippet)
        c.own_source[statement] = snippet
        return statement
    evals = [argument(c, bound.get(p), scope, path) if bound.has(p) else None for p in params]
    if not evals:
        return lambda f: fn(f.run)
    if len(evals) == 1:
        only = evals[0]
        if only is None:
            return lambda f: fn(f.run, None)
        return lambda f: fn(f.run, only(f))
    parts = tuple(evals)
    return lambda f: fn(f.run, *[None if e is None else e(f) for e in parts])


def _pure_value(
    c: Context, bound: Bound, param: str, scope: Scope, path: Path, writer: pyexpr.Writer
) -> Callable[[], str]:
    if not bound.has(param):
        return lambda: "None"
    return lambda: pyexpr.value(c, bound.get(param), scope, path, writer)


def code_arg(c: Context, element: ast.Element | None, scope: Scope, path: Path) -> Eval | None:
    """A ``do=``/``else=``/``on-error=`` value: a block runs in place; another value runs if it is code [I]."""
    if element is None:
        return None
    if isinstance(element, ast.Brace):
        return c.code_block(element, scope, path)
    value = argument(c, element, scope, path)

    def run_value(f: Frame) -> Value:
        code = callable_code(value(f))
        return NOTHING if code is None else call_code(f.run, code, {})

    return run_value


# --- control flow ----------------------------------------------------------------------------------------------------


def _inline_block(c: Context, brace: ast.Brace | None, scope: Scope, path: Path) -> list[pysrc.Snippet] | None:
    """``c.code_block`` as snippets to write into a generated function (None for no block)."""
    if brace is None:
        return None
    evals, _ = c.statements(brace.body, scope.child(), path, carry=False)
    return [pysrc.inlined(c.counted_source.get(e), e) for e in evals]


def _if(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    then_element, else_element = bound.get("do"), bound.get("else")
    if isinstance(then_element, ast.Brace | None) and isinstance(else_element, ast.Brace | None):
        # As below, written out (pysrc.if_statement): the condition, then the branch's statements in place.
        writer = pyexpr.Writer()
        test = pyexpr.value(c, bound.get("condition"), scope, path, writer)
        then_block = _inline_block(c, then_element, scope, path)
        else_block = _inline_block(c, else_element, scope, path)
        snippet = pysrc.if_statement(test, writer.names, then_block, else_block, writer.pre, writer.depth)
        statement = pysrc.statement(snippet)
        c.own_source[statement] = snippet
        return statement
    condition = argument(c, bound.get("condition"), scope, path)
    then = code_arg(c, bound.get("do"), scope, path)
    otherwise = code_arg(c, bound.get("else"), scope, path)
    truthy = ops.truthy

    def run_if(f: Frame) -> Value:
        test = condition(f)
        if test is True or (test is not False and truthy(test)):
            return then(f) if then is not None else NOTHING
        return otherwise(f) if otherwise is not None else NOTHING

    return run_if


def _loop_body(c: Context, element: ast.Element | None, scope: Scope, path: Path) -> Eval:
    body = code_arg(c, element, scope.loop_body(), path)
    return body if body is not None else (lambda f: NOTHING)


def _guarded(c: Context, loop: Eval, bound: Bound, scope: Scope, path: Path) -> Eval:
    """``on-error=`` of ``:for``/``:foreach`` catches an error of the whole loop [I]."""
    handler = code_arg(c, bound.get("on-error"), scope, path)
    if handler is None:
        return loop

    def guarded(f: Frame) -> Value:
        try:
            return loop(f)
        except ScriptFailure:
            return handler(f)

    return guarded


def _number(value: Value, what: str) -> int:
    number = convert.tonum(value)
    if not isinstance(number, int):
        raise ScriptFailure(f"invalid value for argument {what}")
    return number


def _for(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    name = declared_name(c, bound.get("counter"), ":for")
    start = argument(c, bound.get("from"), scope, path) if bound.has("from") else (lambda f: 0)
    stop = argument(c, bound.get("to"), scope, path) if bound.has("to") else (lambda f: 0)
    step = argument(c, bound.get("step"), scope, path) if bound.has("step") else None
    inner = scope.child()
    index = inner.declare_local(name)  # the counter is a local of the body [O lsp d7]
    element = bound.get("do")
    if isinstance(element, ast.Brace) and element.body and "for" in WRITTEN_OUT:
        # The body's statements written into one generated loop (pysrc.for_loop): the same rounds as below.
        loop = pysrc.for_loop(index, _inline_block(c, element, inner.loop_body(), path) or [])

        def run_generated_for(f: Frame) -> Value:
            i, last = _number(start(f), "from"), _number(stop(f), "to")
            s = _number(step(f), "step") if step is not None else (1 if i <= last else -1)
            loop(f, i, last, s)
            return NOTHING

        return _guarded(c, run_generated_for, bound, scope, path)
    body = _loop_body(c, element, inner, path)

    def run_for(f: Frame) -> Value:
        i, last = _number(start(f), "from"), _number(stop(f), "to")
        # The default step is 1 or -1 depending on direction [O db "default is 1 or -1"].
        s = _number(step(f), "step") if step is not None else (1 if i <= last else -1)
        run = f.run
        slots = f.slots
        rounds = 0
        while (s > 0 and i <= last) or (s < 0 and i >= last):
            slots[index] = i
            rounds += 1
            if run.steps > run.limit or rounds > run.limit:
                check_limit(run)  # also rounds of an empty body: an endless loop must end in the emulator
            try:
                body(f)
            except BreakSignal:
                break
            except ContinueSignal:
                pass
            i += s
        return NOTHING

    return _guarded(c, run_for, bound, scope, path)


def _foreach(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    counter = bound.get("counter")
    names = counter.text.split(",") if isinstance(counter, ast.Word) else []
    if not 1 <= len(names) <= 2 or not all(is_name(n) and n not in keywords_for(c.version) for n in names):
        # a keyword cannot name a variable [D HELP "Keywords"] (assign.declared_name)
        raise c.problem("syntax", counter.start if counter else head.start, ":foreach needs v or k,v")
    element = bound.get("do")
    if isinstance(element, ast.Brace) and not bound.has("on-error") and "foreach" in WRITTEN_OUT:
        # As below, written out (pysrc.foreach_loop): the collection, then the body's statements in the loop.
        writer = pyexpr.Writer()
        source = pyexpr.value(c, bound.get("in"), scope, path, writer)
        inner = scope.child()
        key_slot = inner.declare_local(names[0]) if len(names) == 2 else None
        value_slot = inner.declare_local(names[-1])
        block = _inline_block(c, element, inner.loop_body(), path) or []
        return _own(c, pysrc.foreach_loop(source, writer.names, writer.pre, writer.depth, key_slot, value_slot, block))
    collection = argument(c, bound.get("in"), scope, path)
    inner = scope.child()
    key_slot = inner.declare_local(names[0]) if len(names) == 2 else None
    value_slot = inner.declare_local(names[-1])
    body = _loop_body(c, element, inner, path)

    def run_foreach(f: Frame) -> Value:
        values = collection(f)
        if type(values) is Array:
            entries = list(values.entries())
        elif values is NIL or values is NOTHING:
            entries = []
        else:
            entries = [(0, values)]  # a single value iterates once [I]
        run, slots = f.run, f.slots
        for key, value in entries:
            if key_slot is not None:
                slots[key_slot] = key
            slots[value_slot] = value.copy() if type(value) is Array else value
            if run.steps > run.limit:
                check_limit(run)
            try:
                body(f)
            except BreakSignal:
                break
            except ContinueSignal:
                pass
        return NOTHING

    return _guarded(c, run_foreach, bound, scope, path)


def _own(c: Context, snippet: pysrc.Snippet) -> Eval:
    """A statement with source of its own (``pysrc.py``)."""
    statement = pysrc.statement(snippet)
    c.own_source[statement] = snippet
    return statement


def _while(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    element = bound.get("do")
    if isinstance(element, ast.Brace) and "while" in WRITTEN_OUT:
        # As below, written out (pysrc.while_loop): the condition, then the body's statements in the loop.
        writer = pyexpr.Writer()
        test = pyexpr.value(c, bound.get("condition"), scope, path, writer)
        block = _inline_block(c, element, scope.loop_body(), path) or []
        return _own(c, pysrc.while_loop(test, writer.names, writer.pre, writer.depth, block))
    condition = argument(c, bound.get("condition"), scope, path)
    body = _loop_body(c, bound.get("do"), scope, path)
    truthy = ops.truthy

    def run_while(f: Frame) -> Value:
        run = f.run
        rounds = 0
        while truthy(condition(f)):
            rounds += 1
            if run.steps > run.limit or rounds > run.limit:
                check_limit(run)
            try:
                body(f)
            except BreakSignal:
                break
            except ContinueSignal:
                pass
        return NOTHING

    return run_while


def _do(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    element, on_error = bound.get("command"), bound.get("on-error")
    if isinstance(element, ast.Brace) and isinstance(on_error, ast.Brace | None) and "do" in WRITTEN_OUT:
        # As below, written out (pysrc.do_loop): the body's statements, the condition, the handler's in place.
        block = _inline_block(c, element, scope.loop_body(), path) or []
        test: tuple[str, dict[str, object], list[str], int] | None = None
        if bound.has("while"):
            writer = pyexpr.Writer()
            source = pyexpr.value(c, bound.get("while"), scope, path, writer)
            test = (source, writer.names, writer.pre, writer.depth)
        caught = _inline_block(c, on_error, scope, path) if bound.has("on-error") else None
        return _own(c, pysrc.do_loop(block, test, caught))
    body = _loop_body(c, element, scope, path)
    condition = argument(c, bound.get("while"), scope, path) if bound.has("while") else None
    handler = code_arg(c, bound.get("on-error"), scope, path)
    truthy = ops.truthy

    def run_do(f: Frame) -> Value:
        run = f.run
        rounds = 0
        while True:
            try:
                body(f)
            except BreakSignal:
                break
            except ContinueSignal:
                pass
            if condition is None or not truthy(condition(f)):
                break
            rounds += 1
            if run.steps > run.limit or rounds > run.limit:
                check_limit(run)
        return NOTHING

    if handler is None:
        return run_do

    def run_do_on_error(f: Frame) -> Value:
        try:
            return run_do(f)
        except ScriptFailure:
            return handler(f)  # the handler gets no message [D HELP]

    return run_do_on_error


def _onerror(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    name = declared_name(c, bound.get("error"), ":onerror")
    inner = scope.child()
    index = inner.declare_local(name)
    attempt = code_arg(c, bound.get("in"), inner, path) or (lambda f: NOTHING)
    handler = code_arg(c, bound.get("do"), inner, path)

    def run_onerror(f: Frame) -> Value:
        try:
            attempt(f)
        except ScriptFailure as failure:
            f.slots[index] = failure.message.encode("utf-8", "surrogateescape")
            if handler is not None:
                handler(f)
            return True  # true when there was an error [D HELP]
        return False

    return run_onerror


def _return(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    value = stored(c, bound.get("value"), scope, path) if bound.has("value") else (lambda f: NOTHING)

    def run_return(f: Frame) -> Value:
        raise ReturnSignal(value(f))

    c.return_values[run_return] = value  # a function's last statement returns it directly (Context.function_block)
    return run_return


def _break(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    def run_break(f: Frame) -> Value:
        raise BreakSignal

    return run_break


def _continue(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    def run_continue(f: Frame) -> Value:
        raise ContinueSignal

    return run_continue


def _time(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    """``:time {…}``: only ``:delay`` takes virtual time in the emulator, so that is what it measures."""
    body = code_arg(c, bound.get("command"), scope, path) or (lambda f: NOTHING)

    def run_time(f: Frame) -> Value:
        before = f.run.delayed_ns
        body(f)
        return Time(f.run.delayed_ns - before)

    return run_time


def _retry(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    """``:retry command={…} delay=1 max=2 on-error={…}``: up to ``max`` tries with ``delay`` between them [D HELP];
    ``delay`` defaults to 1 s [O db]. ``max`` has no documented default and ``max=0`` no documented meaning: both are
    refused as not modelled. After the last failed try the last error propagates unless ``on-error`` is given [I]."""
    body = code_arg(c, bound.get("command"), scope, path) or (lambda f: NOTHING)
    pause = argument(c, bound.get("delay"), scope, path) if bound.has("delay") else (lambda f: Time(10**9))
    tries = argument(c, bound.get("max"), scope, path) if bound.has("max") else None
    handler = code_arg(c, bound.get("on-error"), scope, path)

    def run_retry(f: Frame) -> Value:
        count = _number(tries(f), "max") if tries is not None else 0
        if count < 1:
            raise EmulatorRefusal("emulator refuses: :retry without max= (or max=0) is not modelled")
        for attempt in range(count):
            try:
                return body(f)
            except ScriptFailure:
                if attempt == count - 1:
                    if handler is None:
                        raise
                    return handler(f)
                builtins.delay(f.run, pause(f))
        return NOTHING

    return run_retry


def _timestamp(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    """``:timestamp``: time since the epoch, UTC; ``use-tz`` adds the zone offset (routeros-scripting.md §6, a
    CONFLICT resolved as "UTC plus the flag"). The offset comes from the router's optional ``gmt_offset()``; a router
    without one is taken to run on UTC."""
    use_tz = "use-tz" in bound.flags

    def run_timestamp(f: Frame) -> Value:
        port = f.run.port
        ns = port.now_ns()
        offset = getattr(port, "gmt_offset", None) if use_tz else None
        return Time(ns + (offset() * 10**9 if offset is not None else 0))

    return run_timestamp


_SPECIAL: dict[str, CommandCompiler] = {
    "local": assign.declaration(False),
    "global": assign.declaration(True),
    "set": assign.assignment,
    "if": _if,
    "for": _for,
    "foreach": _foreach,
    "while": _while,
    "do": _do,
    "onerror": _onerror,
    "return": _return,
    "break": _break,
    "continue": _continue,
    "time": _time,
    "retry": _retry,
    "execute": calls.execute,
    "parse": calls.parse,
    "timestamp": _timestamp,
}
