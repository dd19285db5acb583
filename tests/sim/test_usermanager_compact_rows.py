"""User Manager keeps a session row's numbers (totals, last packet, start and end times) in one array column per
table, not as objects per row (usermanager.py ``RowState``, issue 9). Every reader must see exactly the values that were
written: random accounting packets, close-session, removes and a snapshot restore run against a plain model of the
rows written the way each row had a dict of its own, and after every step the table's rows (``print as-value`` and the
computed rows) equal the model's.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from emulator.contract import Value
from emulator.router import Router
from emulator.router.nas import AccountingPacket
from emulator.router.proptypes import format_datetime
from emulator.values import Array, Id, Time
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 3, 28, 23, 0)
SECOND = 10**9


def fmt(router: Router, ns: int | None = None) -> bytes:
    return format_datetime(router.clock.local(ns), router.version)


#: Acct-session-ids as the NAS makes them (lowercase hex: kept as numbers, closed rows in the sorted closed index)
#: and as other texts (zero-padded upper case: kept as text, in the dict).
ACCT_FORMATS = ["{:x}", "{:08X}"]


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("acct_format", ACCT_FORMATS)
def test_rows_read_back_exactly_as_written(
    version: str, seed: int, acct_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    router = Router(RouterOSVersion.parse(version), start=START)
    assert router.um is not None
    router.clock.set_zone("Europe/Berlin")  # the run crosses the DST change: rows show the time they were written at
    rows = router.um.sessions
    monkeypatch.setattr(rows, "STALE_LIMIT", 3)  # removed rows' entries in the closed index are cleaned up often
    f = rows.fields
    root = "/user-manager session" if router.version.user_manager_v7 else "/tool user-manager session"
    rng = random.Random(seed)
    model: dict[int, dict[bytes | str, object]] = {}
    by_acct: dict[str, int] = {}
    snapshot = None
    snapshot_model: dict[int, dict[bytes | str, object]] = {}
    for number in range(400):
        router.clock.advance_to(router.clock.now + rng.randrange(1, 4000) * SECOND)
        roll = rng.random()
        if roll < 0.75:
            acct = acct_format.format(rng.randrange(40))
            kind = rng.choice(["start", "interim", "interim", "stop"])
            now = router.clock.now
            started = now - rng.randrange(0, 10**6) * SECOND
            down, up, uptime = rng.randrange(2**40), rng.randrange(2**33), rng.randrange(2**50)
            packet = AccountingPacket(
                kind, f"u{int(acct, 16) % 5}", acct, "ppp", started, down, up, uptime, now,
                cause="user-request" if kind == "stop" else "", calling_station_id="AA:BB",
                address=f"10.0.0.{int(acct, 16)}",
            )  # fmt: skip
            row_id, _ = rows.apply(packet, {})
            if by_acct.get(acct) != row_id:  # a new row
                by_acct[acct] = row_id
                model[row_id] = {
                    "user": packet.user.encode(), "acct-session-id": acct.encode(), f["started"]: fmt(router, started),
                    f["address"]: packet.address.encode(), "calling-station-id": b"AA:BB", "terminate-cause": b"",
                    "status": [], "active": True,
                }  # fmt: skip
            m = model[row_id]
            if kind not in m["status"]:  # type: ignore[operator]
                m["status"] = [*m["status"], kind]  # type: ignore[misc]
            m.update({"download": down, "upload": up, "uptime": Time(uptime)})  # a closed row stays closed
            if "last" in f:
                m[f["last"]] = router.clock.shown(now)  # shown in the zone of the time it is read (as before)
            if kind == "stop":
                m.update({"active": False, f["ended"]: fmt(router, now), "terminate-cause": b"user-request"})
        elif roll < 0.85 and model:
            row_id = rng.choice(sorted(model))
            if model[row_id]["active"]:
                rows.close_now(row_id, "admin-reset")
                model[row_id].update({"active": False, f["ended"]: fmt(router), "terminate-cause": b"admin-reset"})
        elif roll < 0.95 and model:
            row_id = rng.choice(sorted(model))
            router.invoke(root, "remove", {"numbers": Id(row_id)})
            del model[row_id]
        elif rng.random() < 0.3:
            router.clock.set_zone(rng.choice(["Europe/Berlin", "Asia/Tokyo", "UTC"]))
        elif snapshot is None:
            snapshot, snapshot_model = router.snapshot(), {k: dict(v) for k, v in model.items()}
        check(router, root, model, f, number)
    assert snapshot is not None
    restored = snapshot.restore()  # its column array is its own: the writes after the snapshot did not reach it
    check(restored, root, snapshot_model, f, -1)
    assert rows.numbers is not restored.um.sessions.numbers  # type: ignore[union-attr]


def check(router: Router, root: str, model: dict[int, dict[bytes | str, object]], f: dict[str, str], n: int) -> None:
    rows = router.um.sessions  # type: ignore[union-attr]
    expected = {}
    for row_id, m in model.items():
        want = {k if isinstance(k, str) else k.decode(): v for k, v in m.items()}
        want["status"] = ",".join(m["status"]).encode()  # type: ignore[arg-type]
        if "last" in f:
            want[f["last"]] = format_datetime(router.clock.wall(m[f["last"]]), router.version)  # type: ignore[arg-type]
        expected[row_id] = want
    got = {rid: rows.computed(rid, {}) for rid in rows.items}
    assert got == expected, f"step {n}"
    printed = router.invoke(root, "print", flags={"as-value"})
    assert isinstance(printed, Array)
    shown: dict[int, dict[str, Value]] = {}
    for element in printed.values():
        assert isinstance(element, Array)
        values = {key.decode(): value for key, value in element.keyed.items()}
        shown_id = values.pop(".id")
        assert isinstance(shown_id, Id)
        shown[shown_id.value] = values
    assert set(shown) == set(expected), f"step {n}"
    for row_id, row in shown.items():
        assert row == {k: v for k, v in expected[row_id].items() if k in row}, f"step {n}, row {row_id}"
        assert len(row) >= 10  # print shows the row's values, not a few of them
