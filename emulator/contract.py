"""The contract between the script interpreter and the emulated router.

The interpreter (``interp.py``) knows the language and nothing about menus; the router (``router/``) knows menus,
tables, the clock and User Manager and nothing about syntax. They meet here:

* at load time the interpreter resolves every command line against :attr:`RouterPort.tree` (menus, commands,
  parameters of the emulated RouterOS version); a name the version does not have fails the whole script, as on a router;
* at run time it evaluates the arguments and hands the router a :class:`MenuCall`; ``where`` filters arrive as a
  predicate the interpreter built, so the router never evaluates script expressions;
* the API server (``emulator/api/``) is a third caller: it hands the router the same ``MenuCall`` for each API
  command, ``print`` always with the flag ``as-value``, and expects what ``print as-value`` gives a script: an
  ``Array`` of rows (each an ``Array`` keyed by property name, ``.id`` included) or, for a singleton menu such as
  ``/system resource``, one keyed ``Array``; ``add`` returns the new ``Id``;
* the router runs scripts (``/system script run``, the scheduler, ``/import``) through the :class:`ScriptRunner` it
  was given, so neither side imports the other.

Must not: hold state, print, or compare RouterOS versions (``emulator/version.py`` does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

Value = Any  # one of the representations listed in values.py
Props = Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command of a menu as the emulated version has it."""

    name: str
    params: frozenset[str] = frozenset()  # name=value parameters
    flags: frozenset[str] = frozenset()  # bare words: as-value, once, detail, count-only, dry-run ...
    unnamed: int = 0  # how many unnamed (positional) arguments it takes
    required: frozenset[str] = frozenset()
    #: The unnamed arguments fill these parameters in order, e.g. ("numbers",) for set/get/remove and
    #: ("numbers", "value-name") for get. The interpreter passes them by name.
    positional: tuple[str, ...] = ()
    #: Policies a script needs to run it (RouterOS says "not enough permissions (9)" otherwise).
    policy: frozenset[str] = frozenset({"read"})
    #: The command takes a ``where <expression>`` filter (find, print); it reaches the router as ``MenuCall.where``.
    where: bool = False


@dataclass(slots=True)
class MenuNode:
    name: str
    children: dict[str, MenuNode] = field(default_factory=dict)
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    #: Property name → RouterOS type (``:typeof`` names: ``str``, ``num``, ``bool``, ``time``, ``id``, ``ip``,
    #: ``ip-prefix``, ``array`` …) of this menu's items and of its commands' named parameters. The API server
    #: (``emulator/api/convert.py``) parses ``=name=value`` text by it; an undeclared name reaches the router as
    #: ``bytes``, which the router must then parse as it parses a script's string argument.
    types: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SourcePos:
    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class MenuCall:
    """A resolved, evaluated menu command, e.g. ``/tool user-manager user set *1 comment="x"``."""

    menu: tuple[str, ...]  # ("tool", "user-manager", "user")
    command: str  # "set"
    #: Named arguments, unnamed ones already mapped to CommandSpec.positional names. From a script, a bare word arrives
    #: as its text (``bytes``: ``start-tls=yes``, ``interval=1d``), which the menu parses by the parameter's type; the
    #: value of ``$x``, ``(…)`` or ``[…]`` arrives typed; ``{…}`` arrives as its source text (``source={ … }``).
    args: Mapping[str, Value]
    flags: frozenset[str] = frozenset()
    #: A ``where`` filter, or None. Called with an item's properties (RouterOS names, typed values; ``.id`` included as
    #: an ``Id``, which API queries such as ``?.id=*1`` rely on), returns a bool. From a script, ``find name=value``
    #: conditions (on a find that takes ``where``) arrive folded into this filter, not in ``args``.
    where: Callable[[Props], bool] | None = None
    pos: SourcePos | None = None
    #: Properties written ``!name`` (``set $id !comment`` unsets them, scripting manual "Menu specific commands").
    unset: frozenset[str] = frozenset()


