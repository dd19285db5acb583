"""``/log``: the router's memory log, written by ``:log``/``/log info`` and by the router itself (scheduler errors,
e-mail failures, User Manager accounting).

Entries carry ``time`` (printed per version, see ``RouterOSVersion.clock_datetime``), ``topics`` (``script,info``,
``script,error``, ``e-mail,error`` …) and ``message``. ``/log print`` shows the newest 1000 entries, RouterOS's default
``memory-lines`` ([INF] from the ``/system logging action`` default); the driver keeps every entry in
:attr:`Log.entries`.

Must not: run scripts or know other menus.
"""

from __future__ import annotations

from dataclasses import dataclass

from emulator.contract import CommandSpec, MenuCall, RunContext, Value
from emulator.router.clock import Clock
from emulator.router.menu import Handler
from emulator.router.proptypes import STR, Prop, format_datetime, text_of
from emulator.router.table import Table
from emulator.values import NOTHING
from emulator.version import RouterOSVersion

MEMORY_LINES = 1000
LEVELS = ("debug", "info", "warning", "error")


@dataclass(frozen=True, slots=True)
class LogEntry:
    ns: int  # when, ns since the epoch (UTC)
    topics: tuple[str, ...]
    message: bytes

    @property
    def text(self) -> str:
        return self.message.decode("utf-8", "replace")


class Log(Table):
    """The ``/log`` menu; :meth:`write` is how everything else logs."""

    def __init__(self, version: RouterOSVersion, clock: Clock) -> None:
        props = [
            Prop("time", STR, readonly=True),
            Prop("topics", STR, readonly=True),
            Prop("message", STR, readonly=True),
        ]
        super().__init__(("log",), props, addable=False, removable=False, settable=False)
        self.version = version
        self.clock = clock
        self.entries: list[LogEntry] = []
        for level in LEVELS:
            # `/log info "msg"` is the same command as `:log info "msg"` (routeros-scripting.md §5 [D HELP]); writing
            # to the log needs no write policy in practice [INF], so only read is asked for.
            spec = CommandSpec(
                level,
                params=frozenset({"message"}),
                unnamed=1,
                positional=("message",),
                required=frozenset({"message"}),
            )
            self.command(spec, self._writer(level))

    def write(self, topics: tuple[str, ...] | str, message: bytes | str) -> LogEntry:
        if isinstance(topics, str):
            topics = tuple(topics.split(","))
        entry = LogEntry(self.clock.now, topics, message.encode() if isinstance(message, str) else message)
        self.entries.append(entry)
        self.items[self.next_id] = {
            "time": format_datetime(self.clock.local(entry.ns), self.version),
            "topics": ",".join(entry.topics).encode(),
            "message": entry.message,
        }
        self.next_id += 1
        # Keep the menu to the newest MEMORY_LINES entries, as the memory action does.
        while len(self.items) > MEMORY_LINES:
            del self.items[next(iter(self.items))]
        return entry

    def script(self, level: str, message: bytes) -> LogEntry:
        """``:log <level> msg``: topics ``script,<level>`` (routeros-scripting.md §5 [I])."""
        return self.write(("script", level), message)

    def messages(self, topic: str | None = None) -> list[str]:
        """Every message (text), optionally only those carrying ``topic``: for tests and reports."""
        return [e.text for e in self.entries if topic is None or topic in e.topics]

    def _writer(self, level: str) -> Handler:
        def run(call: MenuCall, ctx: RunContext) -> Value:
            self.script(level, text_of(call.args.get("message", b"")).encode("latin-1"))
            return NOTHING

        return run
