"""User Manager keeps per-user sums and active rows as session rows change (usermanager.py ``totals_of``,
``active_ids_of``): they must always equal what summing and filtering the user's rows gives, the way usage, monitor
and the user rows were computed before (issue 9: a user's rows grow by one a day, and they are read every night).

The random histories of test_router_accounting_settle.py (sessions, interims, resets, row removal also delayed,
close-session also marks-only, kicks, reboots, power cuts, clock and zone changes) run on both versions under every
behaviour switch; after every step the kept values are compared with the rows.
"""

from __future__ import annotations

import random

import pytest

from emulator.router.nas import NasSession
from emulator.router.usermanager import NO_RECORD
from sim.test_router_accounting_settle import BEHAVIOURS, USERS, make, step


@pytest.mark.parametrize("behaviour", sorted(BEHAVIOURS))
@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
@pytest.mark.parametrize("seed", range(4))
def test_kept_sums_and_active_rows_equal_the_rows(version: str, behaviour: str, seed: int) -> None:
    router = make(version, BEHAVIOURS[behaviour], eager=False)
    assert router.um is not None
    rows = router.um.sessions
    rng = random.Random(seed)
    sessions: dict[str, list[NasSession]] = {}
    checked_rows = 0
    for number in range(150):
        step(router, rng, sessions)
        router.clock.settle()
        for name in USERS:
            states = [(rid, rows.state[rid]) for rid in rows.row_ids_of(name)]
            summed = (
                sum(s.download for _, s in states),
                sum(s.upload for _, s in states),
                sum(s.uptime_ns for _, s in states),
            )
            assert rows.totals_of(name) == summed, f"step {number}, {name}"
            assert rows.active_ids_of(name) == [rid for rid, s in states if s.active], f"step {number}, {name}"
            checked_rows += len(states)
        assert set(rows.state) == set(rows.items)
    assert checked_rows > 0  # the history made rows to compare


def test_the_shared_empty_record_refuses_writes() -> None:
    """Every session row's stored record is one shared object: a write to it would reach every row, so it fails."""
    with pytest.raises(TypeError):
        NO_RECORD["comment"] = b"x"
    with pytest.raises(TypeError):
        NO_RECORD.update({"comment": b"x"})
    assert dict(NO_RECORD) == {}
