"""Compile declarations and assignment: ``:local``, ``:global``, ``:set`` and ``:set ($a->k) v``.

Semantics (routeros-scripting.md §4): a name exists for the commands after its declaring command [O lsp]; ``:local``
without a value is nil [D HELP]; ``:global x`` without a value only grants access [I, EW]; ``:set`` needs a name
declared in the same or an enclosing block or fails at load [D HELP, O lsp V-01..V-05], except ``:set $a``,
``:set "name"`` and ``:set ($a->k)``, which compile [O lsp d16–d20]; ``:set x`` with no value removes the variable, and
``:set ($a->k)`` the element [D HELP/TIPS]; ``:set ($a->k) v`` creates missing elements [D HELP/TIPS].

Must not: compile control flow (``control.py``) or calls (``calls.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from routeros_lsp.syntax import ast

from emulator.compiler import pyexpr, pysrc
from emulator.compiler.context import Bound, CommandCompiler, Context, Path, Scope
from emulator.compiler.expr import expression, function_value, is_name, stored, variable
from emulator.resolve import keywords_for
from emulator.runtime import Eval, Frame, ScriptFailure
from emulator.values import NIL, NOTHING, Array, Value, tostr
from generator.rsc.syntax import is_empty_array_brace


def declared_name(c: Context, element: ast.Element | None, what: str) -> str:
    if isinstance(element, ast.Word) and element.text in keywords_for(c.version):
        # "and or in … cannot be used as variable and function names" [D HELP "Keywords"] (v6: also "not"); 7.21.4
        # accepts them [O lsp V-07/V-08]: a CONFLICT resolved the strict way (docs/assumptions.md row 70).
        raise c.problem("syntax", element.start, f"{what} {element.text}: a keyword cannot name a variable")
    if isinstance(element, ast.Word) and is_name(element.text):
        return element.text
    if isinstance(element, ast.StringLit) and element.closed and len(element.parts) <= 1:
        return element.value  # :local "my-var" allows any characters [D HELP]
    at = element.start if element is not None else 0
    raise c.problem("syntax", at, f"{what} needs a variable name of letters and digits (quote other names)")


def declaration(is_global: bool) -> CommandCompiler:
    def compile_declaration(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
        name = declared_name(c, bound.get("name"), ":global" if is_global else ":local")
        _refuse_empty_braces(c, bound)
        if not is_global and _inlinable(bound):
            writer = pyexpr.Writer()
            source = pyexpr.stored_value(c, _value_element(bound), scope, path, writer)
            return _local_source(c, scope.declare_local(name), source, writer)
        value = _assigned(c, bound, scope, path)
        if is_global:
            scope.declare_global(name)  # visible to the commands after this one [O lsp]
            if value is None:
                return lambda f: NOTHING  # declares access only; $name stays nothing until set [I, EW]

            def set_global(f: Frame) -> Value:
                f.run.env[name] = value(f)
                return NOTHING

            return set_global
        index = scope.declare_local(name)
        if value is None:

            def set_nil(f: Frame) -> Value:
                f.slots[index] = NIL  # a local without a value is nil [D HELP]
                return NOTHING

            return set_nil

        def set_local(f: Frame) -> Value:
            f.slots[index] = value(f)
            return NOTHING

        return set_local

    return compile_declaration


def _inlinable(bound: Bound) -> bool:
    """A value ``pyexpr`` can write out: not a function (``do={…}``), and not the absence of a value."""
    body = bound.get("do")
    return not isinstance(body, ast.Brace) and (bound.has("do") or bound.has("value"))


def _value_element(bound: Bound) -> ast.Element | None:
    return bound.get("do") if bound.has("do") else bound.get("value")


def _local_source(c: Context, index: int, source: str, writer: pyexpr.Writer) -> Eval:
    """``S[index] = source`` as a statement with source of its own (``pysrc.py``), and its closure."""
    pure = not writer.closures and not writer.pre
    snippet = pysrc.Snippet([*writer.pre, f"S[{index}] = {source}"], writer.names, None, writer.depth, pure)
    statement = pysrc.statement(snippet)
    c.own_source[statement] = snippet
    return statement


def _refuse_empty_braces(c: Context, bound: Bound) -> None:
    """``:global array {}`` is a syntax error at the column after the brace [D TIPS]; write ``({})``."""
    value = bound.get("value")
    if is_empty_array_brace(value):
        assert isinstance(value, ast.Brace)
        raise c.problem("syntax", value.end, '{} is not an empty array here; write ({}) or [:toarray ""]')


def _assigned(c: Context, bound: Bound, scope: Scope, path: Path) -> Eval | None:
    body = bound.get("do")
    if isinstance(body, ast.Brace):
        return function_value(c, body, scope, path)
    if bound.has("do"):
        return stored(c, body, scope, path)
    if bound.has("value"):
        return stored(c, bound.get("value"), scope, path)
    return None


def assignment(c: Context, bound: Bound, head: ast.Word, scope: Scope, path: Path) -> Eval:
    target = bound.get("name")
    _refuse_empty_braces(c, bound)
    slot = _slot_target(target, scope)
    if slot is not None and _inlinable(bound):
        writer = pyexpr.Writer()
        return _local_source(c, slot, pyexpr.stored_value(c, _value_element(bound), scope, path, writer), writer)
    element = _element_source(c, bound, target, scope, path)
    if element is not None:
        return element
    value = _assigned(c, bound, scope, path)
    if isinstance(target, ast.Group):
        return _set_element(c, target, value, scope, path)
    if isinstance(target, ast.Word):
        name = declared_name(c, target, ":set")
        if scope.lookup(name) is None:
            raise c.problem(
                "syntax", target.start, f"':set {name}' of a variable not declared in this or an enclosing block"
            )
    elif isinstance(target, ast.Variable):
        name = target.name  # ":set $a 1" compiles; the name is not checked [O lsp d16–d20]
    else:
        name = declared_name(c, target, ":set")
    binding = scope.lookup(name)
    if binding is None:

        def unknown(f: Frame) -> Value:
            raise ScriptFailure(f"no such variable {name}")

        return unknown
    if binding[0] == "slot":
        index = binding[1]

        def set_local(f: Frame) -> Value:
            f.slots[index] = NOTHING if value is None else value(f)
            return NOTHING

        return set_local

    def set_global(f: Frame) -> Value:
        args = f.args
        if args and name in args:
            # A named argument hides the global: :set changes the function's copy [D HELP/TIPS "my2"].
            args[name] = NOTHING if value is None else value(f)
        elif value is None:
            f.run.env.pop(name, None)  # ":set name" with no value removes the variable [D HELP]
        else:
            f.run.env[name] = value(f)
        return NOTHING

    return set_global


def _slot_target(target: ast.Element | None, scope: Scope) -> int | None:
    """The slot ``:set`` writes when its target is a declared local (``:set x``, ``:set "x"``, ``:set $x``)."""
    if isinstance(target, ast.Word):
        name = target.text if is_name(target.text) else None
    elif isinstance(target, ast.Variable):
        name = target.name
    elif isinstance(target, ast.StringLit) and target.closed and len(target.parts) <= 1:
        name = target.value
    else:
        name = None
    binding = scope.lookup(name) if name is not None else None
    return binding[1] if binding is not None and binding[0] == "slot" else None


def _element_key(key: Value) -> int | bytes:
    if type(key) is int:
        if key < 0:
            raise ScriptFailure("invalid array index")
        return key
    return key if type(key) is bytes else tostr(key)


def _element_source(c: Context, bound: Bound, target: ast.Element | None, scope: Scope, path: Path) -> Eval | None:
    """``:set ($a->k) v`` of a local ``$a`` with one key, as :func:`_set_element` runs it, written out as source: the
    root read (an array made when it is none), the key, then the value (or the removal without one)."""
    if scope.in_where or not isinstance(target, ast.Group) or len(target.exprs) != 1:
        return None
    node = target.exprs[0]
    if not isinstance(node, ast.Binary) or node.op != "->" or not isinstance(node.left, ast.Variable | ast.Word):
        return None
    name = node.left.name if isinstance(node.left, ast.Variable) else node.left.text
    binding = scope.lookup(name)
    body = bound.get("do")
    if binding is None or binding[0] != "slot" or isinstance(body, ast.Brace):
        return None
    root, index = f"{pysrc.PREFIX}root", binding[1]
    writer = pyexpr.Writer()
    key = pyexpr.expression(c, node.right, scope, path, writer)
    lines = [
        f"{root} = S[{index}]",
        f"if type({root}) is not Array:",
        f"    {root} = Array()",
        f"    S[{index}] = {root}",
        *writer.pre,
        f"{pysrc.PREFIX}key = {writer.bind(_element_key)}({key})",
    ]
    mark = len(writer.pre)
    if bound.has("do") or bound.has("value"):
        value = pyexpr.stored_value(c, _value_element(bound), scope, path, writer)
        lines += [*writer.pre[mark:], f"{root}.put({pysrc.PREFIX}key, {value})"]
    else:
        lines.append(f"{root}.remove({pysrc.PREFIX}key)")
    snippet = pysrc.Snippet(lines, writer.names, None, writer.depth)
    statement = pysrc.statement(snippet)
    c.own_source[statement] = snippet
    return statement


def _set_element(c: Context, target: ast.Group, value: Eval | None, scope: Scope, path: Path) -> Eval:
    """``:set ($a->"k"->1) v``: walks the chain, creating missing arrays and the element [D HELP/TIPS, I]."""
    if len(target.exprs) != 1:
        raise c.problem("syntax", target.start, ":set needs a variable or ($array->key)")
    node: ast.Expr = target.exprs[0]
    keys: list[Eval] = []
    while isinstance(node, ast.Binary) and node.op == "->":
        keys.insert(0, expression(c, node.right, scope, path))
        node = node.left
    if not keys or not isinstance(node, ast.Variable | ast.Word):
        raise c.problem("syntax", target.start, ":set needs a variable or ($array->key)")
    name = node.name if isinstance(node, ast.Variable) else node.text
    read = variable(c, name, scope)
    write = _writer(scope, name)
    last, parents = keys[-1], tuple(keys[:-1])

    def set_element(f: Frame) -> Value:
        root = read(f)
        if type(root) is not Array:
            root = Array()
            write(f, root)
        current = root
        for key in parents:
            k = _element_key(key(f))
            current.own()  # the child to write into must be this array's own, not one it shares (values.Array)
            child = current.get(k)
            if type(child) is not Array:
                child = Array()
                current.put(k, child)
            current = child
        k = _element_key(last(f))
        if value is None:
            current.remove(k)
        else:
            current.put(k, value(f))
        return NOTHING

    return set_element


def _writer(scope: Scope, name: str) -> Callable[[Frame, Value], None]:
    binding = scope.lookup(name)
    if binding is not None and binding[0] == "slot":
        index = binding[1]

        def write_slot(f: Frame, v: Value) -> None:
            f.slots[index] = v

        return write_slot

    def write_name(f: Frame, v: Value) -> None:
        if name in f.args:
            f.args[name] = v
        elif binding is not None:
            f.run.env[name] = v

    return write_name
