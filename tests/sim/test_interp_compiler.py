"""The compiler package's shape: module-level imports only, no cycle among its modules, one ``Value`` declaration."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

import emulator
from emulator import compiler
from emulator.contract import EmulatorRefusal, PowerCut, RunContext
from sim.fakerouter import interpreter

EMULATOR = Path(emulator.__file__).parent
PACKAGE = Path(compiler.__file__).parent


def _imports(path: Path) -> tuple[set[str], list[int]]:
    """The ``emulator.compiler`` modules a file imports at module level, and the lines of imports inside functions
    or classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_level: set[str] = set()
    nested: list[int] = []
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if id(node) not in top:
            nested.append(node.lineno)
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "emulator.compiler":
                module_level.update(f"emulator.compiler.{alias.name}" for alias in node.names)
            elif node.module.startswith("emulator.compiler."):
                module_level.add(node.module)
    return module_level, nested


def test_the_compiler_imports_only_at_module_level_and_has_no_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        name = "emulator.compiler" if path.stem == "__init__" else f"emulator.compiler.{path.stem}"
        imported, nested = _imports(path)
        assert nested == [], f"{path.name} imports inside a function or class at lines {nested}"
        graph[name] = imported - {name}
    assert "emulator.compiler.core" in graph and "emulator.compiler.context" in graph
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name in done:
            return
        for other in graph.get(name, set()):
            visit(other, (*trail, name))
        done.add(name)

    for name in graph:
        visit(name, ())


def test_no_compile_state_is_changed_from_outside() -> None:
    """The loop and where state is the scope's, set when a child scope is made; no counter is bumped by a caller."""
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for counter in ("loop_depth", "where_depth"):
            assert counter not in text, f"{path.name} still uses {counter}"


#: The interpreter's modules (the router's and the API server's are not the interpreter).
INTERPRETER = [
    *(f"compiler/{path.name}" for path in sorted(PACKAGE.glob("*.py"))),
    "builtins.py",
    "convert.py",
    "encodings.py",
    "interp.py",
    "ops.py",
    "regex.py",
    "resolve.py",
    "runtime.py",
    "values.py",
]


def test_value_is_declared_once() -> None:
    declared = [
        name
        for name in INTERPRETER
        if any(line.startswith("Value = ") for line in (EMULATOR / name).read_text(encoding="utf-8").splitlines())
    ]
    assert declared == ["values.py"]


# --- generated Python source (pysrc.py, pyexpr.py) against the closures ----------------------------------------------

#: Expressions over locals ``$a`` (a number), ``$s`` (a string), ``$t`` (a time), ``$n`` (nil), ``$z`` (nothing),
#: ``$b`` (a bool), ``$l`` (an array), ``$big`` (int64 max), ``$k`` (a keyed array): every operator pyexpr writes
#: out, with the operand kinds that leave its inline ``int`` (``=``: ``int``/``str``; ``->``: array and ``str``) case.
EXPRESSIONS = [
    "$a + 1",
    "$a - 10",
    "$big + 1",
    "$big + $big",
    "0 - $big - 2",
    "$a * $big",
    "$a / 3",
    "-7 / 2",
    "-7 % 3",
    "$s + 1",
    "$s . $a",
    "$t + 1",
    "$t - $t",
    "$t * 2",
    "$n + 1",
    "$z + 1",
    "$b + 1",
    "$a < 8",
    "$a >= 7",
    "$z < 0",
    "$n > $z",
    '$s < "8"',
    "$t > 0s",
    "$a = 7",
    '$a = "7"',
    "$b = true",
    "$a != 7",
    "$a <> 8",
    "$a > 1 && $a < 10",
    "$z || $a",
    "$l , $a",
    "$l -> 1",
    "($l -> 0) + 1",
    "1.1.1.1 + $a",
    "10.0.0.0/8 . $s",
    "(($a + 1) * 2) - ($a / 2)",
    "$a & 3",
    "$a << 62",
    '"plain"',
    '""',
    '"\\41$s"',
    '"$a-$s-$t-$n-$z-$b"',
    '"x$(1 + $a)y$($l -> 1)"',
    '"<$l>"',
    '"$[:len $l]:$[:pick $s 1]"',
    '"$s" . "$a"',
    '$k -> "x"',
    '($k -> "y") -> "z"',
    '$k -> "q"',
    "$k -> $s",
    '$s -> "x"',
    '$s = "12"',
    '$s != "12"',
    "$s = 12",
    "$t = 1m",
    "$b != false",
    "$k = $k",
    "$n = $z",
]