class RouterOSError(Exception):
    """A runtime error a menu command raises (catchable by ``:do … on-error``), e.g. ``no such item``.

    ``category`` is the API ``!trap`` category when known (Manual:API: 0 missing item or command, 1 argument value
    failure, 2 interrupted, 3 scripting failure, 4 general failure, 5 API failure, 6 TTY failure, 7 ``:return``).
    """

    def __init__(self, *args: object, category: int | None = None) -> None:
        super().__init__(*args)
        self.category = category


class EmulatorRefusal(Exception):
    """The emulator does not know what RouterOS does here, so it refuses (never kinder than a router).

    Deliberately not a :class:`RouterOSError` or ``ScriptFailure``: a script's ``:do … on-error`` or ``:onerror`` cannot
    catch it, and :meth:`ScriptRunner.run` lets it propagate, so the driver call that ran the script raises it (the run
    fails loudly instead of going on with a guess). The message starts with ``emulator refuses:``.
    """


class PowerCut(BaseException):
    """The router lost power (``Router.arm_power_cut`` / ``cut_power``). A ``BaseException``, so that no emulator or
    script error handling (``except Exception``, ``on-error``, ``:onerror``) swallows it: it propagates out of whatever
    driver call was running, and nothing more runs on the router until ``Router.restore_power``."""


@dataclass(slots=True)
class RunContext:
    """What a running script carries: its name, policy, output and the job's virtual time budget."""

    script_name: str = ""
    policy: frozenset[str] = frozenset(
        {"read", "write", "test", "policy", "reboot", "ftp", "password", "sensitive", "sniff", "romon"}
    )
    output: list[bytes] = field(default_factory=list)  # :put lines
    #: Variables the invoking context provides, read by names the script never declares (a DHCP lease script's
    #: ``$leaseBound``, ``$leaseActIP`` … [D HELP, O lsp V-14]).
    variables: dict[str, Value] = field(default_factory=dict)
    #: The command came from an API session (emulator/api), not from a script or the console: menus whose API
    #: visibility is an open question (``Behaviour.api_globals``, ``Behaviour.api_script_jobs``) read it.
    api: bool = False


class ScriptRunner(Protocol):
    """Runs RouterOS source for the router. ``name`` is what ``:jobname`` and log lines show, ``path`` names the source
    in error positions (``script:Oversight``, ``scheduler:Daily``, ``billing.rsc``). ``mode`` is ``"script"`` (one
    scope, compile everything first), ``"import"`` (``/import``: every top-level line its own unit) or
    ``"import-dry-run"`` (``/import … dry-run``, 7.16+: report syntax errors, run nothing)."""

    def run(
        self, source: bytes, *, name: str, path: str, policy: frozenset[str], mode: str = "script"
    ) -> RunResult: ...


@dataclass(slots=True)
class RunResult:
    ok: bool
    output: list[bytes]
    error: str = ""  # RouterOS-style message when not ok
    pos: SourcePos | None = None
    statements: int = 0  # statements executed (for benchmarks)
    detail: str = ""  # what the emulator found, for people (e.g. "'foo' is not a parameter of add")


class RouterPort(Protocol):
    """What the interpreter needs from a router."""

    tree: MenuNode  # root menu of the emulated version
    environment: dict[str, Value]  # globals ("/system script environment"): survive runs, not reboots

    def call(self, call: MenuCall, ctx: RunContext) -> Value: ...

    def log(self, level: str, message: bytes, ctx: RunContext) -> None: ...

    def sleep(self, ns: int, ctx: RunContext) -> None:
        """``:delay``: advance the virtual clock (and let due events, e.g. accounting or mail delivery, happen)."""
        ...

    def now_ns(self) -> int:
        """The virtual wall clock: nanoseconds since 1970-01-01 00:00:00 UTC (for ``:timestamp``)."""
        ...
