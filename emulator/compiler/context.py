"""The compiler's context: what one compilation knows (:class:`Context`) and what a block sees (:class:`Scope`).

Everything a part of the compiler may read or change while compiling is here and explicit:

* :class:`Context` is one compilation of one parsed source: the source, the resolver, the mode, and what the loader
  needs back afterwards (the braces read as array literals). Its statement compiler is :class:`~.core.Compiler`;
  the expression, declaration, call and control modules reach it through the two methods declared here
  (:meth:`Context.statements`, :meth:`Context.code_block`), so none of them imports the statement compiler;
* :class:`Scope` is the lexical state of a block: the names it sees, the unit whose slots they use, and whether it is
  inside a loop body (``:break``/``:continue`` compile only there) or a ``where`` filter (where item properties shadow
  variables). A scope never changes those flags: a loop body or a filter is compiled in a child scope that says so.

Must not: compile anything itself or run code.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from routeros_lsp.syntax import ast

from emulator.compiler import pysrc
from emulator.contract import SourcePos
from emulator.resolve import Resolver
from emulator.runtime import CompileProblem, Eval, Frame
from emulator.values import NOTHING, Value
from emulator.version import RouterOSVersion
from generator.rsc.syntax import Parsed

Path = tuple[str, ...]
#: Where a name lives: a local's slot in its unit's frame, or a declared global.
Binding = tuple[Literal["slot"], int] | tuple[Literal["global"], str]


class UnitInfo:
    """Slot allocation of one compilation unit (script, function body or ``:parse`` code)."""

    __slots__ = ("size",)

    def __init__(self) -> None:
        self.size = 0

    def slot(self) -> int:
        self.size += 1
        return self.size - 1


class Scope:
    """Names visible in a block. A name exists for the commands *after* its declaring command [O lsp]; a block sees the
    blocks around it; a function body starts a scope with no parent, seeing neither its definer's nor its caller's
    locals [O lsp d13/d15/d34].

    ``in_loop``: inside a loop body (also inside a function defined there: the check is lexical, as the compiler has
    always made it). ``in_where``: inside a ``where`` filter (not inside a function defined in one)."""

    __slots__ = ("in_loop", "in_where", "names", "parent", "unit")

    def __init__(self, parent: Scope | None, unit: UnitInfo, *, in_loop: bool = False, in_where: bool = False) -> None:
        self.parent = parent
        self.unit = unit
        self.in_loop = in_loop
        self.in_where = in_where
        self.names: dict[str, Binding] = {}

    def child(self) -> Scope:
        return Scope(self, self.unit, in_loop=self.in_loop, in_where=self.in_where)

    def loop_body(self) -> Scope:
        """The scope of a loop's body."""
        return Scope(self, self.unit, in_loop=True, in_where=self.in_where)

    def filter(self) -> Scope:
        """The scope of a ``where`` filter."""
        return Scope(self, self.unit, in_loop=self.in_loop, in_where=True)

    def function_body(self, unit: UnitInfo) -> Scope:
        """The root scope of a function defined in this block: no names, a unit of its own."""
        return Scope(None, unit, in_loop=self.in_loop)

    def lookup(self, name: str) -> Binding | None:
        scope: Scope | None = self
        while scope is not None:
            found = scope.names.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None

    def declare_local(self, name: str) -> int:
        index = self.unit.slot()
        self.names[name] = ("slot", index)
        return index

    def declare_global(self, name: str) -> None:
        self.names[name] = ("global", name)


@dataclass(slots=True)
class Bound:
    """The arguments of one command line, checked against its :class:`~emulator.contract.CommandSpec`."""

    named: dict[str, ast.Element | None] = field(default_factory=dict)
    positional: dict[str, ast.Element] = field(default_factory=dict)
    unnamed: list[ast.Element] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    unset: list[str] = field(default_factory=list)
    where: list[ast.Element] | None = None
    conditions: list[ast.Named] = field(default_factory=list)

    def get(self, name: str) -> ast.Element | None:
        """A parameter given by name or by position."""
        if name in self.named:
            return self.named[name]
        return self.positional.get(name)

    def has(self, name: str) -> bool:
        return name in self.named or name in self.positional


def nothing(f: Frame) -> Value:
    return NOTHING


def run_block(statements: list[Eval]) -> Eval:
    """Statements in order; the value is the last one's (``[ … ]`` and code evaluate to it [I: ``[[:parse $cmd]]`` in
    community code relies on it])."""
    if not statements:
        return nothing
    if len(statements) == 1:
        return statements[0]
    body = tuple(statements)

    def block(f: Frame) -> Value:
        value: Value = NOTHING
        for statement in body:
            value = statement(f)
        return value

    return block