SETUP = (
    ':local a 7; :local s "12"; :local t 1m; :local n; :local z [:nothing]; :local b true; :local l {1;2;3}; '
    ":local big 9223372036854775807; :local k {x=1;y={z=2}}"
)


def _observe(body: str, cut: int | None = None, max_statements: int | None = None) -> tuple[object, ...]:
    """Everything a run of ``body`` (after SETUP) shows: how it ended, what it printed, its error and position and
    its statement count; with ``cut``, a power cut armed before statement ``cut`` (as Router.arm_power_cut aims it).
    A power cut and a refusal are endings too."""
    _, interp = interpreter() if max_statements is None else interpreter(max_statements=max_statements)
    ctx = RunContext()
    if cut is not None:
        interp._cuts = True
        interp._cut_at = lambda run_state: cut - 1
    try:
        result = interp.run(f"{SETUP}\n{body}".encode(), ctx=ctx, path="t.rsc")
    except PowerCut:
        return "cut", interp.statements_done, ctx.output
    except EmulatorRefusal as refused:
        return "refused", str(refused), ctx.output, interp.statements_done
    return result.ok, result.output, result.error, result.pos, result.statements


def _cuts(generated: tuple[object, ...], every: int = 1) -> range:
    """Statements 1 … the run's count (every ``every``-th), for a power cut at each."""
    statements = generated[-1]
    assert isinstance(statements, int)
    return range(1, statements + 1, every)


def _same_without(body: str, written_out_off: Callable[[], None], max_statements: int | None = None) -> None:
    """``body`` run as generated source, then again after ``written_out_off()`` (the closures), shows the same: the
    whole run, and a power cut armed at each statement (every 37th past 100 statements)."""
    generated = _observe(body, max_statements=max_statements)
    statements = generated[-1]
    assert isinstance(statements, int)
    cuts = _cuts(generated, 1 if statements < 100 else 37)
    mine = [_observe(body, cut, max_statements=max_statements) for cut in cuts]
    written_out_off()
    assert _observe(body, max_statements=max_statements) == generated
    assert [_observe(body, cut, max_statements=max_statements) for cut in cuts] == mine


def _outputs(body: str) -> tuple[bool, list[bytes], str | None]:
    """What a run printed and how it ended; a refusal (arithmetic on nil/nothing) counts as an ending too."""
    _, interp = interpreter()
    ctx = RunContext()
    try:
        result = interp.run(f"{SETUP}\n{body}".encode(), ctx=ctx)
    except EmulatorRefusal as refused:
        return False, ctx.output, str(refused)
    return result.ok, result.output, result.error


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_generated_assignments_compute_what_the_closures_compute(expression: str) -> None:
    """``:local r (E)`` and ``:set r (E)`` are generated source; ``:put (E)`` and a global are closures."""
    generated = _outputs(f':local r ({expression}); :put $r; :put [:typeof $r]; :set r ({expression}); :put "$r"')
    closures = _outputs(
        f':put ({expression}); :put [:typeof ({expression})]; :global gR ({expression}); :put "$gR"; :set gR'
    )
    assert generated == closures


def test_a_division_by_zero_in_generated_source_fails_at_its_statement() -> None:
    _, interp = interpreter()
    result = interp.run(b":local a 0\n:put 1\n:local r (1 / $a)\n:put 2", path="t.rsc")
    assert (result.ok, result.error, result.output) == (False, "division by zero", [b"1"])
    assert (result.pos.line, result.pos.column) == (3, 1) if result.pos else False


def test_a_generated_loop_counts_its_statements_and_rounds_as_the_closures_do() -> None:
    _, interp = interpreter()
    loop = interp.run(b":local x 0; :for i from=1 to=10 do={ :set x ($x + $i); :set x ($x - 1) }; :put $x")
    assert (loop.output, loop.statements) == ([b"45"], 3 + 20)
    down = interp.run(b":local x 0; :for i from=10 to=1 step=-3 do={ :set x ($x . $i) }; :put $x")
    assert (down.output, down.statements) == ([b"010741"], 3 + 4)
    none = interp.run(b":local x 0; :for i from=1 to=10 step=0 do={ :set x 1 }; :put $x")
    assert none.output == [b"0"]
    stop = interp.run(
        b":local x 0; :for i from=1 to=10 do={ :if ($i = 4) do={ :break }; :if ($i = 2) do={ :continue }; "
        b":set x ($x + $i) }; :put $x"
    )
    assert stop.output == [b"4"]


