"""Runs a built billing system on an emulated router: the driver behind ``rosbill exec`` and ``rosbill simulate``.

:func:`prepare` puts a user fixture on a fresh emulated router of the target version and imports the ``install.rsc``
of a build (the files ``rosbill build`` writes, name → bytes: a ``RenderedRouter.files`` or a build folder read with
:func:`read_build`), exactly as a real router would import it. It never renders: the CLI builds and hands the output
over. :func:`run` advances the virtual clock day by day, lets the scheduler fire Oversight, and returns a
:class:`Timeline`: every e-mail, every change of a user's comment (the billing state), and every warning or error the
scripts logged. :func:`exec_file` runs one script on a fresh router.

Must not: print (the CLI does), import the product (``generator.render``/``config``/``build``), or know v6/v7
differences beyond asking :class:`~emulator.version.RouterOSVersion`.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import smtplib
import stat
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from emulator import fixture as fixture_stage
from emulator.contract import RunResult, Value
from emulator.fixture_usage import build_router
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.router.behaviour import Behaviour
from emulator.router.fetch import Request
from emulator.router.mail import Mail
from emulator.router.proptypes import is_unset
from emulator.router.router import DEFAULT_BEHAVIOUR, FULL_POLICY
from emulator.router.table import Table
from emulator.version import RouterOSVersion
from generator.errors import Location, RosbillError, ScriptError  # allowed: docs/architecture.md "Import rules"

#: The file of a build that a router imports to install the billing system.
INSTALL = "install.rsc"
#: :func:`read_build` refuses bigger files (the largest generated script is ~16 kB).
MAX_BUILD_FILE = 1024 * 1024


class BuildProblem(RosbillError):
    """The build output handed to :func:`prepare` or :func:`read_build` is not one (no ``install.rsc``): exit 2."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the timeline."""

    at: dt.datetime  # router local time
    kind: str  # "mail" | "state" | "log" | "message" (a /tool fetch request: a notify channel's message)
    text: str
    mail: Mail | None = None
    request: Request | None = None
    user: str = ""
    before: str = ""
    after: str = ""


@dataclass(frozen=True, slots=True)
class UsageSample:
    """One user's User Manager counters (download + upload bytes, as ``user monitor`` totals them) and comment at the
    end of a day of the run: what the report's usage chart is drawn from."""

    at: dt.datetime  # router local time
    user: str
    total: int
    comment: str


@dataclass(slots=True)
class Timeline:
    entries: list[Entry] = field(default_factory=list)
    statements: int = 0  # interpreter statements run (scheduled runs only)
    #: With ``run(usage=True)``: every user's counters at the end of each day (and of the run), users in name order.
    usage: list[UsageSample] = field(default_factory=list)

    def mails(self) -> list[Mail]:
        return [e.mail for e in self.entries if e.mail is not None]

    def of(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]


@dataclass(slots=True)
class Simulation:
    router: Router
    #: The build output that was installed: file name → content (scripts, install.rsc, manifest.json).
    files: Mapping[str, bytes]
    #: "/tool user-manager user" or "/user-manager user": where the comments (billing state) live.
    user_menu: str
    login_field: str
    _mails_seen: int = 0
    _requests_seen: int = 0
    _logs_seen: int = 0
    _comments: dict[str, str] = field(default_factory=dict)

    def comments(self) -> dict[str, str]:
        """Login → comment of every user, as ``router.rows`` shows them (read at every step of :func:`run`).

        Where the table declares which values it computes (``live_props``) and neither of these is one, they are
        read from the stored rows without computing the rest of each row (v7: 1,000 users, ~3 s a simulated year)."""
        login = self.login_field
        menu = self.router.menu(self.user_menu)  # written: the accounting noted so far
        live = menu.live_props if isinstance(menu, Table) else None
        if isinstance(menu, Table) and live is None and type(menu).computed is Table.computed:
            live = frozenset()  # nothing is computed: the stored record is the whole row (as a `where` takes it)
        if not isinstance(menu, Table) or live is None or login in live or "comment" in live:
            return {_text(row.get(login)): _text(row.get("comment")) for row in self.router.rows(self.user_menu)}
        return {_text(_stored(row.get(login))): _text(_stored(row.get("comment"))) for row in menu.items.values()}


def _stored(value: Value | None) -> Value | None:
    """A stored value as ``Table.values`` shows it: an unset one is left out."""
    return None if value is None or is_unset(value) else value


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return "" if value is None else str(value)