class Context(ABC):
    """One compilation of one parsed source. ``mode`` is ``script`` or ``import``; ``deferred`` (``:parse`` code)
    turns unknown names into runtime errors raised when the line is reached, as RouterOS does for ``:parse`` [O il]."""

    def __init__(self, parsed: Parsed, resolver: Resolver, *, mode: str = "script", deferred: bool = False) -> None:
        self.parsed = parsed
        self.resolver = resolver
        self.version: RouterOSVersion = resolver.version
        self.mode = mode
        self.deferred = deferred
        #: Braces read as array literals: the parser's head-of-command errors inside them do not count.
        self.array_spans: list[tuple[int, int]] = []
        #: Python source of compiled statements (``pysrc.py``): a statement's own (``:set`` of a local), and a counted
        #: statement's (the count, the trap, the position around it), by the statement's closure.
        self.own_source: dict[Eval, pysrc.Snippet] = {}
        self.counted_source: dict[Eval, pysrc.Snippet] = {}
        #: Counted statements with source of their own: generated when first called, as most are written into their
        #: block's function instead (:meth:`block` generates the function of one that is a block of its own).
        self.own_counted: set[Eval] = set()
        #: Counted statements: what they count (the compiled statement and its position).
        self.counted_from: dict[Eval, tuple[Eval, SourcePos]] = {}
        #: ``:return`` statements: the value each returns.
        self.return_values: dict[Eval, Eval] = {}

    # --- positions and problems -------------------------------------------------------------------------------------

    def pos(self, offset: int) -> SourcePos:
        line, column = self.parsed.lines.line_col(offset)
        return SourcePos(self.parsed.path, line, column)

    def problem(self, kind: str, offset: int, detail: str, word: str = "") -> CompileProblem:
        return CompileProblem(kind, offset, detail, word)

    def array_literal_at(self, start: int, end: int) -> None:
        """A brace at ``start``–``end`` is read as an array literal (the loader asks :attr:`array_spans`)."""
        self.array_spans.append((start, end))

    def failure_text(self, problem: CompileProblem) -> str:
        """RouterOS's wording for a load problem at its position. Only "syntax error", "bad command name" and
        "expected end of command" are attested (routeros-scripting.md §1.2, §5); the other wordings are guesses [I]."""
        line, column = self.parsed.lines.line_col(problem.offset)
        at = f"(line {line} column {column})"
        if problem.kind == "bad-command":
            return f"bad command name {problem.word} {at}"
        if problem.kind == "ambiguous-command":
            return f"ambiguous command name {problem.word} {at}"
        if problem.kind == "end-of-command":
            return f"expected end of command {at}"
        if problem.kind == "missing-value":
            return f"missing value(s) of argument(s) {problem.word}"
        if problem.kind == "ambiguous":
            return f"ambiguous argument name {problem.word} {at}"
        return f"syntax error {at}"

    # --- the statement compiler ---------------------------------------------------------------------------------------

    @abstractmethod
    def statements(
        self, statements: list[ast.Statement], scope: Scope, path: Path, carry: bool
    ) -> tuple[list[Eval], Path]:
        """Compiles a statement list in ``scope``; see :meth:`~.core.Compiler.statements`."""

    @abstractmethod
    def counted(self, compiled: Eval, pos: SourcePos) -> Eval:
        """A compiled statement as a counted one; see :meth:`~.core.Compiler.counted`."""

    def function_block(self, statements: list[Eval]) -> Eval:
        """:meth:`block` of a function's body. A ``:return`` that is the body's last statement evaluates to its value
        instead of raising ``ReturnSignal``: the call (``calls.call_code``) returns the body's value, which is then
        the same, and nothing between the body and the call catches the signal."""
        if statements:
            last = self.counted_from.get(statements[-1])
            value = self.return_values.get(last[0]) if last is not None else None
            if last is not None and value is not None:
                statements = [*statements[:-1], self.counted(value, last[1])]
        return self.block(statements)

    def code_block(self, brace: ast.Brace, scope: Scope, path: Path) -> Eval:
        """``{ … }`` run in place (``do=``, ``else=``, ``on-error=``): a child scope, menu changes kept inside."""
        evals, _ = self.statements(brace.body, scope.child(), path, carry=False)
        return self.block(evals)

    def block(self, statements: list[Eval]) -> Eval:
        """:func:`run_block` of compiled statements, as one generated function when two or more of them have source
        (``pysrc.block``); a single statement is its own block (its generated function, when it has source of its
        own)."""
        sources = [self.counted_source.get(statement) for statement in statements]
        if len(statements) == 1 and statements[0] in self.own_counted:
            source = sources[0]
            assert source is not None
            return pysrc.block([source])
        if len(statements) < 2:
            return run_block(statements)
        if sum(source is not None for source in sources) < 2:
            return run_block(statements)
        return pysrc.block([s if s is not None else pysrc.call(e) for s, e in zip(sources, statements, strict=True)])


#: How the compiler compiles one of the interpreter's own commands (``:set``, ``:for`` …): the context, the checked
#: arguments, the command's head word, the scope and the current menu.
CommandCompiler = Callable[[Context, Bound, ast.Word, Scope, Path], Eval]