def test_an_endless_generated_loop_ends_at_the_statement_limit() -> None:
    _, interp = interpreter(max_statements=1000)
    result = interp.run(b":local x 0; :for i from=1 to=1000000 do={ :set x ($x + 1) }")
    assert result.error == "statement limit exceeded"


@pytest.mark.parametrize(("a", "expected"), [(1, b"6"), (2, b"5;6")])
def test_generated_if_branches_keep_their_own_names(a: int, expected: bytes) -> None:
    """Both branches' statements are written into one function: same-shaped statements must not share names."""
    _, interp = interpreter()
    result = interp.run(
        f":local a {a}; :local l {{5;6}}; :local r\n"
        ":if ($a = 1) do={ :set r [:tostr $a]; :set r ($l->1) } else={ :set r ($l->0); :set r [:tostr $l] }\n"
        ":put $r".encode()
    )
    assert result.output == [expected]


@pytest.mark.parametrize(
    "body",
    [
        ":return ($1 + 1)",
        ":local a {$1;2}; :return $a",
        ":if ($1 > 0) do={ :return 5 }; :return 6",
        ":return",
        ":return (1 / ($1 - 1))",
    ],
)
def test_a_last_return_gives_what_a_raised_return_gives(body: str) -> None:
    """A function's last ``:return`` returns its value directly (Context.function_block); one that is not last (a
    statement that never runs follows it) still raises. Output, error, position and statement count agree."""
    results = []
    for function in (body, f'{body}; :put "never"'):
        _, interp = interpreter()
        result = interp.run(
            f":local f do={{ {function} }}\n:local r [$f 1]\n:put $r\n:set ($r->0) 9\n:put [$f 0]\n:put [$f 2]".encode()
        )
        results.append((result.ok, result.output, result.error, result.pos, result.statements))
    assert results[0] == results[1]


#: Plain builtins (``control._pure``) in every place they stand: a statement, a ``[ ]`` in an expression, a string, an
#: argument, with missing and wrong arguments, and ones that fail (the error's position and the count must agree).
PURE_CALLS = [
    ':put [:pick $s 0 1]; :put [:pick $s 1]; :put [:pick $l 1 3]; :put [:pick "abc" (1 + $a - 7) 3]',
    ':put [:len $l]; :put [:len $s]; :put [:len $z]; :put ([:len $l] + [:len "xy"] * 2)',
    ':put [:typeof $z]; :put [:typeof $n]; :put [:typeof ($l->0)]; :put ([:typeof $t] = "time")',
    ':put [:tostr $l]; :put [:tonum $s]; :put [:tonum "x"]; :put [:totime "1h"]; :put [:tobool "yes"]',
    ':put [:find $s "2"]; :put [:find $l 3]; :put [:find "abcabc" "c" 3]; :put [:find $s]',
    ':local r "$[:len $l]-$[:pick $s 0 1]"; :put $r; :put "x$[:typeof $b]y"',
    ":log info [:tostr $a]; :log warning ($s . [:len $l]); :put [:typeof [:log info x]]",
    ":put [:pick]; :put [:len]; :put [:typeof]",
    ":put 1; :local r [:pick $s ($a / 0) 2]; :put 2",
    ':for i from=1 to=3 do={ :put [:pick "abc" ($i - 1) $i] }; :foreach v in=$l do={ :put [:typeof $v] }',
]


