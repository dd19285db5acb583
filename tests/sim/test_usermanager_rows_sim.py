"""Session rows kept in columns (usermanager.py ``SessionRows``, issue 9) read back exactly as a row of its own would
have held them, in a real simulation: the shipped scripts in reset mode (Enforce's close-session, the resets) drive
User Manager on both dialects while every write that reaches the session table (each accounting packet, each
close-session, each remove) also goes into a plain model, one dict per row, written the way the rows were written when
each had a record and an object of its own. At every month end and at the end, every row's computed values and its
``print as-value`` row equal the model's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from billing.harness import RESET, simulation
from billing.scenario import population

from emulator import simulate
from emulator.contract import RunContext, Value
from emulator.router import Router
from emulator.router.nas import AccountingPacket
from emulator.router.proptypes import format_datetime
from emulator.router.usermanager import SessionRows
from emulator.values import Time
from generator.config import loads
from sim.test_usermanager_compact_rows import check

START = dt.datetime(2026, 1, 1, 0, 5)
Model = dict[int, dict[bytes | str, object]]


class Recorder:
    """The plain model of one router's session rows, fed by the table's writes."""

    def __init__(self) -> None:
        self.router: Router | None = None
        self.rows: Model = {}
        self.marked: set[int] = set()
        self.by_acct: dict[str, int] = {}
        self.packets = self.closes = self.removes = 0

    def fmt(self, ns: int | None = None) -> bytes:
        assert self.router is not None
        return format_datetime(self.router.clock.local(ns), self.router.version)

    def packet(self, rows: SessionRows, packet: AccountingPacket, extra: dict[str, Value], row_id: int) -> None:
        self.packets += 1
        self.router = rows.router
        f = rows.fields
        known = self.by_acct.get(packet.acct_session_id)
        if known != row_id or row_id not in self.rows:  # a new row
            self.by_acct[packet.acct_session_id] = row_id
            self.rows[row_id] = {
                "user": packet.user.encode(), "acct-session-id": packet.acct_session_id.encode(),
                f["started"]: self.fmt(packet.started_ns), f["address"]: packet.address.encode(),
                "calling-station-id": packet.calling_station_id.encode(), "terminate-cause": b"", "status": [],
                "active": True,
            }  # fmt: skip
            for name, value in extra.items():
                self.rows[row_id][name] = value
        m = self.rows[row_id]
        if row_id in self.marked and packet.kind != "start":  # marks-only: the session went on, the row reopens
            self.marked.discard(row_id)
            m.update({"active": True, "terminate-cause": b""})
            m.pop(f["ended"], None)
        if packet.kind not in m["status"]:  # type: ignore[operator]
            m["status"] = [*m["status"], packet.kind]  # type: ignore[misc]
        m.update({"download": packet.download, "upload": packet.upload, "uptime": Time(packet.uptime_ns)})
        if "last" in f:
            m[f["last"]] = rows.router.clock.shown(packet.sent_ns)
        if packet.kind == "stop":
            self.marked.discard(row_id)
            m.update({"active": False, f["ended"]: self.fmt(packet.sent_ns), "terminate-cause": packet.cause.encode()})

    def close(self, rows: SessionRows, row_id: int, cause: str) -> None:
        self.closes += 1
        self.router = rows.router
        m = self.rows[row_id]
        m.update({"active": False, rows.fields["ended"]: self.fmt(), "terminate-cause": cause.encode()})
        acct = m["acct-session-id"]
        assert isinstance(acct, bytes)
        # close_now is reached from close-session only for a row whose NAS session is gone or under marks-only.
        if rows.router.nas.sessions.get(acct.decode()) is not None:
            self.marked.add(row_id)
        else:
            self.marked.discard(row_id)

    def remove(self, row_id: int) -> None:
        self.removes += 1
        del self.rows[row_id]
        self.marked.discard(row_id)


@pytest.mark.parametrize("version", ["6.49", "7.16"])
def test_rows_of_a_simulation_read_back_as_written(
    version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = tmp_path / "users.yaml"
    users.write_text(yaml.safe_dump(population(12, START, interim="1h")))
    recorder = Recorder()
    apply, close_now, removed = SessionRows.apply, SessionRows.close_now, SessionRows.removed

    def recorded_apply(self: SessionRows, packet: AccountingPacket, extra: dict[str, Value]) -> tuple[int, bool]:
        out = apply(self, packet, extra)
        recorder.packet(self, packet, extra, out[0])
        return out

    def recorded_close(self: SessionRows, row_id: int, cause: str) -> None:
        close_now(self, row_id, cause)
        recorder.close(self, row_id, cause)

    def recorded_removed(self: SessionRows, item_id: int, values: dict[str, Value], ctx: RunContext) -> None:
        removed(self, item_id, values, ctx)
        recorder.remove(item_id)

    monkeypatch.setattr(SessionRows, "apply", recorded_apply)
    monkeypatch.setattr(SessionRows, "close_now", recorded_close)
    monkeypatch.setattr(SessionRows, "removed", recorded_removed)
    sim = simulation(loads(RESET), version, users)
    router = sim.router
    root = "/user-manager session" if router.version.user_manager_v7 else "/tool user-manager session"
    assert router.um is not None
    f = router.um.sessions.fields
    for month in range(2):
        simulate.run(sim, simulate.add_months(START, month + 1))
        router.clock.settle()
        check(router, root, recorder.rows, f, month)
    assert recorder.packets > 1000 and len(recorder.rows) > 30  # a real history was compared
    rows = router.um.sessions
    active = [rid for rid in rows.items if rows.state[rid].active]
    assert active and len(active) < len(rows.items)
    # The commands' paths too: close-session on every row (the NAS ends the live ones; a row without a NAS session
    # closes at once), then remove every third row.
    del router.nas.sessions[rows.state[active[0]].acct_session_id]  # as after a reboot: a stale row
    router.invoke(root, "close-session", {"numbers": ",".join(f"*{rid:x}" for rid in rows.items).encode()})
    router.clock.advance_to(router.clock.now + 60 * 10**9)
    router.invoke(root, "remove", {"numbers": ",".join(f"*{rid:x}" for rid in list(rows.items)[::3]).encode()})
    router.clock.settle()
    check(router, root, recorder.rows, f, 99)
    assert recorder.closes >= 1 and recorder.removes > 10
    assert not any(rows.state[rid].active for rid in rows.items)