def read_build(folder: str | Path) -> dict[str, bytes]:
    """The files ``rosbill build`` wrote for one router (``build/<router>/``: the ``.rsc`` files and ``manifest.json``),
    name → bytes. Anything else in the folder is left alone; a file over :data:`MAX_BUILD_FILE` bytes is refused."""
    path = Path(folder)
    files: dict[str, bytes] = {}
    try:
        if path.is_dir():
            for item in sorted(path.iterdir()):
                if item.suffix != ".rsc" and item.name != "manifest.json":
                    continue
                info = item.stat()
                if not stat.S_ISREG(info.st_mode):
                    raise BuildProblem(f"{item}: not a regular file; give the folder `rosbill build` wrote")
                if info.st_size > MAX_BUILD_FILE:
                    raise BuildProblem(f"{item}: {info.st_size} bytes; a built file is at most {MAX_BUILD_FILE} bytes")
                files[item.name] = item.read_bytes()
    except OSError as error:
        raise BuildProblem(f"{error.filename or path}: {error.strerror or error}") from None
    if INSTALL not in files:
        raise BuildProblem(f"{path}: no {INSTALL}; give the folder `rosbill build` wrote for one router")
    return files


def prepare(
    files: Mapping[str, bytes],
    version: RouterOSVersion,
    users: str | Path | fixture_stage.Fixture,
    *,
    start: dt.datetime | None = None,
    behaviour: Behaviour = DEFAULT_BEHAVIOUR,
    scripts: Mapping[str, str] | None = None,
) -> Simulation:
    """A fresh emulated router of ``version`` with the fixture's users and the build's ``install.rsc`` imported;
    ``behaviour`` answers the emulator's open questions about RouterOS (see ``emulator/router/behaviour.py``);
    ``scripts`` adds ``/system script`` entries (name → source) first, as a deploy would (e.g. stand-in notify keys).

    There is no network in a simulation: every ``/tool fetch`` is answered by :func:`recording_receiver` (HTTP 200,
    ``{"ok":true}``) and shows in the timeline as a ``message``."""
    if INSTALL not in files:
        raise BuildProblem(f"the build output has no {INSTALL} (it has {', '.join(sorted(files)) or 'no files'})")
    if isinstance(users, fixture_stage.Fixture):
        fx = users
    else:
        if not Path(users).is_file():
            raise fixture_stage.FixtureError(f"{users}: no such user fixture file")
        fx = fixture_stage.load(Path(users))
    router = build_router(fx, version, runner_factory=Interpreter, behaviour=behaviour)
    if start is not None:
        router.set_wall_clock(start)
    router.fetch.receiver = recording_receiver
    for name, source in (scripts or {}).items():
        router.invoke("/system script", "add", {"name": name, "source": source, "policy": "read"})
    result = router.import_file(files[INSTALL], name=INSTALL)
    _raise_on_failure(result, INSTALL)
    sim = Simulation(router, dict(files), f"{version.user_manager_menu} user", version.user_login_property)
    sim._mails_seen = len(router.mail.outbox)
    sim._requests_seen = len(router.fetch.requests)
    sim._logs_seen = len(router.logs.entries)
    sim._comments = sim.comments()
    return sim


def recording_receiver(request: Request) -> tuple[int, bytes]:
    """The network of a simulation: takes every request (the router records it in ``router.fetch.requests``)."""
    return 200, b'{"ok":true,"result":{}}'


#: A Telegram bot token in a request path (``/bot<token>/``): the timeline shows ``/bot***/``.
_BOT_PATH = re.compile(r"/bot[^/]+/")


def _message_text(request: Request) -> str:
    url = _BOT_PATH.sub("/bot***/", request.url)
    return f"message {request.method} {url}: {request.data.decode('utf-8', 'backslashreplace')}"


def _raise_on_failure(result: RunResult, path: str) -> None:
    if result.ok:
        return
    pos = result.pos
    location = Location(pos.path, pos.line, pos.column) if pos is not None else Location(path, 1, 1)
    raise ScriptError(result.error or "the script failed", location)


def collect(sim: Simulation) -> list[Entry]:
    """What happened since the last call: new mails, new script log lines, changed comments."""
    router = sim.router
    out: list[Entry] = []
    for mail in router.mail.outbox[sim._mails_seen :]:
        subject = _text(mail.subject)
        out.append(Entry(mail.time, "mail", f"mail to {_text(mail.to)}: {subject}", mail=mail))
    sim._mails_seen = len(router.mail.outbox)
    for request in router.fetch.requests[sim._requests_seen :]:
        out.append(Entry(request.time, "message", _message_text(request), request=request))
    sim._requests_seen = len(router.fetch.requests)
    for entry in router.logs.entries[sim._logs_seen :]:
        if "script" in entry.topics and ("warning" in entry.topics or "error" in entry.topics):
            level = "error" if "error" in entry.topics else "warning"
            out.append(Entry(router.clock.local(entry.ns), "log", f"{level}: {_text(entry.message)}"))
    sim._logs_seen = len(router.logs.entries)
    now = sim.comments()
    for user in sorted(now):
        before = sim._comments.get(user, "")
        if now[user] != before:
            out.append(
                Entry(
                    router.now(),
                    "state",
                    f"{user}: {before!r} -> {now[user]!r}",
                    user=user,
                    before=before,
                    after=now[user],
                )
            )
    sim._comments = now
    out.sort(key=lambda e: e.at)
    return out


