"""``/system script`` (stored scripts and ``run``), ``/system script environment`` (the global variables) and
``/system script job`` (the scripts running now).

Permissions follow the manual's "Script permissions" (platform.md §4.2, [DOC] S10): a script started by ``run`` from a
script, the console or the API runs with the **caller's** policy, and RouterOS refuses with ``not enough permissions
(9)`` when the script's own ``policy`` holds a right the caller lacks. ``dont-require-permissions=yes`` lets any caller
run it with the script's own policy ([SEEN] S18); ``use-script-permissions`` (7.15+) asks for the script's policy
explicitly. Scripts run through the injected :class:`~emulator.contract.ScriptRunner`.

Jobs ([DOC] wiki Manual:Scripting, "Job": "Contains list of all currently running scripts", read-only ``owner``,
``policy``, ``started``; the 7.21.4 command dump (routeros_lsp data) adds ``script``, ``type``, ``parent``): every
run of a stored script (``/system script run`` from a script, the console or the API, or a scheduler entry naming
the script) is a job for as long as it runs, with ``script=<name>``, ``type=script`` [INF: the dump's ``type`` values
are ``api-login``, ``command``, ``login``], the policy it runs with, ``owner`` (the scheduler entry's owner, else the
script's) and ``started`` (the local time, printed as ``last-started``). A scheduler entry whose ``on-event`` is source
is a job without ``script`` [INF]. Not modelled: the console's and API sessions' own ``login``/``api-login`` jobs,
``parent``, and ``remove`` (stopping a job; refused). What an API session sees is ``Behaviour.api_script_jobs``, its
view of the globals ``Behaviour.api_globals`` (docs/assumptions.md rows 35, 36).

Must not: parse or execute script source itself; compare RouterOS versions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from emulator.contract import CommandSpec, EmulatorRefusal, MenuCall, RouterOSError, RunContext, RunResult, Value
from emulator.router.menu import NO_PERMISSION, READ, on_items
from emulator.router.proptypes import BOOL, NUM, STR, Policy, Prop, format_datetime, policy_set
from emulator.router.table import Table
from emulator.values import NOTHING, tostr

if TYPE_CHECKING:
    from emulator.router.router import Router


class ScriptMenu(Table):
    def __init__(self, router: Router) -> None:
        props = [
            Prop("name", STR, required=True, unique=True),
            Prop("source", STR, default=b""),
            Prop("policy", Policy()),
            Prop("dont-require-permissions", BOOL, default=False),
            Prop("comment", STR),
            Prop("owner", STR, readonly=True, default=b"admin"),
            Prop("last-started", STR, readonly=True),
            Prop("run-count", NUM, readonly=True, default=0),
            Prop("invalid", BOOL, readonly=True, default=False),
        ]
        super().__init__(("system", "script"), props)
        self.router = router
        flags = frozenset({"use-script-permissions"}) if router.version.has_use_script_permissions else frozenset()
        # Running needs only read [INF]: no MikroTik table maps commands to policies (platform.md §4.2).
        spec = CommandSpec(
            "run", params=frozenset({"number"}), flags=flags, unnamed=1, positional=("number",), policy=READ
        )
        self.command(spec, self._run)
        self.jobs = JobMenu(router)

    def check_add(self, values: dict[str, Value], ctx: RunContext) -> None:
        if "policy" not in values:
            # A new script gets the policies of the user who adds it ([DOC] S10, scheduler wording; [INF] for scripts).
            values["policy"] = Policy().coerce("policy", ",".join(ctx.policy))

    def reset_run_counts(self) -> None:
        """At boot: "The counter will reset after reboot" (MikroTik RouterOS v2.9 manual, system script, run-count)."""
        for values in self.items.values():
            values["run-count"] = 0

    def run_item(
        self,
        item_id: int,
        caller_policy: frozenset[str],
        *,
        script_permissions: bool = False,
        started_by: str = "script",
        owner: bytes | None = None,
    ) -> RunResult:
        """Runs a stored script as ``/system script run`` does; raises ``not enough permissions (9)`` when refused.
        While it runs it is a job (``started_by``: ``scheduler``, ``script`` or ``api``; ``owner``: the job's owner,
        default the script's)."""
        values = self.items[item_id]
        own = policy_set(values.get("policy", b""))
        if script_permissions or values.get("dont-require-permissions"):
            effective = own
        elif not own <= caller_policy:
            raise RouterOSError(NO_PERMISSION)
        else:
            effective = caller_policy
        name = values["name"].decode("utf-8", "replace")
        values["run-count"] = int(values.get("run-count", 0)) + 1
        values["last-started"] = format_datetime(self.router.clock.local(), self.router.version)
        job_owner = owner if owner is not None else values.get("owner", b"admin")
        with_job = self.jobs.running(name.encode(), job_owner, effective, started_by)
        return with_job(lambda: self.router.run_source(values.get("source", b""), name=name, path=f"script:{name}",
                                                       policy=effective))  # fmt: skip

    def _run(self, call: MenuCall, ctx: RunContext) -> Value:
        item_id = self.one_id(call)
        result = self.run_item(
            item_id,
            ctx.policy,
            script_permissions="use-script-permissions" in call.flags,
            started_by="api" if ctx.api else "script",
        )
        ctx.output.extend(result.output)
        if not result.ok:
            # The callee's runtime error stops the caller too, catchable there by :do/on-error [INF].
            raise RouterOSError(result.error)
        return NOTHING


class EnvironmentMenu(Table):
    """A live view of the router's globals (``RouterPort.environment``); ``remove`` deletes the global."""

    def __init__(self, router: Router) -> None:
        props = [Prop("name", STR, readonly=True, unique=True), Prop("value", STR, readonly=True)]
        super().__init__(("system", "script", "environment"), props, addable=False, settable=False)
        self.router = router
        self._ids: dict[str, int] = {}

    def sync(self) -> None:
        """Rebuilds the rows from the globals; a name keeps its ``*id`` while it exists [INF]."""
        self.items = {}
        for name, value in self.router.environment.items():
            if name not in self._ids:
                self._ids[name] = self.next_id
                self.next_id += 1
            self.items[self._ids[name]] = {"name": name.encode(), "value": tostr(value)}
        self.items = dict(sorted(self.items.items()))

    def dispatch(self, call: MenuCall, ctx: RunContext) -> Value:
        self.sync()
        if ctx.api and self.router.behaviour.api_globals == "hidden":
            self.items = {}  # the API session sees none of the scripts' globals (row 35's alternative)
        return super().dispatch(call, ctx)

    def removed(self, item_id: int, values: dict[str, Value], ctx: RunContext) -> None:
        name = values["name"].decode()
        self.router.environment.pop(name, None)
        self._ids.pop(name, None)


class JobMenu(Table):
    """``/system script job``: one row per stored script running now (see the module docstring); print only."""

    def __init__(self, router: Router) -> None:
        props = [
            Prop("script", STR, readonly=True),
            Prop("owner", STR, readonly=True),
            Prop("policy", Policy(), readonly=True),
            Prop("started", STR, readonly=True),
            Prop("type", STR, readonly=True),
        ]
        super().__init__(("system", "script", "job"), props, addable=False, removable=False, settable=False)
        self.router = router
        #: Who started each running job (``scheduler``, ``script``, ``api``), by ``*id``.
        self.started_by: dict[int, str] = {}
        self.command(on_items("remove"), self._remove_job)

    def running(
        self, script: bytes | None, owner: Value, policy: frozenset[str], started_by: str
    ) -> Callable[[Callable[[], RunResult]], RunResult]:
        """Wraps one run: the job is listed from its start until it ends (also by an error or a power cut)."""

        def run(body: Callable[[], RunResult]) -> RunResult:
            values: dict[str, Value] = {
                "owner": owner,
                "policy": Policy().coerce("policy", ",".join(sorted(policy))),
                "started": format_datetime(self.router.clock.local(), self.router.version),
                "type": b"script",
            }
            if script is not None:
                values["script"] = script
            item_id = self.next_id
            self.next_id += 1
            self.items[item_id] = values
            self.started_by[item_id] = started_by
            try:
                return body()
            finally:
                self.items.pop(item_id, None)
                self.started_by.pop(item_id, None)

        return run

    def dispatch(self, call: MenuCall, ctx: RunContext) -> Value:
        if not (ctx.api and self.router.behaviour.api_script_jobs == "hidden"):
            return super().dispatch(call, ctx)
        # Row 36's alternative: an API session sees only the jobs started over the API.
        every = self.items
        self.items = {i: v for i, v in every.items() if self.started_by.get(i) == "api"}
        try:
            return super().dispatch(call, ctx)
        finally:
            self.items = every

    def _remove_job(self, call: MenuCall, ctx: RunContext) -> Value:
        raise EmulatorRefusal("emulator refuses: /system script job remove (stopping a running script) is not modelled")
