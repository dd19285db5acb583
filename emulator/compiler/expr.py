"""Compile values and expressions: words, strings with ``$`` substitution, ``( … )``, ``[ … ]``, ``{ … }`` literals and
variable reads.

Rules (routeros-scripting.md §1.5–§1.8, §3, §4):

* a bare word is typed by its shape (:func:`~emulator.convert.word_value`); inside ``( )`` a bare word naming a
  declared variable reads it [O il topic-150836];
* a string is the ``.`` concatenation of its pieces (``"Hello $name"`` is ``("Hello " . $name)`` [D HELP]);
* ``{ … }`` is an array literal, code or source text depending on where it stands; the caller says which;
* a variable resolves at load time to a local slot or a declared global; a name declared nowhere is read from the
  call's arguments, then from the variables of the invoking context [D HELP, O lsp V-14], and — on a later line of an
  imported file only — from the globals [O lsp q2/q3]; otherwise it is ``nothing``;
* inside a ``where`` filter an item property shadows a variable of the same name [D HELP "Reserved variable names"].

Must not: compile commands (``core.py``) or run anything.
"""

from __future__ import annotations

from routeros_lsp.syntax import ast

from emulator import ops
from emulator.compiler.context import Context, Path, Scope, UnitInfo
from emulator.convert import word_value
from emulator.runtime import Eval, Frame, Unit
from emulator.values import NOTHING, Array, Code, Value, function, tostr
from generator.rsc.syntax import source_slice, string_pieces, text_bytes

COMPARISONS = frozenset({"=", "!=", "<>", "<", ">", "<=", ">=", "~", "in"})


def const(value: Value) -> Eval:
    return lambda f: value


def copy_if_array(evaluate: Eval) -> Eval:
    """Arrays are values: a stored array is a copy [I, routeros-scripting.md §2.3]."""

    def copied(f: Frame) -> Value:
        value = evaluate(f)
        return value.copy() if type(value) is Array else value

    return copied


def stored(c: Context, element: ast.Element | None, scope: Scope, path: Path) -> Eval:
    """A value about to be stored in a variable: copied when it may share an array with another variable."""
    evaluate = argument(c, element, scope, path)
    fresh = element is None or isinstance(element, ast.Word | ast.StringLit | ast.Brace)
    return evaluate if fresh else copy_if_array(evaluate)


def is_name(text: str) -> bool:
    """An unquoted variable name has ASCII letters and digits only [D HELP, O lsp V-07]."""
    return text.isascii() and text.isalnum()


def argument(c: Context, element: ast.Element | None, scope: Scope, path: Path, brace: str = "array") -> Eval:
    """The value of a command argument or ``name=`` value. ``brace`` says what ``{ … }`` is: ``array``, ``code``
    (a block run in place) or ``text`` (its source bytes, for string parameters such as ``source={…}``)."""
    if element is None:
        return const(b"")  # "name=" with nothing after it is an empty value [O lsp]
    if isinstance(element, ast.Word):
        return const(word_value(element.text))
    if isinstance(element, ast.StringLit):
        return string(c, element, scope, path)
    if isinstance(element, ast.Variable):
        return variable(c, element.name, scope)
    if isinstance(element, ast.Subst):
        return subst(c, element, scope, path)
    if isinstance(element, ast.Group):
        return group(c, element, scope, path)
    if isinstance(element, ast.Brace):
        if brace == "code":
            return c.code_block(element, scope, path)
        if brace == "text":
            return const(source_slice(c.parsed.text, element.start + 1, element.end - 1))
        return array_literal(c, element, scope, path)
    raise c.problem("syntax", element.start, "a value is expected here")


# --- variables ------------------------------------------------------------------------------------------------------


def variable(c: Context, name: str, scope: Scope) -> Eval:
    read = _read(c, name, scope)
    if not scope.in_where:
        return read

    def shadowed(f: Frame) -> Value:
        props = f.props
        if props is not None and name in props:
            value: Value = props[name]
            return value
        return read(f)

    return shadowed


def _read(c: Context, name: str, scope: Scope) -> Eval:
    binding = scope.lookup(name)
    if binding is not None and binding[0] == "slot":
        index = binding[1]
        return lambda f: f.slots[index]
    if binding is not None:

        def read_global(f: Frame) -> Value:
            args = f.args
            if args and name in args:
                return args[name]  # a named argument hides a global of the same name [D HELP/TIPS "my2"]
            return f.run.env.get(name, NOTHING)

        return read_global
    importing = c.mode == "import"

    def read_free(f: Frame) -> Value:
        args = f.args
        if name in args:
            return args[name]
        run = f.run
        variables = run.ctx.variables
        if name in variables:
            value: Value = variables[name]
            return value
        if importing:
            return run.env.get(name, NOTHING)
        return NOTHING

    return read_free


# --- strings, substitutions, arrays -----------------------------------------------------------------------------------


def string(c: Context, literal: ast.StringLit, scope: Scope, path: Path) -> Eval:
    raw = string_pieces(literal)
    pieces: list[Eval] = []
    for piece in raw:
        if isinstance(piece, bytes):
            pieces.append(const(piece))
        elif isinstance(piece, ast.VariablePart):
            pieces.append(variable(c, piece.name, scope))
        elif isinstance(piece, ast.ExpressionPart):
            pieces.append(group(c, piece.group, scope, path))
        else:
            pieces.append(subst(c, piece.subst, scope, path))
    if len(pieces) == 1 and isinstance(raw[0], bytes):
        return pieces[0]
    parts = tuple(pieces)
    return lambda f: interpolate([p(f) for p in parts])