def run(
    sim: Simulation,
    until: dt.datetime,
    *,
    on_entry: Callable[[Entry], None] | None = None,
    usage: bool = False,
) -> Timeline:
    """Advances the router to the end of each day in turn (so each day's events are reported in order) until ``until``.

    Comment changes are seen at those steps: a state entry carries the end of the day it happened on. With ``usage``
    every user's counters are sampled at each step too (:attr:`Timeline.usage`, for the report's charts; off by
    default: one ``usage()`` per user and day is work a benchmark or a long scenario need not do).
    """
    timeline = Timeline()
    with _fewer_collections():
        while sim.router.now() < until:
            day_end = dt.datetime.combine(sim.router.now().date(), dt.time(23, 59, 59))
            if day_end <= sim.router.now():
                day_end += dt.timedelta(days=1)
            step = min(until, day_end)
            sim.router.advance_to(step)
            for entry in collect(sim):
                timeline.entries.append(entry)
                if on_entry is not None:
                    on_entry(entry)
            if usage:
                timeline.usage.extend(sample_usage(sim))
    return timeline


#: The cyclic garbage collector's thresholds while :func:`run` runs (CPython's default: 700, 10, 10). A simulation
#: allocates millions of short-lived objects that reference counting frees, and makes no cyclic garbage (an ended NAS
#: session is freed without the collector, nas.py): every collection is work for nothing. With the default the
#: collector ran ~600 times a simulated month for 300 users and took ~9 % of the CPU time. With 10,000 it still made
#: the time superlinear in users, each young collection dearer the bigger the router (3,000 users x 1 month: 316
#: young collections, 4.6 ms each; 3,000/1,000 users 3.3-3.7 x); with 100,000 there are ~30 (issue 9).
GC_THRESHOLDS = (100_000, 10, 10)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Raises the collector's thresholds for the duration (only raises them: a caller's higher setting, or collection
    switched off, stays) and restores the caller's afterwards, also when the run fails."""
    before = gc.get_threshold()
    if before[0]:  # 0: the caller switched collection off
        gc.set_threshold(*(max(a, b) for a, b in zip(GC_THRESHOLDS, before, strict=False)))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def sample_usage(sim: Simulation) -> list[UsageSample]:
    """Every user's counter total and comment now (a user User Manager cannot total is left out)."""
    um = sim.router.um
    if um is None:
        return []
    now = sim.router.now()
    out: list[UsageSample] = []
    for user, comment in sorted(sim.comments().items()):
        try:
            total = um.usage(user).total
        except KeyError:
            continue
        out.append(UsageSample(now, user, total, comment))
    return out


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    day = min(moment.day, [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return moment.replace(year=year, month=month, day=day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def deliver(mail: Mail, host: str, port: int) -> None:
    """Hands one captured mail to a real SMTP server (plain SMTP; meant for a loopback test server)."""
    message = EmailMessage()
    message["From"] = _text(mail.sender) or "rosbill@localhost"
    message["To"] = _text(mail.to)
    if mail.cc:
        message["Cc"] = _text(mail.cc)
    message["Subject"] = _text(mail.subject)
    message.set_content(_text(mail.body))
    with smtplib.SMTP(host, port, timeout=10) as client:
        client.send_message(message)


@dataclass(frozen=True, slots=True)
class ExecResult:
    result: RunResult
    logs: list[str]


def exec_file(
    path: str | Path, *, version: RouterOSVersion | str, date: dt.datetime | None, imported: bool
) -> ExecResult:
    """Runs one file on a fresh emulated router (script mode, or import mode with ``imported``)."""
    if not isinstance(version, RouterOSVersion):
        version = RouterOSVersion.parse(version)
    router = Router(version, runner_factory=Interpreter)
    if date is not None:
        router.set_wall_clock(date)
    source = Path(path).read_bytes()
    seen = len(router.logs.entries)
    if imported:
        router.files.put(Path(path).name, source)
        result = router.run_source(source, name=str(path), path=str(path), policy=FULL_POLICY, mode="import")
    else:
        result = router.run_source(source, name=str(path), path=str(path), policy=FULL_POLICY)
    logs = [f"{','.join(e.topics)}: {_text(e.message)}" for e in router.logs.entries[seen:]]
    return ExecResult(result, logs)
