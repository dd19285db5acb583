"""Compile ``where`` filters of menu commands (``find``, ``print``) into predicates over an item's properties.

After ``where`` the expression language applies, written as command words: ``where name~"ether" && !disabled``,
``where dst-address=0.0.0.0/0 active`` (a bare boolean property means "is true", terms written side by side must all
hold), ``where (name~"x")=false``, ``where "mac-address"="AA:BB:CC:DD:EE:FF"`` [D HELP, EW, TIKOCI-SK]. The parser
hands these over as words, strings and ``name=value`` pairs, so this module re-tokenises them and parses the operator
precedence of routeros-scripting.md §3.

Names: a property-like word on the left of a comparison, or standing alone, is a property; a word on the right is a
literal value (``find name=ether1``). ``$name`` reads the *property* when the item has one, which is RouterOS's
reserved-variable-name trap [D HELP]. ``find name=x`` without ``where`` (conditions on a ``find`` whose spec does not
list the property) is the same as ``where name=x``.

Must not: look at items itself (the router calls the predicate) or know menus.
"""

from __future__ import annotations

from collections.abc import Callable

from routeros_lsp.syntax import ast

from emulator import ops
from emulator.compiler import expr as compile_expr
from emulator.compiler.context import Context, Path, Scope
from emulator.contract import Props
from emulator.convert import word_value
from emulator.runtime import Eval, Frame
from emulator.values import NOTHING, Value, tostr

Predicate = Callable[[Frame], Callable[[Props], bool]]

_OPS = ("&&", "||", "!=", "<=", ">=", "<>", "=", "<", ">", "~", "!")
_WORD_OPS = {"and": "&&", "or": "||", "in": "in"}
#: The equality of a ``find`` condition (not an operator a script can write).
CONDITION = "=="
_PREC = {"||": 1, "&&": 2, "=": 3, "!=": 3, "<>": 3, "<": 3, ">": 3, "<=": 3, ">=": 3, "~": 3, "in": 3, CONDITION: 3}


class _Op:
    __slots__ = ("offset", "text")

    def __init__(self, text: str, offset: int) -> None:
        self.text, self.offset = text, offset


class _Atom:
    """A word piece: a property name, or a literal when it stands right of a comparison."""

    __slots__ = ("offset", "strict", "text")

    def __init__(self, text: str, offset: int, strict: bool = False) -> None:
        self.text, self.offset, self.strict = text, offset, strict


Token = _Op | _Atom | ast.Element


def compile_filter(
    c: Context, elements: list[ast.Element] | None, conditions: list[ast.Named], scope: Scope, path: Path
) -> Predicate | None:
    if elements is None and not conditions:
        return None
    tokens: list[Token] = []
    for named in conditions:
        tokens.extend(_condition_tokens(named))
    for element in elements or []:
        if isinstance(element, ast.Word):
            tokens.extend(_lex(element.text, element.start))
        elif isinstance(element, ast.Named):
            tokens.extend(_named_tokens(element))
        elif isinstance(element, ast.Operator):
            tokens.append(_Op("=", element.start))
        else:
            tokens.append(element)
    tokens = _merge(tokens)
    parser = _Parser(c, tokens, scope.filter(), path)
    test = parser.expression(0)
    if parser.index < len(tokens):
        raise c.problem("syntax", _offset(tokens[parser.index]), "unexpected token in where")
    truthy = ops.truthy

    def bind(f: Frame) -> Callable[[Props], bool]:
        def predicate(props: Props) -> bool:
            saved = f.props
            f.props = props
            try:
                return truthy(test(f))
            finally:
                f.props = saved

        return predicate

    return bind


def _condition_tokens(named: ast.Named) -> list[Token]:
    """``find name=value`` outside ``where``: the value is a command argument, which RouterOS parses by the property's
    type, so ``find address=10.0.0.1/24`` matches a text property too [I]; compared with ``CONDITION``."""
    key = named.name
    name = key.value if isinstance(key, ast.StringLit) else key.text
    value: Token
    if named.value is None:
        value = ast.StringLit(start=named.end, end=named.end, value="", parts=[], closed=True)
    elif isinstance(named.value, ast.Word):
        value = _Atom(named.value.text, named.value.start)
    else:
        value = named.value
    return [_Atom(name, key.start, strict=True), _Op(CONDITION, named.equals_at), value]


