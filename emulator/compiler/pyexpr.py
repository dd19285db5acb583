"""``:set``/``:local`` of a local variable with its expression written out as Python (see ``pysrc.py``).

In the expression, local reads are ``S[j]``, constants are names bound to the compiled value (``repr`` for ints),
``+ - < > <= >= = != <>`` test for two ``int`` operands inline (the rest, and any other kind of operand, calls the same
``ops`` function the closure would), ``&&``/``||`` call ``ops.truthy``; a string is its constant or a list of its
pieces' sources joined by ``expr.interpolate``; anything else (``[ ]``, globals, unary operators, anything inside a
``where`` filter) is compiled to a closure by ``expr.py`` and called from the source.
Operands are evaluated left to right, both always, as the closures do (``&`` joins the two type tests, not ``and``).

Must not: decide semantics (``ops.py`` and ``expr.py`` do) or put script text into the source.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from routeros_lsp.syntax import ast

from emulator import ops
from emulator.compiler import expr, pysrc
from emulator.compiler.context import Context, Path, Scope
from emulator.compiler.pysrc import PREFIX
from emulator.convert import word_value
from emulator.runtime import Eval
from emulator.values import INT64_MAX, INT64_MIN, Array, Value
from generator.rsc.syntax import StringPiece, string_pieces


class Writer:
    """Builds one snippet's expression source; ``temp`` and ``bind`` give names unique within the snippet.

    ``pre``: statements that run before the expression, in order: the ``[ … ]`` written out in place (their count,
    trap and position as a statement's, ``pysrc.counted``). An operand evaluated before such lines but written in the
    expression after them is kept in a temporary first (:meth:`sequence`), so everything runs in the order the
    closures run it. ``conditional``: inside the right operand of ``&&``/``||``, which may not run at all, where a
    ``[ … ]`` stays a closure called from the expression."""

    __slots__ = ("closures", "conditional", "count", "depth", "names", "pre", "settled")

    def __init__(self) -> None:
        self.names: dict[str, object] = {}
        self.count = 0
        self.pre: list[str] = []
        self.depth = 0  # the Python blocks the lines in pre nest
        self.closures = False  # a closure is called from the source (it may read or change run)
        self.conditional = 0
        self.settled: set[str] = set()

    def temp(self) -> str:
        self.count += 1
        return f"{PREFIX}t{self.count}"

    def bind(self, value: object) -> str:
        self.count += 1
        name = f"{PREFIX}k{self.count}"
        self.names[name] = value
        return name

    def stable(self, source: str) -> bool:
        """Source whose value nothing run later can change: a constant, or a temporary already set."""
        constant = source in self.names or source == "NOTHING" or _INT.fullmatch(source) is not None
        return constant or source in self.settled

    def sequence(self, makers: list[Callable[[], str]]) -> list[str]:
        """The sources ``makers`` write, evaluated in that order: when one of them adds lines to :attr:`pre`, the ones
        before it are kept in temporaries set before those lines."""
        out: list[str] = []
        for make in makers:
            mark = len(self.pre)
            source = make()
            if len(self.pre) > mark:
                for index, earlier in enumerate(out):
                    if not self.stable(earlier):
                        t = self.temp()
                        self.pre.insert(mark, f"{t} = {earlier}")
                        self.settled.add(t)
                        mark += 1
                        out[index] = t
            out.append(source)
        return out


_INT = re.compile(r"-?[0-9]+")
#: Operators with an inline two-``int`` case: the Python operator and whether the result needs the int64 range check.
_INLINE = {"+": ("+", True), "-": ("-", True), "<": ("<", False), ">": (">", False), "<=": ("<=", False)}
_INLINE |= {">=": (">=", False), "=": ("==", False), "!=": ("!=", False), "<>": ("!=", False)}
#: Operators whose result may be an array (it must be copied when stored).
_ARRAYISH = frozenset({".", ",", "->"})


def value(c: Context, element: ast.Element | None, scope: Scope, path: Path, w: Writer) -> str:
    """``expr.argument`` as source."""
    return _element(c, element, scope, path, w)[0]


def stored_value(c: Context, element: ast.Element | None, scope: Scope, path: Path, w: Writer) -> str:
    """The source of a value about to be stored in a local (``expr.stored`` as source: copied when it may be an
    array that another variable shares)."""
    from_source, may_be_array = _element(c, element, scope, path, w)
    fresh = element is None or isinstance(element, ast.Word | ast.StringLit | ast.Brace)
    if fresh or not may_be_array:
        return from_source
    t = w.temp()
    return f"({t}.copy() if type({t} := {from_source}) is Array else {t})"  # copy_if_array written out


def copied_value(c: Context, element: ast.Element | None, scope: Scope, path: Path, w: Writer) -> str:
    """``expr.copy_if_array(expr.argument(…))`` as source: copied whenever it may be an array."""
    from_source, may_be_array = _element(c, element, scope, path, w)
    if not may_be_array:
        return from_source
    t = w.temp()
    return f"({t}.copy() if type({t} := {from_source}) is Array else {t})"


def _closure(evaluate: Eval, w: Writer) -> tuple[str, bool]:
    w.closures = True
    return f"{w.bind(evaluate)}(f)", True


def _const(value: Value, w: Writer) -> tuple[str, bool]:
    if type(value) is int:
        return repr(value), False
    return w.bind(value), type(value) is Array


def _element(c: Context, element: ast.Element | None, scope: Scope, path: Path, w: Writer) -> tuple[str, bool]:
    """``expr.argument`` (with ``brace="array"``) as source."""
    if element is None or scope.in_where:
        return _closure(expr.argument(c, element, scope, path), w)
    if isinstance(element, ast.Word):
        return _const(word_value(element.text), w)
    if isinstance(element, ast.Variable):
        return _read(c, element.name, scope, w)
    if isinstance(element, ast.StringLit):
        return _string(c, element, scope, path, w)
    if isinstance(element, ast.Group) and len(element.exprs) == 1:
        return _expression(c, element.exprs[0], scope, path, w)
    if isinstance(element, ast.Subst) and not w.conditional:
        return subst(c, element, scope, path, w), True
    return _closure(expr.argument(c, element, scope, path), w)


def subst(c: Context, node: ast.Subst, scope: Scope, path: Path, w: Writer) -> str:
    """``expr.subst`` written out: its statements (counted, each with its position, as in a block) go to ``w.pre``;
    the source is the last one's value."""
    w.closures = True  # the statements count
    evals, _ = c.statements(node.body, scope.child(), path, carry=False)
    snippets = [pysrc.inlined(c.counted_source.get(e), e) for e in evals]
    w.depth = max(w.depth, pysrc.deepest(snippets))
    w.count += 1
    lines, names, last = pysrc.place(snippets, "", outer=f"{PREFIX}q{w.count}")
    w.pre.extend(lines)
    w.names.update(names)
    return last


def _string(c: Context, literal: ast.StringLit, scope: Scope, path: Path, w: Writer) -> tuple[str, bool]:
    """``expr.string`` as source: a constant, or the pieces (in order) joined by the same ``expr.interpolate``."""
    raw = string_pieces(literal)
    if len(raw) == 1 and isinstance(raw[0], bytes):
        return w.bind(raw[0]), False

    def maker(piece: StringPiece) -> Callable[[], str]:
        if isinstance(piece, bytes):
            return lambda: w.bind(piece)
        if isinstance(piece, ast.VariablePart):
            return lambda: _read(c, piece.name, scope, w)[0]
        if isinstance(piece, ast.ExpressionPart):
            return lambda: _element(c, piece.group, scope, path, w)[0]
        return lambda: _element(c, piece.subst, scope, path, w)[0]

    pieces = w.sequence([maker(piece) for piece in raw])
    return f"{w.bind(expr.interpolate)}([{', '.join(pieces)}])", True


def _read(c: Context, name: str, scope: Scope, w: Writer) -> tuple[str, bool]:
    binding = scope.lookup(name)
    if binding is not None and binding[0] == "slot":
        return f"S[{binding[1]}]", True
    return _closure(expr.variable(c, name, scope), w)


def expression(c: Context, node: ast.Expr, scope: Scope, path: Path, w: Writer) -> str:
    """``expr.expression`` as source (not inside a ``where`` filter)."""
    return _expression(c, node, scope, path, w)[0]


def _expression(c: Context, node: ast.Expr, scope: Scope, path: Path, w: Writer) -> tuple[str, bool]:
    """``expr.expression`` as source (never inside a ``where`` filter: :func:`_element` sends those to closures)."""
    if isinstance(node, ast.Binary):
        return _binary(c, node, scope, path, w)
    if isinstance(node, ast.Word):
        text = node.text
        if expr.is_name(text) and not text.isdigit() and scope.lookup(text) is not None:
            return _read(c, text, scope, w)
        return _const(word_value(text), w)
    if isinstance(node, ast.Unary | ast.Missing):
        return _closure(expr.expression(c, node, scope, path), w)
    return _element(c, node, scope, path, w)


def _binary(c: Context, node: ast.Binary, scope: Scope, path: Path, w: Writer) -> tuple[str, bool]:
    op = node.op
    conditional = op in ("&&", "and", "||", "or")

    def right_operand() -> str:
        w.conditional += conditional  # the right operand of && and || may not run: no lines of its own before
        try:
            return _expression(c, node.right, scope, path, w)[0]
        finally:
            w.conditional -= conditional

    left, right = w.sequence([lambda: _expression(c, node.left, scope, path, w)[0], right_operand])
    if conditional:
        # ops.truthy(x) with its bool cases written out, as pysrc.if_statement writes them.
        truthy, a, b = w.bind(ops.truthy), w.temp(), w.temp()
        joined = "and" if op in ("&&", "and") else "or"
        first = f"(({a} := {left}) is True or ({a} is not False and {truthy}({a})))"
        second = f"(({b} := {right}) is True or ({b} is not False and {truthy}({b})))"
        return f"({first} {joined} {second})", False
    fn = w.bind(ops.BINARY[op])
    if op == "->":
        # ops.access written out for an array and a string key (the rest calls it).
        a, b = w.temp(), w.temp()
        test = f"(type({a} := {left}) is Array) & (type({b} := {right}) is bytes)"
        return f"({a}.keyed.get({b}, NOTHING) if {test} else {fn}({a}, {b}))", True
    inline = _INLINE.get(op)
    if inline is None:
        return f"{fn}({left}, {right})", op in _ARRAYISH
    a, b = w.temp(), w.temp()
    both = f"(type({a} := {left}) is int) & (type({b} := {right}) is int)"
    python, ranged = inline
    if python in ("==", "!="):
        # ops.equal compares two values of one type with ==: inline for two ints or two strings.
        same = f"(type({a} := {left}) is type({b} := {right})) and (type({a}) is int or type({a}) is bytes)"
        return f"({a} {python} {b} if {same} else {fn}({a}, {b}))", False
    if not ranged:
        return f"({a} {python} {b} if {both} else {fn}({a}, {b}))", False
    r = w.temp()
    within = f"{INT64_MIN!r} <= ({r} := {a} {python} {b}) <= {INT64_MAX!r}"  # literals: constants, not global names
    return f"({r} if ({both}) and {within} else {fn}({a}, {b}))", False
