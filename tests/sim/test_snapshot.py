"""Router snapshots (emulator/router/snapshot.py): a restored copy is independent of the original and of other
copies, its queued events (closures) act on the copy, lost-write undo entries and fixture clients follow it, and
what cannot be copied is refused."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from emulator import fixture as fixture_stage
from emulator.contract import PowerCut
from emulator.fixture_usage import build_router
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.router.behaviour import Behaviour
from emulator.router.snapshot import Snapshot, SnapshotError, clone
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 11, 30, 22, 0, 0)
TICK = ':global ticks; :set ticks ($ticks + 1); /system script set [find name=Count] comment=("n" . $ticks)'


def make(behaviour: Behaviour | None = None) -> Router:
    version = RouterOSVersion.parse("7.16")
    router = Router(version, start=START, runner_factory=Interpreter, behaviour=behaviour or Behaviour())
    router.invoke("/system script", "add", {"name": "Count", "source": TICK})
    tick = {"name": "Tick", "interval": "1m", "on-event": "/system script run Count"}
    router.invoke("/system scheduler", "add", tick)
    return router


def count(router: Router) -> int:
    """How many runs of Count the router's comment records (0: none)."""
    comment = next(row["comment"] for row in router.rows("/system script") if row["name"] == b"Count")
    assert isinstance(comment, bytes)
    return int(comment[1:] or b"0")


def test_a_restored_copy_runs_its_own_scheduler_and_leaves_the_original_alone() -> None:
    router = make()
    router.advance(150)
    runs = count(router)
    assert runs >= 2
    snapshot = router.snapshot()
    one, two = snapshot.restore(), snapshot.restore()
    one.advance(180)
    assert count(one) == runs + 3 and count(router) == count(two) == runs
    assert one.environment["ticks"] == runs + 3 and router.environment["ticks"] == runs
    router.advance(60)
    two.advance(60)
    assert count(router) == count(two) == runs + 1 and count(one) == runs + 3
    assert one.statements_run > two.statements_run == router.statements_run
    # The copy's queued events are the copy's: nothing of it is the original's.
    for _, _, event in one.clock._queue:
        cells = [c.cell_contents for c in event.action.__closure__ or ()]
        assert router not in cells and one in cells


def test_plain_deepcopy_would_share_the_queued_events_with_the_original() -> None:
    """Why snapshot.py copies closures: with copy.deepcopy the copy's scheduler run acts on the original router."""
    router = make()
    router.advance(90)
    runs = count(router)
    shared = copy.deepcopy(router)
    shared.advance(60)
    assert count(shared) == runs  # the run fired on the copy's clock, but wrote on the original
    assert count(router) == runs + 1


def test_a_power_cut_on_a_copy_undoes_the_copys_writes_only() -> None:
    router = make(Behaviour(power_cut_loses_writes_s=30.0))
    router.advance(70)
    runs = count(router)  # the last run wrote 10 s ago: still unflushed
    copy_ = router.snapshot().restore()
    copy_.cut_power()
    assert count(copy_) < runs and count(router) == runs
    copy_.restore_power(5)
    assert count(copy_) < runs


def test_a_fixture_client_on_a_copy_knows_its_sessions_planned_end() -> None:
    """A session whose planned end passes while the power is off is not redialled, on the copy as on the original
    (fixture_usage keys its sessions by the session, not by id(): a copy's sessions are new objects)."""
    spec = {
        "router": {"start": "2026-11-30 10:00:00"},
        "profiles": [{"name": "Lite"}],
        "users": [{"name": "ann", "package": "Lite", "sessions": [
            {"start": "2026-11-30 10:00:00", "end": "2026-11-30 11:00:00", "download-per-day": "100MB"}]}],
    }  # fmt: skip
    original = build_router(fixture_stage.parse(spec), RouterOSVersion.parse("7.16"), runner_factory=Interpreter)
    original.advance(1800)
    for router in (original.snapshot().restore(), original):
        router.advance(1200)  # 10:50
        assert [s.user for s in router.nas.sessions.values()] == ["ann"]
        router.cut_power()
        router.restore_power(1200)  # boots at 11:10, after the planned end
        router.advance(600)
        assert not router.nas.sessions, "ann redialled after her session's planned end"


def test_a_snapshot_is_refused_in_the_middle_of_a_run() -> None:
    router = make()
    seen: list[str] = []

    def during() -> None:
        with pytest.raises(SnapshotError, match="while a script or an event is running"):
            router.snapshot()
        seen.append("refused")

    router.clock.at(router.clock.now + 10**9, "probe", during)
    router.advance(2)
    assert seen == ["refused"]


def test_what_cannot_be_copied_is_refused() -> None:
    with pytest.raises(SnapshotError, match="generator"):
        clone({"state": (n for n in range(3))})
    with pytest.raises(SnapshotError):
        import threading

        clone([threading.Lock()])


def test_closures_and_bound_builtins_follow_the_copy() -> None:
    items: list[int] = []
    counter = {"n": 0}

    def bump() -> None:
        counter["n"] += 1
        items.append(counter["n"])

    holder: dict[str, Any] = {"bump": bump, "append": items.append, "items": items, "counter": counter}
    restored = Snapshot(holder).restore()
    restored["bump"]()
    restored["append"](99)
    assert restored["items"] == [1, 99] and restored["counter"] == {"n": 1}
    assert items == [] and counter == {"n": 0}


def test_a_cut_inside_a_run_on_a_copy_stops_the_copy() -> None:
    router = make()
    copy_ = router.snapshot().restore()
    copy_.arm_power_cut(1)
    with pytest.raises(PowerCut):
        copy_.advance(61)
    assert not copy_.powered and router.powered and router.power_cut_at is None


def test_nil_and_nothing_stay_themselves_in_a_copy() -> None:
    """A global array padded with nil (``:set ($a->2)`` on an empty array) is still nil in a restored copy: the
    interpreter tests nil and nothing by identity, and a copied NIL once failed ``:typeof`` with a TypeError."""
    import pickle

    from emulator.values import NIL, NOTHING

    assert copy.deepcopy(NIL) is NIL and copy.copy(NOTHING) is NOTHING
    assert pickle.loads(pickle.dumps([NIL, NOTHING])) == [NIL, NOTHING]
    assert all(a is b for a, b in zip(pickle.loads(pickle.dumps([NIL, NOTHING])), [NIL, NOTHING], strict=True))
    router = make()
    assert router.run(':global padded [:toarray ""]; :set ($padded->2) 1').ok
    copy_of = router.snapshot().restore()
    result = copy_of.run(':global padded; :put ([:typeof ($padded->0)] . "," . [:typeof ($padded->5)])')
    assert result.ok and result.output == [b"nil,nothing"], result
