"""The RouterOS script interpreter of the emulator: load (parse + compile + resolve) and run scripts against a router.

Usage::

    interp = Interpreter(router, RouterOSVersion.parse("7.16"))
    result = interp.run(source_bytes, name="MonthEnd", path="script:MonthEnd", policy=frozenset({"read", "write"}))
    result.ok, result.output, result.error, result.pos, result.statements

:class:`Interpreter` is the :class:`~emulator.contract.ScriptRunner` the router is given. Two modes
(routeros-scripting.md §4.2): ``script`` (``/system script run``, scheduler ``on-event``, ``:parse``): the whole source
is one scope and any load error means nothing runs; ``import`` (``/import``, a terminal paste): every top-level line
is compiled and run on its own, lines before a bad one have run. ``import-dry-run`` (7.16+) only loads.

Compiled programs are cached by source, so running the same script on every emulated day costs one compilation.

Statements are counted over every run (:attr:`Interpreter.statements_run`, nested runs included). A port may offer
``power_cut_at`` (a global statement index) and ``cut_power()`` (the emulated router does): just before that
statement would run, the interpreter calls ``cut_power()`` and :class:`~emulator.contract.PowerCut` propagates
out of :meth:`Interpreter.run`. :class:`~emulator.contract.EmulatorRefusal` from the router propagates too
(neither is a script error: no ``on-error`` catches them, and no failed :class:`RunResult` stands in for them).

Must not: know menus beyond the contract, print, or keep script state between runs other than through
``RouterPort.environment`` (the globals).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from routeros_lsp.syntax import ast

from emulator.compiler import Compiler
from emulator.contract import PowerCut, RouterPort, RunContext, RunResult, SourcePos
from emulator.resolve import Resolver
from emulator.runtime import (
    NEVER,
    BreakSignal,
    CompileProblem,
    ContinueSignal,
    Frame,
    LoadFailure,
    ReturnSignal,
    RunState,
    ScriptFailure,
    StatementLimit,
    Unit,
)
from emulator.values import Code
from emulator.version import RouterOSVersion
from generator.rsc.syntax import Parsed, SyntaxIssue, parse, statement_lines

ALL_POLICIES = frozenset(
    {"read", "write", "test", "policy", "reboot", "ftp", "password", "sensitive", "sniff", "romon"}
)
MODES = ("script", "import", "import-dry-run")


@dataclass(frozen=True, slots=True)
class Line:
    """One unit to run: the whole script, or one top-level line of an imported file, or a line that failed to load."""

    unit: Unit | None
    failure: LoadFailure | None = None


@dataclass(frozen=True, slots=True)
class Program:
    path: str
    mode: str
    lines: tuple[Line, ...]

    @property
    def failure(self) -> LoadFailure | None:
        """The first load failure, if any (script mode has at most one line)."""
        return next((line.failure for line in self.lines if line.failure is not None), None)


class Interpreter:
    """Runs RouterOS scripts on an emulated router. One per router (it caches compiled programs for its tree)."""

    def __init__(
        self,
        port: RouterPort,
        version: RouterOSVersion | None = None,
        *,
        seed: int = 0,
        max_statements: int = 10_000_000,
        cache_size: int = 512,
    ) -> None:
        if version is None:
            # The router's runner factory passes only itself (Router has .version); see router/router.py.
            version = getattr(port, "version", None)
            if not isinstance(version, RouterOSVersion):
                raise TypeError("Interpreter needs a RouterOSVersion (or a port with a .version)")
        self.port = port
        self.version = version
        self.resolver = Resolver(port.tree, version)
        #: ``:rndnum``/``:rndstr`` draw from this, seeded so emulations repeat.
        self.random = random.Random(seed)
        self.max_statements = max_statements
        self.jobs = 0  # ids of ``:execute`` jobs
        #: Statements of finished runs; with those of the runs in progress (``_active``) they make statements_run.
        self.statements_done = 0
        self._active: list[RunState] = []
        #: Whether the port can lose power at all (looked up once: getattr on a missing name is slow per run).
        self._cuts = hasattr(port, "power_cut_at")
        #: ``:tonum "010"`` is 8: the port's ``behaviour.tonum_leading_zero`` (a router's behaviour is fixed for life).
        behaviour = getattr(port, "behaviour", None)
        self.tonum_octal = getattr(behaviour, "tonum_leading_zero", "decimal") == "octal"
        self._cache: dict[tuple[bytes, str, str], Program] = {}
        self._code: dict[bytes, Code | ScriptFailure] = {}
        self._cache_size = cache_size

    # --- loading ----------------------------------------------------------------------------------------------------

    def load(self, source: bytes, *, path: str = "<script>", mode: str = "script") -> Program:
        """Parse, resolve and compile. Never raises for bad source: failures are in :attr:`Program.failure`."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        key = (source, path, mode)
        program = self._cache.get(key)
        if program is None:
            parsed = parse(source, path)
            program = self._load_script(parsed) if mode == "script" else self._load_import(parsed, mode)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[key] = program
        return program

    def _load_script(self, parsed: Parsed) -> Program:
        compiler = Compiler(parsed, self.resolver, mode="script")
        try:
            unit, _ = compiler.unit(parsed.script.statements)
        except CompileProblem as problem:
            failure = self._failure(compiler, problem, parsed.first_error(compiler.array_spans))
            return Program(parsed.path, "script", (Line(None, failure),))
        issue = parsed.first_error(compiler.array_spans)
        if issue is not None:
            return Program(parsed.path, "script", (Line(None, self._failure(compiler, None, issue)),))
        return Program(parsed.path, "script", (Line(unit),))

    def _load_import(self, parsed: Parsed, mode: str) -> Program:
        compiler = Compiler(parsed, self.resolver, mode="import")
        groups = statement_lines(parsed)
        starts = [0] + [group[0].start for group in groups[1:]] + [len(parsed.text) + 1]
        lines: list[Line] = []
        path: tuple[str, ...] = ()  # the current menu carries from line to line, as in a terminal [O lsp]
        for index, group in enumerate(groups):
            line, path = self._load_line(compiler, parsed, group, path, starts[index], starts[index + 1])
            lines.append(line)
        if not groups:
            issue = parsed.first_error()
            if issue is not None:
                lines.append(Line(None, self._failure(compiler, None, issue)))
        return Program(parsed.path, mode, tuple(lines))

    def _load_line(
        self,
        compiler: Compiler,
        parsed: Parsed,
        group: list[ast.Statement],
        path: tuple[str, ...],
        start: int,
        end: int,
    ) -> tuple[Line, tuple[str, ...]]:
        try:
            unit, after = compiler.unit(group, path)
        except CompileProblem as problem:
            issue = parsed.errors_between(start, end, compiler.array_spans)
            return Line(None, self._failure(compiler, problem, issue)), path
        issue = parsed.errors_between(start, end, compiler.array_spans)
        if issue is not None:
            return Line(None, self._failure(compiler, None, issue)), path
        return Line(unit), after

    @staticmethod
    def _failure(compiler: Compiler, problem: CompileProblem | None, issue: SyntaxIssue | None) -> LoadFailure:
        """The earlier of a syntax issue and a compile problem, in RouterOS's words."""
        if issue is not None and (problem is None or issue.start <= problem.offset):
            loc = issue.location
            message = f"syntax error (line {loc.line} column {loc.column})"
            return LoadFailure(message, SourcePos(loc.path, loc.line, loc.column), issue.message)
        assert problem is not None
        return LoadFailure(compiler.failure_text(problem), compiler.pos(problem.offset), problem.detail)

    def parse_code(self, source: bytes) -> Code:
        """``:parse``: code, or a catchable ``syntax error (line L column C)`` [D HELP, EW ValidateSyntax]. Unknown
        command names are reported when the code reaches them, not here [O il]."""
        cached = self._code.get(source)
        if cached is None:
            cached = self._compile_code(source)
            if len(self._code) >= self._cache_size:
                self._code.clear()
            self._code[source] = cached
        if isinstance(cached, ScriptFailure):
            raise ScriptFailure(cached.message)
        return cached

    def _compile_code(self, source: bytes) -> Code | ScriptFailure:
        parsed = parse(source, "parse")
        compiler = Compiler(parsed, self.resolver, mode="script", deferred=True)
        try:
            unit, _ = compiler.unit(parsed.script.statements)
        except CompileProblem as problem:
            failure = self._failure(compiler, problem, parsed.first_error(compiler.array_spans))
            return ScriptFailure(failure.message)
        issue = parsed.first_error(compiler.array_spans)
        if issue is not None:
            return ScriptFailure(self._failure(compiler, None, issue).message)
        return Code(unit, source)

    # --- running ----------------------------------------------------------------------------------------------------

    def run(
        self,
        source: bytes,
        *,
        name: str = "",
        path: str = "<script>",
        policy: frozenset[str] = ALL_POLICIES,
        mode: str = "script",
        ctx: RunContext | None = None,
    ) -> RunResult:
        """Load and run a source (the :class:`ScriptRunner` entry point). ``ctx`` lets a caller supply its own context
        (e.g. a DHCP lease script's ``variables``); otherwise one is made from ``name`` and ``policy``."""
        context = ctx if ctx is not None else RunContext(script_name=name, policy=policy)
        program = self.load(source, path=path, mode=mode)
        if mode == "import-dry-run":
            failure = program.failure
            if failure is None:
                return RunResult(True, context.output)
            return RunResult(False, context.output, failure.message, failure.pos, 0, failure.detail)
        return self.execute(program, context)

    # --- statement count and power cuts -----------------------------------------------------------------------------

    @property
    def statements_run(self) -> int:
        """Statements executed so far, over every run (those in progress included)."""
        return self.statements_done + sum(run.steps for run in self._active)

    def _cut_at(self, run: RunState) -> int:
        """``run.cut_at`` for the port's ``power_cut_at``: the run's own count past which the global one passes it."""
        at = getattr(self.port, "power_cut_at", None) if self._cuts else None
        if not isinstance(at, int):
            return NEVER
        others = self.statements_done + sum(other.steps for other in self._active if other is not run)
        return at - others

    def power_cut_changed(self) -> None:
        """The port's ``power_cut_at`` changed: re-aim the runs in progress."""
        for run in self._active:
            run.cut_at = self._cut_at(run)

    def statement_trap(self, run: RunState) -> None:
        """A statement is about to run at or past ``run.cut_at``: the power fails before it (it does not count)."""
        run.steps -= 1
        run.cut_at = NEVER
        cut = getattr(self.port, "cut_power", None)
        if cut is not None:
            cut()  # the router's power fails; it raises PowerCut itself while it runs a script
        raise PowerCut("the power failed")

    # --- executing --------------------------------------------------------------------------------------------------

    def execute(self, program: Program, ctx: RunContext) -> RunResult:
        run = RunState(self, self.port, ctx, program.mode, self.max_statements)
        active = self._active
        active.append(run)
        if self._cuts:
            run.cut_at = self._cut_at(run)
        try:
            for line in program.lines:
                if line.failure is not None:
                    failure = line.failure
                    return RunResult(False, ctx.output, failure.message, failure.pos, run.steps, failure.detail)
                assert line.unit is not None
                try:
                    line.unit.body(Frame(run, line.unit.size))
                except ReturnSignal:
                    break  # :return outside a function ends the script [I]
                except ScriptFailure as failure:
                    return RunResult(False, ctx.output, failure.message, failure.pos, run.steps)
                except (BreakSignal, ContinueSignal):
                    return RunResult(False, ctx.output, ":break or :continue outside a loop", None, run.steps)
                except StatementLimit as limit:
                    return RunResult(False, ctx.output, "statement limit exceeded", None, run.steps, str(limit))
                except RecursionError:
                    return RunResult(False, ctx.output, "call depth exceeded", None, run.steps)
            return RunResult(True, ctx.output, statements=run.steps)
        finally:
            active.pop()  # runs end in the reverse order they started, exceptions included
            self.statements_done += run.steps
            if active and self._cuts:
                self.power_cut_changed()  # the outer runs' share of the count changed
