"""The statement compiler: statement lists, command-line heads, argument binding and menu commands.

RouterOS compiles a script before running it [D HELP]: a syntax error, an unknown menu, command or parameter, or a
``:set`` of an undeclared variable fails the whole script (script mode) or its line (import mode) before anything of it
runs (routeros-scripting.md §11.18, platform.md §4.3). The compiler does the same against the emulated version's
command tree (:class:`~emulator.resolve.Resolver`) and turns each statement into a Python closure over a
:class:`~emulator.runtime.Frame`, so running costs no tree walking.

Expressions are in ``expr.py``, the interpreter's own commands in ``control.py`` (with ``assign.py`` and
``calls.py``), ``where`` filters in ``where.py``; what they all share is in ``context.py``.

Must not: run code (compiling never touches the router or the environment) or know what a menu command does.
"""

from __future__ import annotations

from routeros_lsp.syntax import ast

from emulator.compiler import calls, control, expr, pysrc, where
from emulator.compiler.context import Bound, Context, Path, Scope, UnitInfo, run_block
from emulator.contract import CommandSpec, MenuCall, MenuNode, RouterOSError, SourcePos
from emulator.ops import OperatorError
from emulator.resolve import MANY, Builtin, match_name
from emulator.runtime import CompileProblem, Eval, Frame, ScriptFailure, Unit
from emulator.values import NOTHING, Value


def segments(text: str, slash_paths: bool) -> list[tuple[str, int]]:
    """The names in a head word: ``ip/address/print`` (v7 only [I]) and ``..`` steps, with their offsets."""
    out: list[tuple[str, int]] = []
    parts = text.split("/") if slash_paths else [text]
    offset = 0
    for part in parts:
        at, rest = offset, part
        while rest.startswith(".."):
            out.append(("..", at))
            rest, at = rest[2:], at + 2
        if rest:
            out.append((rest, at))
        offset += len(part) + 1
    return out


def counted(impl: Eval, pos: SourcePos) -> Eval:
    """A statement: counted (for the benchmark, and for a power cut armed at a statement: the one integer comparison
    per statement), and the place a runtime error is reported at."""

    def statement(f: Frame) -> Value:
        run = f.run
        steps = run.steps = run.steps + 1
        if steps > run.cut_at:
            run.interp.statement_trap(run)
        try:
            return impl(f)
        except ScriptFailure as error:
            if error.pos is None:
                error.pos = pos
            raise
        except OperatorError as error:
            raise ScriptFailure(str(error), pos) from None

    return statement


