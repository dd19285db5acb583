"""Load-time name resolution: menus, commands and parameters of the emulated RouterOS version.

The interpreter's own global commands (``:put``, ``:local``, ``:if`` …, and the ``log`` levels) are defined here, each
with the parameters and unnamed-argument counts of the 7.21.4 command tree [O db, LSPDB] and a version gate from
:class:`~emulator.version.RouterOSVersion`. Menus and their commands come from :attr:`RouterPort.tree`. Both share
one namespace per menu level, so ``:pu`` finds ``put`` and ``/ip addr pr`` finds ``print``: any unambiguous prefix is
accepted, an exact name wins over longer names it prefixes, and an ambiguous prefix is an error [O lsp C-10].

Must not: compile or run anything, or compare version numbers (it asks the version's ``has_*`` properties).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from emulator.contract import CommandSpec, MenuNode
from emulator.version import RouterOSVersion
from generator.rsc.syntax import RESERVED_WORDS, RESERVED_WORDS_V6

#: The unnamed-argument count the command tree uses for "many" (``u: 99`` in LSPDB).
MANY = 99


@dataclass(frozen=True, slots=True)
class Builtin:
    """A command the interpreter implements. ``code`` parameters take ``{…}`` as code, ``text`` ones as source text;
    a brace anywhere else is an array literal [O lsp, routeros-scripting.md §1.8]."""

    spec: CommandSpec
    code: frozenset[str] = frozenset()
    text: frozenset[str] = frozenset()
    #: Parameters are not checked and may repeat (``:do command=0 zzznope=0`` compiles [O lsp FREE_FORM]).
    free_form: bool = False
    #: Valid only in the body of a loop (``:break``/``:continue`` are not in the command tree [O lsp p19/p20]).
    loop_only: bool = False

    @property
    def name(self) -> str:
        return self.spec.name


def _b(
    name: str,
    params: str = "",
    positional: str = "",
    *,
    flags: str = "",
    required: str = "",
    unnamed: int | None = None,
    code: str = "",
    text: str = "",
    free_form: bool = False,
    loop_only: bool = False,
) -> Builtin:
    pos = tuple(positional.split())
    spec = CommandSpec(
        name=name,
        params=frozenset(params.split()) | frozenset(pos),
        flags=frozenset(flags.split()),
        unnamed=len(pos) if unnamed is None else unnamed,
        required=frozenset(required.split()),
        positional=pos,
        policy=frozenset(),
    )
    return Builtin(spec, frozenset(code.split()), frozenset(text.split()), free_form, loop_only)


Gate = Callable[[RouterOSVersion], bool]


def _always(_: RouterOSVersion) -> bool:
    return True


# Parameters, positional order and required names as in the 7.21.4 tree (routeros-lsp data, `/console/inspect`).
_GLOBALS: tuple[tuple[Builtin, Gate], ...] = (
    (_b("put", "", "message", required="message"), _always),
    (_b("local", "do", "name value", required="name", code="do"), _always),
    (_b("global", "do", "name value", required="name", code="do"), _always),
    (_b("set", "do", "name value", required="name", code="do"), _always),
    (_b("if", "do else", "condition", required="condition do", code="do else"), _always),
    (_b("for", "do from to step on-error", "counter", required="counter", code="do on-error"), _always),
    (_b("foreach", "do in on-error", "counter", required="counter", code="do on-error"), _always),
    (_b("while", "do", "condition", required="condition do", code="do"), _always),
    (
        _b(
            "do",
            "if on-error while",
            "command",
            required="command",
            unnamed=MANY,
            code="command on-error",
            free_form=True,
        ),
        _always,
    ),
    (_b("error", "", "message", required="message"), _always),
    (_b("return", "", "value", required="value"), _always),
    (_b("pick", "", "counter begin end", required="counter", unnamed=MANY), _always),
    (_b("len", "", "value", required="value"), _always),
    (_b("find", "", "in key from", required="in", unnamed=MANY), _always),
    (_b("typeof", "", "value", required="value"), _always),
    (_b("toarray", "", "value", required="value"), lambda v: not v.has_toarray_delimiter),
    (_b("toarray", "delimiter", "value", required="value"), lambda v: v.has_toarray_delimiter),
    (_b("tobool", "", "value", required="value"), _always),
    (_b("toid", "", "value", required="value"), _always),
    (_b("toip", "", "value", required="value"), _always),
    (_b("toip6", "", "value", required="value"), _always),
    (_b("tonum", "", "value", required="value"), _always),
    (_b("tostr", "", "value", required="value"), _always),
    (_b("totime", "", "value", required="value"), _always),
    (_b("nothing"), _always),
    (_b("parse", "", "value", required="value"), _always),
    (_b("time", "", "command", required="command", unnamed=MANY, code="command", free_form=True), _always),
    (_b("delay", "", "delay-time"), _always),
    (_b("execute", "file", "script", flags="as-string", required="script", text="script"), _always),
    (_b("beep", "frequency length", flags="as-value"), _always),
    (_b("resolve", "server server-port type", "domain-name", required="domain-name"), _always),
    (
        _b(
            "ping",
            "arp-ping count do-not-fragment dscp interface interval size src-address ttl vrf",
            "address",
            flags="as-value without-paging",
            required="address",
        ),
        _always,
    ),
    (_b("break", loop_only=True), lambda v: v.has_global_command("break")),
    (_b("continue", loop_only=True), lambda v: v.has_global_command("continue")),
    (
        _b("onerror", "do", "error in", required="error", unnamed=MANY, code="in do", free_form=True),
        lambda v: v.has_global_command("onerror"),
    ),
    (_b("range", "", "from to", required="from to"), lambda v: v.has_global_command("range")),
    (
        _b(
            "retry",
            "delay max on-error",
            "command",
            required="command",
            unnamed=MANY,
            code="command on-error",
            free_form=True,
        ),
        lambda v: v.has_global_command("retry"),
    ),
    (_b("rndnum", "", "from to", required="from to"), lambda v: v.has_global_command("rndnum")),
    (_b("rndstr", "", "from length"), lambda v: v.has_global_command("rndstr")),
    (_b("tocrlf", "", "input"), lambda v: v.has_global_command("tocrlf")),
    (_b("tolf", "", "input"), lambda v: v.has_global_command("tolf")),
    (
        _b("grep", "after before filename pattern", "script", flags="as-array", required="script pattern"),
        lambda v: v.has_global_command("grep"),
    ),
    (_b("lock", "", "delay"), lambda v: v.has_global_command("lock")),
    (_b("timestamp", flags="use-tz"), lambda v: v.has_global_command("timestamp")),
    (_b("tonsec", "", "value", required="value"), lambda v: v.has_global_command("tonsec")),
    (_b("jobname"), lambda v: v.has_global_command("jobname")),
    (
        _b("convert", "from from-scheme to to-scheme transform transform-scheme", "value", required="value"),
        lambda v: v.has_global_command("convert"),
    ),
    (
        _b("serialize", "delimiter file-name options order to", "value", required="value to"),
        lambda v: v.has_global_command("serialize"),
    ),
    (
        _b("deserialize", "delimiter from options", "value", required="value from"),
        lambda v: v.has_global_command("deserialize"),
    ),
)


def keywords_for(version: RouterOSVersion) -> frozenset[str]:
    """The words that cannot name a variable: ``and or in`` [D HELP "Keywords"], plus ``not`` on RouterOS 6 [D WIKI6
    "Keywords": "and or not in"]; ``generator/rsc/syntax.py`` holds both lists (the linter reads them too)."""
    return RESERVED_WORDS_V6 if version.not_is_keyword else RESERVED_WORDS


#: ``:log info "x"`` is the command ``info`` of the menu ``log`` [D HELP, O lsp p23]; its levels are the interpreter's.
LOG_LEVELS = ("info", "warning", "error", "debug")
LOG_COMMANDS = tuple(_b(level, "", "message", required="message") for level in LOG_LEVELS)


def builtins_for(version: RouterOSVersion) -> dict[str, Builtin]:
    """The global commands the version has."""
    return {builtin.name: builtin for builtin, gate in _GLOBALS if gate(version)}


Target = MenuNode | CommandSpec | Builtin


@dataclass(frozen=True, slots=True)
class Match:
    kind: str  # "found" | "ambiguous" | "none"
    name: str = ""
    target: Target | None = None
    candidates: tuple[str, ...] = ()


_NONE = Match("none")


def match_name(table: Mapping[str, object], word: str) -> tuple[str, str, tuple[str, ...]]:
    """(kind, name, candidates) of a possibly abbreviated name [O lsp C-10]."""
    if word in table:
        return "found", word, ()
    if not word:
        return "none", "", ()
    candidates = sorted(name for name in table if name.startswith(word))
    if len(candidates) == 1:
        return "found", candidates[0], ()
    if candidates:
        return "ambiguous", "", tuple(candidates)
    return "none", "", ()


class Resolver:
    """Looks names up per menu level, the router's tree and the interpreter's commands in one namespace."""

    def __init__(self, tree: MenuNode, version: RouterOSVersion) -> None:
        self.tree = tree
        self.version = version
        self.builtins = builtins_for(version)
        log = tree.children.get("log")
        self.log_node = log if log is not None else MenuNode("log")
        self._levels: dict[int, dict[str, Target]] = {}

    def namespace(self, node: MenuNode) -> dict[str, Target]:
        found = self._levels.get(id(node))
        if found is not None:
            return found
        names: dict[str, Target] = {}
        names.update(node.children)
        names.update(node.commands)
        if node is self.tree:
            names.update(self.builtins)
            names["log"] = self.log_node
        if node is self.log_node:
            names.update({b.name: b for b in LOG_COMMANDS})
        self._levels[id(node)] = names
        return names

    def node(self, path: tuple[str, ...]) -> MenuNode | None:
        node = self.tree
        for name in path:
            child = node.children.get(name)
            if child is None:
                if node is self.tree and name == "log":
                    child = self.log_node
                else:
                    return None
            node = child
        return node

    def lookup(self, path: tuple[str, ...], word: str) -> Match:
        node = self.node(path)
        if node is None:
            return _NONE
        table = self.namespace(node)
        kind, name, candidates = match_name(table, word)
        if kind == "found":
            return Match("found", name, table[name])
        return Match(kind, candidates=candidates)
