"""``/system scheduler``: entries that fire as the virtual clock advances and run ``on-event`` with their own policy.

Semantics (platform.md §4.1, [DOC] S10/S11):

* runs are aligned to ``start-date start-time + k × interval``; a start in the past only sets the phase, so
  ``start-time=23:50:00 interval=1d`` runs every day at 23:50 (local wall time; across a DST change the wall time is
  kept [INF]);
* ``interval=0s`` runs once at the start instant, and never if that instant has passed when the entry is added [INF];
* ``start-time=startup``: with ``interval=0s`` once, 3 s after every boot; with an interval it does not run at boot,
  the first run is one interval after boot;
* ``on-event`` naming a stored script (bare name) runs that script, refused with ``not enough permissions (9)`` if
  the script's policy exceeds the entry's; anything else is run as script source. Both run with the entry's
  ``policy`` (§4.2). A failed run logs ``script,error`` "executing script … failed, please check it manually" and a
  ``script,error,debug`` line with the reason;
* ``run-count`` counts runs since boot; ``next-run`` is printed per version; ``days`` (7.24+) limits runs to weekdays;
* runs are planned in the wall time the router *shows*: when it jumps (``/system clock set``, an NTP sync, a boot
  without RTC at jan/02/1970) every entry is re-planned from the new wall time and no run the jump skipped over fires
  [INF: RouterOS recomputes ``next-run``].

Must not: parse script source, sleep in real time, or compare RouterOS versions.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from emulator.contract import RouterOSError, RunContext, RunResult, Value
from emulator.router.clock import Event
from emulator.router.proptypes import (
    BOOL,
    NUM,
    STR,
    TIME,
    DateType,
    Either,
    Policy,
    Prop,
    format_date,
    format_datetime,
    parse_date,
    policy_set,
    text_of,
)
from emulator.router.table import Table
from emulator.values import Time

if TYPE_CHECKING:
    from emulator.router.router import Router

SECOND = 1_000_000_000
STARTUP_DELAY = 3 * SECOND  # "runs ~3 s after console start-up" ([DOC] S10, S11)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ENTRY_POLICIES = frozenset(Policy.ORDER)  # the scheduler's default-policy ceiling ([DOC] S10)
_NAIVE_EPOCH = dt.datetime(1970, 1, 1)


def _naive_ns(moment: dt.datetime) -> int:
    return (moment - _NAIVE_EPOCH) // dt.timedelta(microseconds=1) * 1000


def _from_naive_ns(ns: int) -> dt.datetime:
    return _NAIVE_EPOCH + dt.timedelta(microseconds=ns // 1000)


class SchedulerMenu(Table):
    def __init__(self, router: Router) -> None:
        version = router.version
        props = [
            Prop("name", STR, required=True, unique=True),
            Prop("start-date", DateType(version)),
            Prop("start-time", Either(TIME, "startup")),
            Prop("interval", TIME, default=Time(0)),
            Prop("on-event", STR, default=b""),
            Prop("policy", Policy()),
            Prop("disabled", BOOL, default=False),
            Prop("comment", STR),
            Prop("owner", STR, readonly=True, default=b"admin"),
            Prop("run-count", NUM, readonly=True, default=0),
            Prop("next-run", STR, readonly=True),
        ]
        if version.has_scheduler_days:
            props.insert(4, Prop("days", STR, default=b"always"))
        super().__init__(("system", "scheduler"), props)
        self.router = router
        self._events: dict[int, Event] = {}
        self._next: dict[int, int] = {}

    # --- table hooks -------------------------------------------------------------------------------------------------

    def check_add(self, values: dict[str, Value], ctx: RunContext) -> None:
        local = self.router.clock.local()
        # start-date defaults to the day the entry is added ([DOC] S10), start-time to the time it is added [INF].
        values.setdefault("start-date", format_date(local.date(), self.router.version))
        values.setdefault("start-time", Time((local.hour * 3600 + local.minute * 60 + local.second) * SECOND))
        if "policy" not in values:
            values["policy"] = Policy().coerce("policy", ",".join(ctx.policy & ENTRY_POLICIES))
        self._check_days(values)

    def check_set(self, item_id: int, changes: dict[str, Value], ctx: RunContext) -> None:
        self._check_days(changes)

    def added(self, item_id: int, ctx: RunContext) -> None:
        self.plan(item_id, self.router.clock.now)

    def changed(self, item_id: int, names: frozenset[str], ctx: RunContext) -> None:
        if names - {"comment", "run-count"}:
            self.plan(item_id, self.router.clock.now)

    def removed(self, item_id: int, values: dict[str, Value], ctx: RunContext) -> None:
        self._cancel(item_id)

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        at = self._next.get(item_id)
        if at is None:
            return {}
        return {"next-run": format_datetime(self.router.clock.local(at), self.router.version)}

    @staticmethod
    def _check_days(values: dict[str, Value]) -> None:
        if "days" not in values:
            return
        words = [w for w in text_of(values["days"]).split(",") if w]
        if not words or any(w not in (*WEEKDAYS, "always", "never") for w in words):
            raise RouterOSError("input does not match any value of days")

    # --- planning ----------------------------------------------------------------------------------------------------

    def _cancel(self, item_id: int) -> None:
        event = self._events.pop(item_id, None)
        if event is not None:
            event.cancel()
        self._next.pop(item_id, None)

    def next_run(self, item_id: int) -> int | None:
        """When the entry fires next (ns UTC), or None."""
        return self._next.get(item_id)

    def plan(self, item_id: int, earliest: int) -> None:
        """Queues the entry's next run at or after ``earliest``."""
        self._cancel(item_id)
        values = self.items[item_id]
        if values.get("disabled"):
            return
        interval = values["interval"].ns
        clock = self.router.clock
        if values["start-time"] == b"startup":
            if interval <= 0:
                return  # runs only at boot (see boot())
            anchor = self.router.boot_ns
            steps = max(1, -(-(earliest - anchor) // interval))
            at = anchor + steps * interval
        else:
            day = parse_date(text_of(values["start-date"]), self.router.version)
            if day is None:
                return
            anchor_local = dt.datetime.combine(day, dt.time()) + dt.timedelta(
                microseconds=values["start-time"].ns // 1000
            )
            if interval <= 0:
                at = clock.from_local(anchor_local)
                if at < earliest:
                    return
            else:
                anchor_ns = _naive_ns(anchor_local)
                earliest_ns = _naive_ns(clock.local(earliest)) + earliest % 1000
                steps = max(0, -(-(earliest_ns - anchor_ns) // interval))
                at = clock.from_local(_from_naive_ns(anchor_ns + steps * interval))
                if at < earliest:  # a DST overlap can map the wall time before `earliest`
                    at = clock.from_local(_from_naive_ns(anchor_ns + (steps + 1) * interval))
        self._schedule(item_id, at)

    def _schedule(self, item_id: int, at: int) -> None:
        self._next[item_id] = at
        name = text_of(self.items[item_id]["name"])
        # A router-internal event: a power cut drops it (boot plans again).
        self._events[item_id] = self.router.at(at, f"scheduler:{name}", lambda: self.fire(item_id, at))

    def replan_all(self) -> None:
        """After the shown time changed: entries re-plan from the new wall time. A ``startup`` entry with
        ``interval=0s`` keeps its pending run: it is due 3 s after boot, whatever the clock says ([DOC] S10: "3 seconds
        after console starts up")."""
        for item_id, values in self.items.items():
            if values["start-time"] == b"startup" and values["interval"].ns <= 0 and item_id in self._events:
                continue
            self.plan(item_id, self.router.clock.now)

    def boot(self) -> None:
        """After (re)boot: run-count restarts, ``startup`` entries with ``interval=0s`` fire 3 s later."""
        for item_id, values in self.items.items():
            values["run-count"] = 0
            if values["start-time"] == b"startup" and values["interval"].ns <= 0 and not values.get("disabled"):
                self._cancel(item_id)
                self._schedule(item_id, self.router.boot_ns + STARTUP_DELAY)
            else:
                self.plan(item_id, self.router.clock.now)

    # --- running -----------------------------------------------------------------------------------------------------

    def _runs_today(self, values: dict[str, Value]) -> bool:
        words = set(text_of(values.get("days", b"always")).split(","))
        if "always" in words:
            return True
        return WEEKDAYS[self.router.clock.local().weekday()] in words

    def fire(self, item_id: int, at: int) -> None:
        self._events.pop(item_id, None)
        self._next.pop(item_id, None)
        values = self.items.get(item_id)
        if values is None:
            return
        # Plan the next run before this one starts, so a script that edits or removes its own entry is honoured.
        if values["start-time"] != b"startup" or values["interval"].ns > 0:
            self.plan(item_id, at + 1)
        if not self._runs_today(values):
            return
        values["run-count"] = int(values.get("run-count", 0)) + 1
        self.run_event(values)

    def run_event(self, values: dict[str, Value]) -> RunResult:
        entry = text_of(values["name"])
        source: bytes = values.get("on-event", b"")
        policy = policy_set(values.get("policy", b""))
        scripts = self.router.scripts
        script_id = scripts.lookup(source.strip()) if source.strip() else None
        script_name = text_of(source.strip()) if script_id is not None else ""
        try:
            if script_id is not None:
                result = scripts.run_item(script_id, policy, started_by="scheduler", owner=values.get("owner"))
            else:
                with_job = scripts.jobs.running(None, values.get("owner", b"admin"), policy, "scheduler")
                result = with_job(
                    lambda: self.router.run_source(source, name=entry, path=f"scheduler:{entry}", policy=policy)
                )
        except RouterOSError as failure:
            result = RunResult(ok=False, output=[], error=str(failure))
        if not result.ok:
            named = f"script {script_name} " if script_name else "script "
            log = self.router.logs
            log.write(
                ("script", "error"), f"executing {named}from scheduler ({entry}) failed, please check it manually"
            )
            log.write(("script", "error", "debug"), f"(scheduler:{entry}) {result.error}")
        return result
