"""What compiled RouterOS code runs on: frames, the per-run state, script errors and control-flow signals.

Shared by the compiler (which builds closures over :class:`Frame`), the built-in commands and the interpreter driver.

Must not: parse, compile or know menus. It holds no state of its own beyond the objects it defines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from emulator.contract import Props, RouterPort, RunContext, SourcePos
from emulator.values import NOTHING, Value

if TYPE_CHECKING:
    from emulator.interp import Interpreter


class ScriptFailure(Exception):
    """A runtime error in a script: ``:error``, a failed menu command, division by zero, a missing ``:parse`` command.

    ``:do … on-error`` and ``:onerror`` catch it [D HELP]; uncaught, it stops the script at its statement. ``message``
    is what ``:onerror e`` puts in ``$e`` and what the router logs.
    """

    def __init__(self, message: str, pos: SourcePos | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


class LoadFailure(Exception):
    """The source does not load: RouterOS runs none of it (script mode) or stops at that line (import mode).

    ``message`` is RouterOS's own wording, e.g. ``bad command name foo (line 3 column 5)``; ``detail`` says what the
    emulator found, for people.
    """

    def __init__(self, message: str, pos: SourcePos, detail: str = "") -> None:
        super().__init__(f"{pos}: {message}" + (f" ({detail})" if detail else ""))
        self.message = message
        self.pos = pos
        self.detail = detail


class CompileProblem(Exception):
    """Raised inside the compiler at a source offset; the loader turns it into :class:`LoadFailure` with a position."""

    def __init__(self, kind: str, offset: int, detail: str, word: str = "") -> None:
        super().__init__(detail)
        #: "syntax" | "bad-command" | "ambiguous-command" | "end-of-command" | "missing-value" | "ambiguous"
        self.kind = kind
        self.offset = offset
        self.detail = detail
        self.word = word  # the name RouterOS's message quotes (a command, or the missing parameter)


class ReturnSignal(Exception):
    """``:return v`` unwinding to the function (or script) boundary."""

    def __init__(self, value: Value) -> None:
        self.value = value


class BreakSignal(Exception):
    """``:break`` (v7) unwinding to the innermost loop."""


class ContinueSignal(Exception):
    """``:continue`` (v7) unwinding to the innermost loop's next round."""


class StatementLimit(Exception):
    """The run executed more statements than the interpreter allows (an endless loop in a test)."""


#: ``RunState.cut_at`` when no power cut is armed: a statement count no run reaches.
NEVER = 2**62


class RunState:
    """One run of one script: the router, the context, the statement count and the virtual time spent in ``:delay``.

    ``cut_at``: the statement count of this run after which the next statement must not run (the router's power fails
    there, ``Router.arm_power_cut``); the interpreter keeps it up to date across nested runs. One integer comparison
    per statement (``compile.counted``)."""

    __slots__ = ("ctx", "cut_at", "delayed_ns", "depth", "env", "interp", "limit", "mode", "port", "steps")

    def __init__(self, interp: Interpreter, port: RouterPort, ctx: RunContext, mode: str, limit: int) -> None:
        self.interp = interp
        self.port = port
        self.ctx = ctx
        self.env: dict[str, Value] = port.environment
        self.mode = mode
        self.steps = 0
        self.limit = limit
        self.delayed_ns = 0
        self.depth = 0
        self.cut_at = NEVER


_NO_ARGS: dict[str, Value] = {}


class Frame:
    """The activation of one compilation unit (a script, a function body, ``:parse`` code).

    ``slots`` hold the unit's locals, each declaration its own slot (names are resolved at load time). ``args`` holds a
    call's arguments by name (``"1"``, ``"2"`` … for positional ones, ``"0"`` for the called name). ``props`` is the
    item a ``where`` filter is looking at, or None.
    """

    __slots__ = ("args", "props", "run", "slots")

    def __init__(self, run: RunState, size: int, args: dict[str, Value] | None = None) -> None:
        self.run = run
        self.slots: list[Value] = [NOTHING] * size
        self.args = args if args is not None else _NO_ARGS
        self.props: Props | None = None


Eval = Callable[[Frame], Value]


@dataclass(frozen=True, slots=True)
class Unit:
    """A compiled compilation unit: its statements run in a fresh :class:`Frame` of ``size`` slots."""

    body: Eval
    size: int
    path: str


def check_limit(run: RunState) -> None:
    """Called when the statement count or a loop's round count passed the limit."""
    raise StatementLimit(f"more than {run.limit} statements or loop rounds")