def interpolate(values: list[Value]) -> Value:
    try:
        return b"".join(values)  # type: ignore[arg-type]  # the common case; any other value raises TypeError
    except TypeError:
        pass
    if any(type(v) is Array for v in values):
        result = values[0]
        for value in values[1:]:
            result = ops.concat(result, value)
        return result
    return b"".join(v if type(v) is bytes else tostr(v) for v in values)


def subst(c: Context, node: ast.Subst, scope: Scope, path: Path) -> Eval:
    """``[ … ]``: the value of its (last) command [D HELP]."""
    evals, _ = c.statements(node.body, scope.child(), path, carry=False)
    return c.block(evals)


def array_literal(c: Context, brace: ast.Brace, scope: Scope, path: Path) -> Eval:
    """``{1;"two";a=3}``: list elements in order, keyed ones by key [D HELP]."""
    c.array_literal_at(brace.start, brace.end)
    entries: list[tuple[Eval | None, Eval]] = []
    for statement in brace.body:
        elements = statement.elements
        if not elements:
            continue
        if statement.prefix is not None or len(elements) > 1:
            at = elements[1].start if len(elements) > 1 else statement.start
            raise c.problem("syntax", at, "an array element is one value or key=value")
        element = elements[0]
        if isinstance(element, ast.Named):
            key_node = element.name
            key: Eval = (
                const(text_bytes(key_node.text)) if isinstance(key_node, ast.Word) else string(c, key_node, scope, path)
            )
            entries.append((key, copy_if_array(argument(c, element.value, scope, path))))
        else:
            entries.append((None, copy_if_array(argument(c, element, scope, path))))
    items = tuple(entries)

    def build(f: Frame) -> Array:
        array = Array()
        for key, value in items:
            if key is None:
                array.items.append(value(f))
            else:
                name = key(f)
                array.keyed[name if type(name) is bytes else tostr(name)] = value(f)
        return array

    return build


def function_value(c: Context, brace: ast.Brace, scope: Scope, path: Path) -> Eval:
    """``do={…}`` of ``:local``/``:global``/``:set``: a function, its body a unit of its own [D HELP, O lsp]."""
    info = UnitInfo()
    evals, _ = c.statements(brace.body, scope.function_body(info), path, carry=False)
    code = Code(
        Unit(c.function_block(evals), info.size, c.parsed.path),
        source_slice(c.parsed.text, brace.start + 1, brace.end - 1),
    )
    return lambda f: function(code)


# --- expressions ------------------------------------------------------------------------------------------------------


def group(c: Context, node: ast.Group, scope: Scope, path: Path) -> Eval:
    if not node.exprs:
        raise c.problem("syntax", node.start, "empty ( )")
    if len(node.exprs) > 1:
        # RouterOS accepts "($a $b)" but its meaning is unknown [O lsp]; the emulator refuses rather than guess.
        raise c.problem("syntax", node.exprs[1].start, "operands written next to each other in ( ) are not emulated")
    return expression(c, node.exprs[0], scope, path)


def expression(c: Context, node: ast.Expr, scope: Scope, path: Path, rhs: bool = False) -> Eval:
    if isinstance(node, ast.Binary):
        return _binary(c, node, scope, path)
    if isinstance(node, ast.Unary):
        operand = expression(c, node.operand, scope, path)
        literal = isinstance(node.operand, ast.Word) and not scope.in_where and scope.lookup(node.operand.text) is None
        if node.op == "-" and literal:
            return const(ops.negate(operand(None)))  # type: ignore[arg-type]  # a constant ignores its frame
        fn = ops.UNARY[node.op]
        return lambda f: fn(operand(f))
    if isinstance(node, ast.Word):
        return _word(c, node, scope, rhs)
    if isinstance(node, ast.Missing):
        raise c.problem("syntax", node.start, "a value is missing")
    return argument(c, node, scope, path)


def _word(c: Context, node: ast.Word, scope: Scope, rhs: bool) -> Eval:
    text = node.text
    if scope.in_where and not rhs and _property_like(text):
        return lambda f: f.props.get(text, NOTHING) if f.props is not None else NOTHING
    if is_name(text) and not text.isdigit() and scope.lookup(text) is not None:
        return variable(c, text, scope)  # "(checkok>0)" reads $checkok [O il topic-150836]
    return const(word_value(text))


def _property_like(text: str) -> bool:
    head = text[:1]
    return (head.isalpha() or head == ".") and text not in ("true", "false", "yes", "no") and text.isascii()


def _binary(c: Context, node: ast.Binary, scope: Scope, path: Path) -> Eval:
    op = node.op
    left = expression(c, node.left, scope, path)
    right = expression(c, node.right, scope, path, rhs=op in COMPARISONS)
    if op in ("&&", "and"):
        truthy = ops.truthy
        return lambda f: truthy(left(f)) and truthy(right(f))
    if op in ("||", "or"):
        truthy = ops.truthy
        return lambda f: truthy(left(f)) or truthy(right(f))
    fn = ops.BINARY[op]
    return lambda f: fn(left(f), right(f))
