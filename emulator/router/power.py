"""Power cuts of the emulated router: arming a cut at a script statement, cutting, and the boot after the downtime.

* :func:`arm`: the power fails just before the (n+1)-th script statement executed from now on, counted over every run
  on the router (a scheduler run of Oversight that runs MonthEnd and Billing through ``/system script run`` is one
  sequence; function bodies count). The interpreter checks one integer per statement (``RunState.cut_at``) and, when
  it is reached, calls :func:`cut` through ``RouterPort.cut_power``. Statements are atomic: a cut never lands inside a
  menu command.
* :func:`cut`: the power is gone at this instant. Every script stops (:class:`~emulator.contract.PowerCut`, a
  ``BaseException`` that nothing in the emulator or a script catches, propagates out of the running driver call),
  live NAS sessions end without a Stop (User Manager keeps stale active rows, as after :meth:`Router.reboot`),
  globals are lost, every router-internal event is dropped (accounting packets not yet arrived, pending mail
  outcomes and status changes, asynchronous resets, scheduler runs, an NTP sync: see :meth:`Router.at`), and mails
  in flight follow ``Behaviour.power_cut_mail``.
* :func:`restore`: ``downtime_s`` pass with the router off. Only the world outside runs meanwhile [INF]: the fixture
  clients keep their schedules and try to dial in (refused: the NAS is down) and retry with back-off; the clients
  whose sessions the cut dropped are told after boot, so they redial ``reconnect`` after it, as after a reboot. Then
  the router boots as :meth:`Router.reboot` does (scheduler boot, ``startup`` entries 3 s later, ``boot_hooks``,
  ``last-status=none``, the clock per ``Behaviour.boot_clock``).

While the power is off, driver calls that need the router (``advance``, ``advance_to``, ``run``, ``run_script``,
``import_file``, ``invoke``, ``call``) raise :class:`RouterOff`.

Must not: parse scripts or compare RouterOS versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from emulator.contract import PowerCut
from emulator.router.clock import SECOND
from emulator.router.nas import NasSession

if TYPE_CHECKING:
    from emulator.router.router import Router


class RouterOff(RuntimeError):
    """A driver call reached a router without power (call :meth:`Router.restore_power` first)."""


@dataclass(slots=True)
class PowerState:
    running: int = 0  # script runs in progress on the router (nesting depth)
    cut_ns: int | None = None  # true instant of the cut while the power is off
    dropped: list[NasSession] = field(default_factory=list)  # sessions the cut ended; clients are told after boot


def require_power(router: Router) -> None:
    if not router.powered:
        raise RouterOff("the emulated router has no power: call restore_power() first")


def _retarget(router: Router) -> None:
    """Tells the runner (the interpreter) that the statement at which the power fails changed."""
    changed = getattr(router.runner, "power_cut_changed", None)
    if changed is not None:
        changed()


def arm(router: Router, after_statements: int) -> None:
    if after_statements < 0:
        raise ValueError("after_statements must be >= 0")
    require_power(router)
    router.power_cut_at = router.statements_run + after_statements
    _retarget(router)


def cut(router: Router) -> None:
    if not router.powered:
        return
    _power_off(router)
    if router.power_state.running or router.clock.depth:
        raise PowerCut("the power failed")


def _power_off(router: Router) -> None:
    state = router.power_state
    router.clock.settle()  # what arrived before the cut is written before writes are undone and events dropped
    router.powered = False
    # Writes not yet on flash are lost, newest first (Behaviour.power_cut_loses_writes_s; empty unless set).
    window = int(router.behaviour.power_cut_loses_writes_s * SECOND)
    for at, undo in reversed(router.unflushed):
        if at >= router.clock.now - window:
            undo()
    router.unflushed = []
    router.epoch += 1  # every router-internal event queued so far is dropped when it comes due
    router.power_cut_at = None
    _retarget(router)
    state.cut_ns = router.clock.now
    state.dropped = router.nas.drop_all(notify=False)
    router.mail.power_lost(router.behaviour.power_cut_mail)
    router.environment.clear()


def restore(router: Router, downtime_s: float) -> None:
    if router.powered:
        raise RuntimeError("restore_power() without a power cut")
    if downtime_s < 0:
        raise ValueError("downtime_s must be >= 0")
    state = router.power_state
    router.clock.advance_to(router.clock.now + int(downtime_s * SECOND))  # the world only: see the module docstring
    router.powered = True
    state.cut_ns = None
    router.boot()
    dropped, state.dropped = state.dropped, []
    router.nas.notify_dropped(dropped)