def _named_tokens(named: ast.Named) -> list[Token]:
    key = named.name
    if isinstance(key, ast.StringLit):
        left: list[Token] = [_Atom(key.value, key.start, strict=True)]
    else:
        left = _lex(key.text, key.start)
        if left and isinstance(left[0], _Atom):
            left[0].strict = True
    left.append(_Op("=", named.equals_at))
    value = named.value
    if value is None:
        left.append(ast.StringLit(start=named.end, end=named.end, value="", parts=[], closed=True))
    elif isinstance(value, ast.Word):
        left.extend(_lex(value.text, value.start))
    else:
        left.append(value)
    return left


def _lex(text: str, start: int) -> list[Token]:
    out: list[Token] = []
    i, atom_start = 0, 0
    while i < len(text):
        op = next((o for o in _OPS if text.startswith(o, i)), None)
        if op is None:
            i += 1
            continue
        if i > atom_start:
            out.append(_word_token(text[atom_start:i], start + atom_start))
        out.append(_Op(op, start + i))
        i += len(op)
        atom_start = i
    if atom_start < len(text):
        out.append(_word_token(text[atom_start:], start + atom_start))
    return out


def _word_token(text: str, offset: int) -> Token:
    return _Op(_WORD_OPS[text], offset) if text in _WORD_OPS else _Atom(text, offset)


def _merge(tokens: list[Token]) -> list[Token]:
    """``name!="x"`` arrives as the pair ``name!`` = ``"x"``: rejoin ``! =``, ``< =``, ``> =`` into one operator."""
    out: list[Token] = []
    for token in tokens:
        previous = out[-1] if out else None
        if (
            isinstance(token, _Op)
            and token.text == "="
            and isinstance(previous, _Op)
            and previous.text in ("!", "<", ">")
            and previous.offset + 1 == token.offset
        ):
            out[-1] = _Op(previous.text + "=", previous.offset)
            continue
        out.append(token)
    return out


def _offset(token: Token) -> int:
    return token.offset if isinstance(token, _Op | _Atom) else token.start


class _Parser:
    def __init__(self, c: Context, tokens: list[Token], scope: Scope, path: Path) -> None:
        self.c, self.tokens, self.scope, self.path = c, tokens, scope, path
        self.index = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def expression(self, min_prec: int) -> Eval:
        left = self.unary(rhs=False)
        while True:
            token = self.peek()
            if token is None:
                return left
            if isinstance(token, _Op) and token.text in _PREC:
                prec = _PREC[token.text]
                if prec < min_prec:
                    return left
                self.index += 1
                right = self.expression(prec + 1) if prec != 3 else self.unary(rhs=True)
                left = _combine(token.text, left, right)
            elif min_prec <= 2 and not (isinstance(token, _Op) and token.text != "!"):
                # Terms side by side must all hold: "where dst-address=0.0.0.0/0 active" [D HELP].
                right = self.expression(3)
                left = _combine("&&", left, right)
            else:
                return left

    def unary(self, rhs: bool) -> Eval:
        token = self.peek()
        if token is None:
            raise self.c.problem("syntax", 0, "where needs a condition")
        self.index += 1
        if isinstance(token, _Op):
            if token.text == "!":
                operand = self.unary(rhs)
                return lambda f: not ops.truthy(operand(f))
            raise self.c.problem("syntax", token.offset, f"unexpected '{token.text}' in where")
        if isinstance(token, _Atom):
            return self.atom(token, rhs)
        if isinstance(token, ast.Group):
            return compile_expr.group(self.c, token, self.scope, self.path)
        return compile_expr.argument(self.c, token, self.scope, self.path)

    def atom(self, token: _Atom, rhs: bool) -> Eval:
        name = token.text
        if token.strict or (not rhs and _property(name)):
            return lambda f: f.props.get(name, NOTHING) if f.props is not None else NOTHING
        value = word_value(name)
        return lambda f: value


def _property(text: str) -> bool:
    head = text[:1]
    return (head.isalpha() or head == ".") and text not in ("true", "false", "yes", "no")


def _combine(op: str, left: Eval, right: Eval) -> Eval:
    truthy = ops.truthy
    if op == "&&":
        return lambda f: truthy(left(f)) and truthy(right(f))
    if op == "||":
        return lambda f: truthy(left(f)) or truthy(right(f))
    fn = _condition_equal if op == CONDITION else ops.BINARY[op]
    return lambda f: fn(left(f), right(f))


def _condition_equal(stored: Value, given: Value) -> bool:
    """Typed equality, or equal text when the types differ (the argument would have been parsed as the property) [I]."""
    if ops.equal(stored, given):
        return True
    if stored is NOTHING or type(stored) is type(given):
        return False
    return tostr(stored) == tostr(given)