class Compiler(Context):
    """Compiles one parsed source: statement lists, command-line heads, argument binding and menu commands. The
    interpreter's own commands are in ``control.py``, values and expressions in ``expr.py``."""

    # --- units and blocks ---------------------------------------------------------------------------------------------

    def unit(self, statements: list[ast.Statement], path: Path = ()) -> tuple[Unit, Path]:
        """A compilation unit: its own slots and a root scope; returns the menu its last statement left."""
        info = UnitInfo()
        evals, after = self.statements(statements, Scope(None, info), path, carry=True)
        return Unit(self.block(evals), info.size, self.parsed.path), after

    def statements(
        self, statements: list[ast.Statement], scope: Scope, path: Path, carry: bool
    ) -> tuple[list[Eval], Path]:
        """Statements of one list see each other's menu changes; ``carry`` hands the last one outward (statement-level
        ``{ }`` and the top level do, bodies of ``:if``, ``:do``, functions … do not [O lsp s1–s30])."""
        out: list[Eval] = []
        current = path
        for statement in statements:
            compiled, current = self.statement(statement, scope, current)
            if compiled is not None:
                out.append(self.counted(compiled, self.pos(statement.start)))
        return out, (current if carry else path)

    def counted(self, compiled: Eval, pos: SourcePos) -> Eval:
        """A statement as :func:`counted` makes it, with its source for :meth:`block`; a statement with source of its
        own (``pyexpr.py``) runs as a generated function."""
        own = self.own_source.get(compiled)
        source = pysrc.counted(own if own is not None else pysrc.call(compiled), pos)
        # Generated when first called: most are written into their block's function and never called on their own.
        statement = pysrc.statement(source) if own is not None else counted(compiled, pos)
        self.counted_source[statement] = source
        if own is not None:
            self.own_counted.add(statement)
        self.counted_from[statement] = (compiled, pos)
        return statement

    def statement(self, statement: ast.Statement, scope: Scope, path: Path) -> tuple[Eval | None, Path]:
        try:
            return self._statement(statement, scope, path)
        except CompileProblem as problem:
            if not self.deferred or problem.kind == "syntax":
                raise
            failure = self.failure_text(problem)
            pos = self.pos(problem.offset)

            def fail(f: Frame) -> Value:
                raise ScriptFailure(failure, pos)

            return fail, path

    # --- command-line heads -------------------------------------------------------------------------------------------

    def _statement(self, statement: ast.Statement, scope: Scope, path: Path) -> tuple[Eval | None, Path]:
        elements, prefix = statement.elements, statement.prefix
        if not elements:
            return None, (() if prefix == "/" else path)
        head = elements[0]
        if prefix is None and not isinstance(head, ast.Word):
            return self.value_statement(statement, scope, path)
        current: Path = () if prefix in (":", "/") else path
        for index, element in enumerate(elements):
            if isinstance(element, ast.Brace | ast.Subst) and prefix != ":":
                # "/ip { route print }": the block runs in that menu and keeps its changes [O lsp].
                return self.path_blocks(elements[index:], scope, current)
            if not isinstance(element, ast.Word):
                raise self.problem("syntax", element.start, "a menu or command name is expected here")
            for name, offset in segments(element.text, self.version.has_slash_paths):
                if name == "..":
                    current = current[:-1]
                    continue
                found = self.resolver.lookup(current, name)
                at = element.start + offset
                if found.kind == "ambiguous":
                    detail = f"'{name}' could be {', '.join(found.candidates)}"
                    raise self.problem("ambiguous-command", at, detail, name)
                if found.kind == "none" or found.target is None:
                    menu = "/" + " ".join(current) if current else "the top level"
                    raise self.problem("bad-command", at, f"'{name}' is not a menu or command in {menu}", name)
                if isinstance(found.target, MenuNode):
                    current = (*current, found.name)
                    continue
                if offset + len(name) < len(element.text):
                    raise self.problem("bad-command", at, "a command cannot be followed by more path", element.text)
                rest = elements[index + 1 :]
                if isinstance(found.target, Builtin):
                    return self.builtin(found.target, element, rest, scope, path), path
                return self.menu_command(found.target, current, element, rest, scope), path
        return None, (path if prefix == ":" else current)

    def path_blocks(self, elements: list[ast.Element], scope: Scope, path: Path) -> tuple[Eval | None, Path]:
        evals: list[Eval] = []
        current = path
        for element in elements:
            if not isinstance(element, ast.Brace | ast.Subst):
                raise self.problem("end-of-command", element.start, "nothing can follow a block on its line")
            inner, current = self.statements(element.body, scope.child(), current, carry=True)
            evals.append(self.block(inner))
        return run_block(evals), current

    def value_statement(self, statement: ast.Statement, scope: Scope, path: Path) -> tuple[Eval | None, Path]:
        """A line that starts with a value: ``$f a b`` calls, ``{ … }`` is a block, ``[ … ]`` a substitution."""
        elements = statement.elements
        head = elements[0]
        if isinstance(head, ast.Brace) and len(elements) == 1:
            inner, after = self.statements(head.body, scope.child(), path, carry=True)
            return self.block(inner), after
        if isinstance(head, ast.Subst) and len(elements) == 1:
            # "[[:parse $cmd]]": a command line whose command is a value runs it when it is code [I, community code].
            inner, after = self.statements(head.body, scope.child(), path, carry=True)
            return calls.run_if_code(self.block(inner)), after
        if isinstance(head, ast.Variable | ast.Group | ast.Subst):
            return calls.call(self, head, elements[1:], scope, path), path
        raise self.problem("syntax", head.start, "a command is expected here")

    # --- arguments ----------------------------------------------------------------------------------------------------

    def bind(
        self, spec: CommandSpec, elements: list[ast.Element], head: ast.Word, *, free_form: bool, menu: bool
    ) -> Bound:
        """Checks a command's arguments as RouterOS does at load time [O lsp, routeros-scripting.md §1.9]."""
        bound = Bound()
        takes_where = spec.where or "where" in spec.params or "where" in spec.flags
        conditions = menu and spec.name == "find" and takes_where
        params = {name: False for name in spec.params} | {name: True for name in spec.flags}
        params.pop("where", None)
        flags = dict.fromkeys(spec.flags)
        for index, element in enumerate(elements):
            if isinstance(element, ast.Word):
                text = element.text
                if text == "where" and takes_where:
                    bound.where = elements[index + 1 :]
                    if not bound.where:
                        raise self.problem("missing-value", element.start, "'where' needs a condition", "where")
                    break
                if menu and text.startswith("!") and len(text) > 1:
                    bound.unset.append(text[1:])  # "set $id !comment" unsets a property [D HELP]
                    continue
                kind, name, _ = match_name(flags, text)
                if kind == "found":
                    bound.flags.add(name)
                    continue
                if spec.unnamed == 0:
                    raise self.problem("end-of-command", element.start, f"'{text}' is not a flag of {spec.name}")
                bound.unnamed.append(element)
            elif isinstance(element, ast.Named):
                self.bind_named(spec, bound, element, params, free_form=free_form, conditions=conditions)
            elif isinstance(element, ast.Operator):
                raise self.problem("syntax", element.start, "unexpected '='")
            else:
                bound.unnamed.append(element)
        self.bind_positional(spec, bound, head)
        return bound

    def bind_named(
        self,
        spec: CommandSpec,
        bound: Bound,
        element: ast.Named,
        params: dict[str, bool],
        *,
        free_form: bool,
        conditions: bool,
    ) -> None:
        key = element.name.text if isinstance(element.name, ast.Word) else element.name.value
        if conditions:
            # "find name=x" compares item properties and takes any property [O lsp w1–w6]. It becomes part of the
            # filter, where "$name" reads the item's property: the reserved-variable-name trap [D HELP].
            bound.conditions.append(element)
            return
        kind, name, candidates = match_name(params, key)
        if kind == "found":
            if params[name]:
                raise self.problem("end-of-command", element.equals_at, f"'{name}' is a flag and takes no value")
            if name in bound.named and not free_form:
                raise self.problem("end-of-command", element.start, f"'{name}' is given twice")
            bound.named[name] = element.value
        elif kind == "ambiguous" and not free_form:
            raise self.problem("ambiguous", element.start, f"'{key}' could be {', '.join(candidates)}", key)
        elif not free_form:
            raise self.problem("end-of-command", element.start, f"'{key}' is not a parameter of {spec.name}")

    def bind_positional(self, spec: CommandSpec, bound: Bound, head: ast.Word) -> None:
        free = [name for name in spec.positional if name not in bound.named]
        limit = spec.unnamed if spec.unnamed != MANY else (len(spec.positional) if spec.positional else MANY)
        if len(bound.unnamed) > limit:
            extra = bound.unnamed[limit]
            raise self.problem("end-of-command", extra.start, f"{spec.name} takes at most {limit} unnamed arguments")
        for index, element in enumerate(bound.unnamed):
            bound.positional[free[index] if index < len(free) else str(index)] = element
        for name in sorted(spec.required):
            if not bound.has(name):
                raise self.problem("missing-value", head.start, f"{spec.name} needs a value for {name}", name)

    # --- commands -----------------------------------------------------------------------------------------------------

    def builtin(self, builtin: Builtin, head: ast.Word, rest: list[ast.Element], scope: Scope, path: Path) -> Eval:
        if builtin.loop_only and not scope.in_loop:
            raise self.problem("bad-command", head.start, f"'{builtin.name}' is valid only inside a loop", head.text)
        bound = self.bind(builtin.spec, rest, head, free_form=builtin.free_form, menu=False)
        return control.builtin(self, builtin, bound, head, scope, path)

    def menu_argument(self, element: ast.Element | None, scope: Scope, menu: Path) -> Eval:
        """A menu command's argument. A bare word reaches the router as its text, which the menu parses by the
        parameter's type (``start-tls=yes`` is an enum word, ``interval=1d`` a time) [D HELP: the parameter decides];
        ``$x``, ``(…)`` and ``[…]`` arrive as typed values, and ``{…}`` as its source text."""
        if isinstance(element, ast.Word):
            return expr.const(element.text.encode("ascii", "surrogateescape"))
        return expr.argument(self, element, scope, menu, brace="text")

    def menu_command(
        self, spec: CommandSpec, menu: Path, head: ast.Word, rest: list[ast.Element], scope: Scope
    ) -> Eval:
        """A command of the router: arguments evaluated, unnamed ones named by ``spec.positional``, a ``where``
        filter built as a predicate, and the call handed to :meth:`RouterPort.call`."""
        bound = self.bind(spec, rest, head, free_form=False, menu=True)
        args: list[tuple[str, Eval]] = []
        for name, element in [*bound.named.items(), *bound.positional.items()]:
            args.append((name, self.menu_argument(element, scope, menu)))
        predicate = where.compile_filter(self, bound.where, bound.conditions, scope, menu)
        flags, unset = frozenset(bound.flags), frozenset(bound.unset)
        command, pos = spec.name, self.pos(head.start)

        def call(f: Frame) -> Value:
            # Policies ("not enough permissions (9)") are the router's to check: it knows the command's spec too.
            run = f.run
            values = {name: evaluate(f) for name, evaluate in args}
            request = MenuCall(menu, command, values, flags, predicate(f) if predicate else None, pos, unset)
            try:
                result = run.port.call(request, run.ctx)
            except RouterOSError as error:
                raise ScriptFailure(str(error)) from None
            return NOTHING if result is None else result

        return call
