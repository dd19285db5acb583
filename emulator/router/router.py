"""The emulated router: assembles the menus of one RouterOS version, answers the interpreter through ``RouterPort``,
and gives tests and the CLI a driver API (advance time, run scripts, import files, reboot).

Construction::

    router = Router(RouterOSVersion.parse("7.16"), runner_factory=Interpreter)   # Interpreter(port) -> ScriptRunner
    router.call(MenuCall(("system", "identity"), "get", {"value-name": b"name"}), RunContext())
    router.advance_to(datetime(2026, 11, 30, 23, 55))                            # scheduler, accounting, mail

The command tree (:attr:`Router.tree`) holds exactly the menus, commands and parameters emulated for the version:
v6 has ``/tool user-manager`` and no ``/user-manager``, v7 the reverse; ``/tool e-mail`` names its server
``address`` or ``server``; and so on (all through ``RouterOSVersion`` properties).

Open questions about RouterOS behaviour are switches of :class:`~emulator.router.behaviour.Behaviour`
(``Router(version, behaviour=Behaviour(um_session_remove="keeps-totals"))``, read as :attr:`Router.behaviour`). Power
cuts (:meth:`Router.arm_power_cut`, :meth:`Router.cut_power`, :meth:`Router.restore_power`) are in ``power.py``,
snapshots (:meth:`Router.snapshot`: a copy restored once per cut of a sweep) in ``snapshot.py``.

Must not: parse or evaluate scripts (that is the injected ScriptRunner), print, or compare RouterOS versions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from collections.abc import Callable, Iterable, Mapping

from emulator.contract import (
    CommandSpec,
    MenuCall,
    MenuNode,
    RouterOSError,
    RunContext,
    RunResult,
    ScriptRunner,
    Value,
)
from emulator.router import power
from emulator.router.behaviour import Behaviour
from emulator.router.clock import EPOCH, SECOND, Clock, Event
from emulator.router.fetch import FetchService
from emulator.router.files import FileMenu
from emulator.router.log import Log
from emulator.router.mail import MailService
from emulator.router.menu import Menu, Singleton
from emulator.router.nas import Nas
from emulator.router.ntp import NtpClientMenu
from emulator.router.proptypes import text_of
from emulator.router.scheduler import SchedulerMenu
from emulator.router.scripts import EnvironmentMenu, ScriptMenu
from emulator.router.snapshot import Snapshot
from emulator.router.system import ClockMenu, IdentityMenu, PackageMenu, ResourceMenu
from emulator.router.table import Table
from emulator.router.um6 import UserManagerV6
from emulator.router.um7 import UserManagerV7
from emulator.values import IP, NOTHING
from emulator.version import RouterOSVersion

DEFAULT_START = dt.datetime(2026, 11, 25, 12, 0, 0)
DEFAULT_BEHAVIOUR = Behaviour()
TYPED = frozenset({"num", "bool", "time", "id"})
FULL_POLICY = RunContext().policy
RunnerFactory = Callable[["Router"], ScriptRunner]


class RootMenu(Menu):
    """Commands at the root of the tree: ``/import``."""

    def __init__(self, router: Router) -> None:
        super().__init__(())
        self.router = router
        flags = frozenset({"dry-run"}) if router.version.has_import_dry_run else frozenset()
        spec = CommandSpec("import", params=frozenset({"file-name", "verbose", "from-line"}), flags=flags, unnamed=1,
                           positional=("file-name",), required=frozenset({"file-name"}),
                           policy=frozenset({"read", "write"}))  # fmt: skip
        self.command(spec, self._import)

    def _import(self, call: MenuCall, ctx: RunContext) -> Value:
        name = text_of(call.args["file-name"])
        result = self.router.import_stored(name, dry_run="dry-run" in call.flags, policy=ctx.policy)
        ctx.output.extend(result.output)
        if not result.ok:
            if self.router.version.has_import_dry_run:  # import errors became catchable with 7.16 (scripting §10)
                raise RouterOSError(result.error)
            ctx.output.append(result.error.encode())  # before 7.16 the error is only printed [INF]
        return NOTHING


def build_tree(menus: Iterable[Menu]) -> MenuNode:
    root = MenuNode("")
    for menu in menus:
        node = root
        for part in menu.path:
            node = node.children.setdefault(part, MenuNode(part))
        node.commands.update({name: command.spec for name, command in menu.commands.items()})
        # Typed properties for the API server's text conversion; text-like ones stay undeclared (bytes).
        node.types.update({name: p.type.name for name, p in menu.props.items() if p.type.name in TYPED})
    return root


class Router:
    """One emulated router (implements :class:`~emulator.contract.RouterPort`)."""

    def __init__(
        self,
        version: RouterOSVersion,
        *,
        runner_factory: RunnerFactory | None = None,
        start: dt.datetime = DEFAULT_START,
        time_zone: str = "manual",
        gmt_offset: int = 0,
        identity: str = "MikroTik",
        user_manager: bool = True,
        accounting_latency: float = 2.0,
        mail_delivery: float = 1.0,
        behaviour: Behaviour = DEFAULT_BEHAVIOUR,
    ) -> None:
        self.version = version
        self.behaviour = behaviour
        self.clock = Clock(now=0, gmt_offset=gmt_offset)
        self.clock.set_zone(time_zone)
        self.clock.now = self._instant(start)
        self.boot_ns = self.clock.now
        self.environment: dict[str, Value] = {}
        #: ``:resolve`` answers: name (lower case) → IPv4 address text; other names get a TEST-NET-1 address.
        self.dns: dict[str, str] = {}
        #: Whether the router has power (see power.py); bumping ``epoch`` drops every router-internal event.
        self.powered = True
        self.epoch = 0
        #: Global statement index before which the power fails (``arm_power_cut``), read by the interpreter.
        self.power_cut_at: int | None = None
        self.power_state = power.PowerState()
        self.logs = Log(version, self.clock)
        self.system_clock = ClockMenu(self)
        self.identity = IdentityMenu(identity)
        self.resource = ResourceMenu(self)
        self.packages = PackageMenu(self, user_manager=user_manager)
        self.scripts = ScriptMenu(self)
        self.script_environment = EnvironmentMenu(self)
        self.scheduler = SchedulerMenu(self)
        self.ntp = NtpClientMenu(self)
        self.files = FileMenu(self)
        self.mail = MailService(self, delivery_ns=int(mail_delivery * SECOND))
        self.fetch = FetchService(self)
        self.nas = Nas(self, latency_ns=int(accounting_latency * SECOND))
        self.um: UserManagerV6 | UserManagerV7 | None = None
        if user_manager:
            self.um = UserManagerV7(self) if version.user_manager_v7 else UserManagerV6(self)
            self.nas.server = self.um
        menus: list[Menu] = [
            RootMenu(self), self.logs, self.system_clock, self.identity, self.resource, self.packages, self.scripts,
            self.scripts.jobs, self.script_environment, self.scheduler, self.ntp, self.files, self.mail, self.nas.ppp,
            self.nas.hotspot, self.nas.address_lists, self.fetch,
        ]  # fmt: skip
        if self.um is not None:
            menus.extend(self.um.menus)
        self.menus: dict[tuple[str, ...], Menu] = {m.path: m for m in menus}
        self.tree = build_tree(menus)
        #: Writes a power cut may still lose: (true ns of the write, undo), newest last (power.py).
        self.unflushed: list[tuple[int, Callable[[], None]]] = []
        if behaviour.power_cut_loses_writes_s > 0:
            journaled: list[Menu] = [self.scripts, self.scheduler]
            if self.um is not None:
                journaled.append(self.um.users)
            for table in journaled:
                assert isinstance(table, Table)
                table.journal = self._journal
        self.runner: ScriptRunner | None = runner_factory(self) if runner_factory else None
        self.boot_hooks: list[Callable[[], None]] = []
        self.scheduler.boot()

    def _journal(self, undo: Callable[[], None]) -> None:
        window = int(self.behaviour.power_cut_loses_writes_s * SECOND)
        now = self.clock.now
        self.unflushed = [(at, u) for at, u in self.unflushed if at >= now - window]
        self.unflushed.append((now, undo))

    # --- RouterPort --------------------------------------------------------------------------------------------------

    def call(self, call: MenuCall, ctx: RunContext) -> Value:
        power.require_power(self)
        self.clock.settle()  # accounting noted but not yet written (nas.py) is written before any command
        menu = self.menus.get(tuple(call.menu))
        if menu is None:
            raise RouterOSError("bad command name " + " ".join(call.menu))
        return menu.dispatch(call, ctx)

    def log(self, level: str, message: bytes, ctx: RunContext) -> None:
        self.logs.script(level, message)

    def sleep(self, ns: int, ctx: RunContext) -> None:
        self.clock.advance_to(self.clock.now + max(0, ns))

    def now_ns(self) -> int:
        """The time the router shows (``:timestamp``): true time plus the clock's skew."""
        return self.clock.shown()

    def gmt_offset(self) -> int:
        """Seconds east of UTC in force now (signed; ``/system clock get gmt-offset`` wraps negatives). Offered for
        ``:timestamp`` with ``use-tz``; not part of ``RouterPort`` yet."""
        return self.clock.offset()

    def resolve(self, name: bytes | str) -> IP:
        """``:resolve name``: :attr:`dns` when it has the name (case-insensitive); an address literal is itself;
        otherwise an address in TEST-NET-1 (192.0.2.0/24) derived from the name, so installs that resolve their SMTP
        server still run [emulator]. An empty name fails as RouterOS does."""
        text = (name.decode("latin-1") if isinstance(name, bytes) else name).strip()
        if not text:
            raise RouterOSError("failure: dns name does not exist")
        found = self.dns.get(text.lower())
        if found is not None:
            return IP(ipaddress.IPv4Address(found))
        try:
            return IP(ipaddress.IPv4Address(text))
        except ValueError:
            digest = hashlib.sha256(text.lower().encode("latin-1")).digest()
            return IP(ipaddress.IPv4Address(f"192.0.2.{1 + digest[0] % 254}"))

    # --- router-internal events ------------------------------------------------------------------------------------

    def at(self, ns: int, label: str, action: Callable[[], None]) -> Event:
        """Queues a router-internal event (mail delivery, accounting packets, scheduler runs …): it is dropped if the
        power fails before it is due. Events of the world outside (fixture clients) use ``clock.at`` directly.

        Accounting that arrived but is not yet written (nas.py) is written first, so the event sees and changes the
        router as if every packet had been written on arrival. World events reach the router through menu commands
        (which do the same) and the NAS (whose logins and logouts touch nothing a noted packet writes or reads); one
        that reads User Manager's internals directly calls ``clock.settle()`` first."""
        epoch = self.epoch
        clock = self.clock

        def guarded() -> None:
            if self.epoch == epoch:
                clock.settle()
                action()

        return self.clock.at(ns, label, guarded)

    def later(self, delay_ns: int, label: str, action: Callable[[], None]) -> Event:
        return self.at(self.clock.now + delay_ns, label, action)

    def clock_changed(self) -> None:
        """The shown time jumped (clock set, NTP sync, 1970 boot): the scheduler re-plans from the new wall time, and no
        run the jump skipped over fires [INF: RouterOS recomputes next-run; a 56-year jump must not replay 20,000
        nightly runs]."""
        self.scheduler.replan_all()

    # --- scripts -----------------------------------------------------------------------------------------------------

    def run_source(
        self, source: bytes, *, name: str, path: str, policy: frozenset[str], mode: str = "script"
    ) -> RunResult:
        power.require_power(self)
        if self.runner is None:
            raise RouterOSError("no script runner attached to the emulated router")
        self.power_state.running += 1
        try:
            return self.runner.run(source, name=name, path=path, policy=policy, mode=mode)
        finally:
            self.power_state.running -= 1

    @property
    def statements_run(self) -> int:
        """Script statements executed on this router so far (every run of its runner), e.g. to arm a power cut at
        each statement of a scenario in turn."""
        count = getattr(self.runner, "statements_run", 0)
        return count if isinstance(count, int) else 0

    def run(self, source: str | bytes, *, policy: frozenset[str] | None = None, name: str = "console") -> RunResult:
        """Runs source as typed at the console or sent by the API (script mode, full policy unless given)."""
        data = source.encode() if isinstance(source, str) else source
        return self.run_source(data, name=name, path=name, policy=FULL_POLICY if policy is None else policy)

    def run_script(self, name: str, *, policy: frozenset[str] | None = None) -> RunResult:
        """``/system script run <name>`` from the console; a refusal comes back as a failed result."""
        item_id = self.scripts.lookup(name)
        if item_id is None:
            return RunResult(ok=False, output=[], error="no such item")
        try:
            return self.scripts.run_item(item_id, FULL_POLICY if policy is None else policy)
        except RouterOSError as refused:
            return RunResult(ok=False, output=[], error=str(refused))

    def import_file(
        self,
        text: str | bytes,
        *,
        name: str = "import.rsc",
        dry_run: bool = False,
        policy: frozenset[str] | None = None,
    ) -> RunResult:
        """Uploads ``text`` as ``name`` and runs ``/import file-name=<name>`` (``dry-run`` where the version has it)."""
        self.files.put(name, text.encode() if isinstance(text, str) else text)
        return self.import_stored(name, dry_run=dry_run, policy=FULL_POLICY if policy is None else policy)

    def import_stored(self, name: str, *, dry_run: bool, policy: frozenset[str]) -> RunResult:
        contents = self.files.read(name)
        if contents is None:
            return RunResult(ok=False, output=[], error="no such file")  # [INF] wording
        mode = "import-dry-run" if dry_run else "import"
        return self.run_source(contents, name=name, path=name, policy=policy, mode=mode)

    # --- time --------------------------------------------------------------------------------------------------------

    def _instant(self, moment: dt.datetime) -> int:
        if moment.tzinfo is None:
            return self.clock.from_local(moment)
        return (moment - EPOCH) // dt.timedelta(microseconds=1) * 1000

    def now(self) -> dt.datetime:
        """Local wall time of the router."""
        return self.clock.local()

    def advance(self, seconds: float) -> None:
        """Lets ``seconds`` of virtual time pass, running everything due in order."""
        power.require_power(self)
        self.clock.advance_to(self.clock.now + int(seconds * SECOND))

    def advance_to(self, moment: dt.datetime) -> None:
        """Advances to ``moment`` (naive: the wall time the router shows; aware: that true instant)."""
        power.require_power(self)
        self.clock.advance_to(self._instant(moment))

    def set_wall_clock(self, local: dt.datetime) -> None:
        """``/system clock set``: the router shows ``local`` from now on; true time does not move, so nothing else
        happens meanwhile, and scheduler runs the jump skips over do not fire (see :meth:`clock_changed`) [INF]."""
        self.clock.show(local)
        self.clock_changed()

    def reboot(self) -> None:
        """Reboot: live sessions drop without Stop, globals are lost, run-counts restart, startup entries run; the
        clock follows ``behaviour.boot_clock``."""
        self.nas.drop_all()
        self.environment.clear()
        self.boot()

    def boot(self) -> None:
        """What every boot does (after :meth:`reboot` and :meth:`restore_power`)."""
        self.boot_ns = self.clock.now
        self.mail.record["last-status"] = b"none"
        self.scripts.reset_run_counts()
        self.ntp.boot()
        self.scheduler.boot()
        for hook in self.boot_hooks:
            hook()

    # --- power -------------------------------------------------------------------------------------------------------

    def arm_power_cut(self, after_statements: int) -> None:
        """The power fails just before the (after_statements+1)-th script statement executed from now on (counted over
        every run on this router; 0: before the next statement). :class:`PowerCut` then propagates out of the driver
        call that is running. See power.py."""
        power.arm(self, after_statements)

    def cut_power(self) -> None:
        """Cuts the power now. Between driver calls it just returns; called from inside a run (an event, a script) it
        raises :class:`PowerCut` so that nothing more runs."""
        power.cut(self)

    def restore_power(self, downtime_s: float = 60.0) -> None:
        """After a cut: ``downtime_s`` pass with the router off, then it boots (see power.py)."""
        power.restore(self, downtime_s)

    # --- snapshots ----------------------------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot[Router]:
        """A frozen copy of this router (tables, clock and queued events, scheduler, globals, mail server, NAS
        sessions, log, the interpreter and its counters); ``snapshot.restore()`` gives a new, independent router each
        time, e.g. one per power cut of a sweep. Refused (:class:`~emulator.router.snapshot.SnapshotError`) while a
        script or an event is running. See snapshot.py."""
        return Snapshot(self, router=self)

    # --- driver views ------------------------------------------------------------------------------------------------

    def invoke(
        self,
        path: str,
        command: str,
        args: Mapping[str, Value] | None = None,
        *,
        flags: Iterable[str] = (),
        where: Callable[[Mapping[str, Value]], bool] | None = None,
        policy: frozenset[str] | None = None,
    ) -> Value:
        """One menu command as a script would issue it, e.g. ``invoke("/system script", "add", {"name": "x"})``,
        with the given policy (default: all). Text arguments are parsed by the menu like a script's words."""
        menu = tuple(p for p in path.replace("/", " ").split() if p)
        ctx = RunContext(policy=FULL_POLICY if policy is None else policy)  # call() checks the power
        return self.call(MenuCall(menu, command, dict(args or {}), frozenset(flags), where), ctx)

    def menu(self, path: str) -> Menu:
        """The menu at a console path such as ``/tool user-manager user`` or ``/system/script``."""
        parts = tuple(p for p in path.replace("/", " ").split() if p)
        menu = self.menus.get(parts)
        if menu is None:
            raise KeyError(path)
        self.clock.settle()
        return menu

    def rows(self, path: str) -> list[dict[str, Value]]:
        """Every item of a table menu (with ``.id``) or the one record of a settings menu, including sensitive ones."""
        menu = self.menu(path)
        if isinstance(menu, Table):
            return [{".id": f"*{item_id:X}", **values} for item_id, values in menu.rows()]
        if isinstance(menu, Singleton):
            return [menu.values()]
        return []