@pytest.mark.parametrize("body", PURE_CALLS)
def test_generated_builtin_calls_do_what_the_closures_do(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``control._pure`` writes a plain builtin's call out as source; inside a ``where`` filter it is a closure. The
    same script compiled both ways (the closures forced by compiling each call as if in a filter, where nothing else
    differs outside a filter) prints, fails, counts and reports positions alike."""
    from emulator.compiler import control

    generated = _observe(body)
    original = control._pure

    def closures(c, fn, params, bound, scope, path):  # type: ignore[no-untyped-def]
        return original(c, fn, params, bound, scope.filter(), path)

    monkeypatch.setattr(control, "_pure", closures)
    assert _observe(body) == generated


#: ``[ ]`` written out in place (``pyexpr.subst``): next to operands evaluated before them, ones that change the
#: variables those operands read, ones that fail, ones that are skipped (``&&``/``||``), nested ones, in strings, in
#: ``:if`` conditions and in builtin arguments.
SUBSTS = [
    ":local r ([:len $s] + [:len $l]); :put $r; :set r [:tonum [:pick $s 0 1]]; :put $r",
    ":local r ($a . [:set a 9] . $a); :put $r; :put $a",
    ":local r ($a + [:len [:set a 3]] + $a); :put $r",
    ":local f do={ :return ($1 * 2) }; :local r ([$f $a] + [$f [$f 1]]); :put $r",
    ":put 1; :local r ((1 / ($a - 7)) + [:len $s]); :put 2",
    ":put 1; :local r ([:len $s] + (1 / ($a - 7)) + [:put never]); :put 2",
    ":local r (false && [:put no]); :put $r; :set r (true || [:put no]); :set r ($b && [:len $s] > 1); :put $r",
    ':local r "$a-$[:set a 5]$a-$[:len $s]"; :put $r',
    ':if ([:typeof [:find $s "2"]] = "num") do={ :put yes } else={ :put no }; :if ([:len $l] > $a) do={ :put q }',
    ':put [:pick $s [:find $s "2"] [:len $s]]; :put [:pick $l ($a - 6) [:len $l]]',
    ":local r ({1;[:len $s]}); :put $r; :set r ($l->[:find $l 2]); :put $r",
    ":local r [:error x]; :put 1",
    ":local r (1 + [:pick $s (1 / 0)]); :put 1",
    ":local r ([:toarray $l] , [:len $l]); :set ($r->0) 8; :put $r; :put $l",
    ":for i from=1 to=3 do={ :if ([:len $s] = $i) do={ :continue }; :put [:pick $s ($i - 1) $i] }",
    ":local r [/ip address find]; :put [:typeof $r]; :local q ([:len $s] + [:nothing]); :put [:typeof $q]",
]


@pytest.mark.parametrize("body", SUBSTS)
def test_written_out_substitutions_do_what_the_closures_do(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same script with every ``[ ]`` compiled as a closure called from the expression (as before pyexpr.subst)
    prints, fails, counts and reports positions alike; so does a power cut armed at each of its statements."""
    from emulator.compiler import expr, pyexpr

    generated = _observe(body)

    def closure(c, node, scope, path, w):  # type: ignore[no-untyped-def]
        return pyexpr._closure(expr.subst(c, node, scope, path), w)[0]

    with monkeypatch.context() as patch:
        patch.setattr(pyexpr, "subst", closure)
        assert _observe(body) == generated
    for cut in _cuts(generated):
        mine = _observe(body, cut)
        with monkeypatch.context() as patch:
            patch.setattr(pyexpr, "subst", closure)
            assert _observe(body, cut) == mine, cut


#: Loops written out as source (``pysrc.while_loop``, ``foreach_loop``, ``do_loop``): bodies with ``:break``,
#: ``:continue``, nested loops, errors caught by ``on-error`` and not, conditions with ``[ ]``, empty bodies, the
#: statement limit, and values of the loops themselves.
LOOPS = [
    ":local i 0; :while ($i < 5) do={ :set i ($i + 1); :if ($i = 2) do={ :continue }; :put $i }",
    ":local i 0; :while ([:len $s] > $i) do={ :set i ($i + 1); :if ($i = 4) do={ :break } }; :put $i",
    ":local i 0; :while ($i < 3) do={ :local j 0; :while ($j < $i) do={ :set j ($j + 1); :put ($i . $j) }; "
    ":set i ($i + 1) }",
    ":local i 0; :while ($i < 3) do={}; :put 1",
    ':local i 0; :while ($i < 3 && [:put "c$i"] = [:nothing]) do={ :set i ($i + 1) }',
    ":while ((1 / 0) = 1) do={ :put x }; :put 2",
    ':foreach k,v in={x=1;y="q"} do={ :put "$k=$v" }; :foreach k,v in=$l do={ :put ($k + $v) }',
    ":foreach v in=$l do={ :if ($v = 2) do={ :continue }; :put $v }",
    ":foreach v in=$l do={ :if ($v = 2) do={ :break }; :put $v }; :foreach v in=$a do={ :put $v }",
    ":foreach v in=$n do={ :put $v }; :foreach v in=$z do={ :put $v }; :foreach v in=[:toarray $l] do={}",
    ":foreach v in={$l;{7;8}} do={ :set ($v->0) 0; :put $v }; :put $l",
    ":local m {{1;2};{3}}; :foreach v in=$m do={ :set ($v->0) 9; :put $v }; :put $m",
    ":foreach v in=$l do={ :foreach w in=$l do={ :if ($w > $v) do={ :break }; :put ($v . $w) } }",
    ":foreach v in=$l do={ :put (10 / ($v - 2)) }; :put after",
    ':do { :put 1; :error "x" } on-error={ :put 2 }; :put [:typeof [:do { :put 3 } on-error={ :put 4 }]]',
    ":local i 0; :do { :set i ($i + 1); :put $i } while=($i < 3); :do { :put once } while=(false)",
    ":local i 0; :do { :set i ($i + 1); :if ($i = 2) do={ :continue }; :if ($i = 4) do={ :break } } while=(true)",
    ":do { :put (1 / 0) } on-error={ :put caught }; :do { :put 5 } while=((1 / 0) = 1) on-error={ :put 6 }",
    ':local r [:do { :error "e" } on-error={ :put h; [:len $s] }]; :put $r; :do {} on-error={}; :do {}',
    ":do { :do { :error x } on-error={ :error y } } on-error={ :put outer }",
    ":local i 0; :do { :set i ($i + 1) } while=([:len $s] > $i); :put $i",
    ":while (true) do={ :set a ($a + 1) }",
    ":local i 0; :while (true) do={}",
    ":for i from=1 to=3 do={ :while ($i < 3) do={ :put $i; :break }; :do { :put d } while=(false) }",
    # :for bodies of slots and constants only keep the count in a local (pysrc.for_loop)
    ":local x 0; :for i from=1 to=20 do={ :set x ($x + $i); :local y ($x * 2); :set x ($y - $x) }; :put $x",
    ":local x 0; :for i from=10 to=1 step=-3 do={ :set x ($x . $i) }; :put $x; :for i from=1 to=3 do={ :set x }",
    ":local x 0; :for i from=1 to=9 do={ :set x ($x + 1 / (5 - $i)) }; :put $x",
    ":local x 0; :for i from=1 to=9 do={ :set x ($x + $n) }; :put $x",
    ":local x 0; :for i from=1 to=1000 do={ :set x ($x + 1) }",
    ":local x 0; :for i from=1 to=3 do={ :for j from=1 to=$i do={ :set x ($x + $j) }; :put $x }",
]


@pytest.mark.parametrize("body", LOOPS)
def test_written_out_loops_do_what_the_closures_do(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each loop compiled as source and as closures (``control.WRITTEN_OUT`` emptied) prints, fails, counts and
    reports positions alike; so does a power cut armed at each of its statements."""
    from emulator.compiler import control

    _same_without(body, lambda: monkeypatch.setattr(control, "WRITTEN_OUT", frozenset()), max_statements=500)


@pytest.mark.parametrize("depth", [1, 7, 20, 40])
def test_deeply_nested_loops_and_substitutions_compile(depth: int) -> None:
    """CPython compiles at most 20 nested blocks in one function: a statement nested deeper than pysrc.INLINE_DEPTH is
    called as its closure, so any nesting of loops, ``:do … on-error``, ``:if`` and ``[ ]`` compiles and runs."""
    kinds = [
        ("{ :local i%d 0; :while ($i%d < 1) do={ :set i%d ($i%d + 1); ", "} }"),
        (":do { :if ([:len [:tostr %d]] > 0) do={ ", "} } on-error={ :put err }; "),
        (":foreach v%d in={1} do={ :do { ", "} while=(false) }; "),
        (":for j%d from=1 to=1 do={ :onerror e%d in={ ", "} do={ :put $e } }; "),
    ]
    head, tail = "", ""
    for level in range(depth):
        opening, closing = kinds[level % len(kinds)]
        head += opening.replace("%d", str(level))
        tail = closing + tail
    _, interp = interpreter()
    result = interp.run(f'{head}:put [:len [:pick "abc" 0 [:find "abc" "c"]]]; {tail}'.encode())
    assert (result.ok, result.output) == (True, [b"2"])


#: ``:set ($a->k) v`` written out (``assign._element_source``): new and existing keys, list indexes (the end, past
#: it, negative), a root that is not an array, removal, shared arrays, keys and values with ``[ ]`` and errors.
ELEMENTS = [
    ':local r ({}); :set ($r->"x") 1; :set ($r->"y") [:len $s]; :put $r; :put ($r->"y")',
    ":local r {1;2}; :set ($r->2) 3; :set ($r->5) 6; :set ($r->0) $l; :put $r; :put [:typeof ($r->4)]",
    ":local r {1;2}; :set ($r->-1) 3; :put $r",
    ':local r 5; :set ($r->"a") 1; :put $r; :local q; :set ($q->0) 7; :put $q; :set ($z->"k") 1; :put $z',
    ':local r {a=1;b=2}; :set ($r->"a"); :put $r; :set ($r->"none"); :set ($l->1); :put $l',
    ":local r $l; :set ($r->0) 9; :put $r; :put $l; :local m {$l}; :set ($m->0) 7; :put $m; :put $l",
    ":local r ({}); :foreach k,v in={a=1;b=2} do={ :set ($r->$k) ($v * 2) }; :put $r",
    ":local r ({}); :set ($r->[:pick $s 0 1]) [:tostr [:len $s]]; :put $r; :set ($r->1.5) 2; :put $r",
    ":local r ({}); :put 1; :set ($r->(1 / 0)) [:put never]; :put 2",
    ":local r ({}); :set ($r->[:set r 3]) 1; :put $r; :local i 0; :set ($r->$i) [:set i 1]; :put $r; :put $i",
    ':local r {k={1}}; :set (r->"k") 2; :put $r; :set ($r->"k"->0) 5; :put $r',
]


@pytest.mark.parametrize("body", ELEMENTS)
def test_written_out_element_assignments_do_what_the_closures_do(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ``:set ($a->k)`` compiled as source and as the closure (``assign._element_source`` off) prints, fails,
    counts and reports positions alike."""
    from emulator.compiler import assign

    generated = _observe(body)
    monkeypatch.setattr(assign, "_element_source", lambda *args: None)
    assert _observe(body) == generated


#: Calls written out (``calls._call_source``): positional and named arguments in any order, ``$0``, arrays passed
#: (copied), calls of what is not code, arguments with ``[ ]`` that must not run when the callee is not code, calls
#: through array elements and ``[ ]``, errors in arguments and in the body.
CALLS = [
    ':local f do={ :put "$0|$1|$2|$n" }; $f a n=1 b; $f; [$f x]; :put [$f n=[:len $s] [:pick $s 0 1]]',
    ":local f do={ :set ($1->0) 9; :return $1 }; :local r [$f $l]; :put $r; :put $l",
    ":local f do={ :return ($a . $1) }; :put [$f a=[:put first] [:put second]]",
    ":put [$undefined [:put never] x=[:put nor]]; :local g 5; :put [:typeof [$g]]",
    ':local m {f=do={ :return "$0/$1" }}; :put [($m->"f") x y]; :put [[:parse ":return 3"]]',
    ":local f do={ :return (1 / $1) }; :put 1; :put [$f 0]; :put 2",
    ":local f do={ :return $1 }; :put 1; :put [$f (1 / 0)]; :put 2",
    ":local f do={ :error oops }; :do { $f } on-error={ :put caught }; :put [$f]",
    ":local f do={ :return [$1 ($2 - 1)] }; :local g do={ :return ($1 * 2) }; :put [$f $g 4]",
    ":global gF do={ :return ($1 + 1) }; :put [$gF 1]; :put [$gF [$gF 2]]",
]


@pytest.mark.parametrize("body", CALLS)
def test_written_out_calls_do_what_the_closures_do(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each call compiled as source and as the closure (``calls.CALLS_WRITTEN_OUT`` off) prints, fails, counts and
    reports positions alike; so does a power cut armed at each of its statements."""
    from emulator.compiler import calls

    _same_without(body, lambda: monkeypatch.setattr(calls, "CALLS_WRITTEN_OUT", False))
