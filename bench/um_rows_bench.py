"""Print the memory one closed User Manager session row costs. Not a test: it prints figures.

Run from the repository root:  ``.venv/bin/python bench/um_rows_bench.py [--rows 100000]``

A year of 1,000 users is some 300,000 session rows, kept for the whole year (issue 9: peak RSS goal 300 MB). This
writes ``--rows`` closed rows (a Start and a Stop each, 1,000 user names, distinct times and totals) into the session
table of a fresh router on RouterOS 6.49 and 7.16 and prints what tracemalloc counts per row: the row's values, its
entries in the table's dicts, its share of the columns. Twice: with acct-session-ids as the emulated NAS makes them
(``81a0002c``: lowercase hex, kept as a number) and as zero-padded texts (``0000002c``: kept as text; the ids of
the first version of this bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator.router import Router
from emulator.router.nas import AccountingPacket
from emulator.version import RouterOSVersion

HOUR = 3600 * 10**9


#: The acct-session-id of the i-th session: as emulator/router/nas.py numbers them, and zero-padded.
ACCT_IDS: dict[str, Callable[[int], str]] = {
    "NAS ids": lambda i: f"{0x81A00000 + i:x}",
    "padded ids": lambda i: f"{i:08x}",
}


def bytes_per_row(version: str, count: int, acct_id: Callable[[int], str]) -> float:
    router = Router(RouterOSVersion.parse(version), start=dt.datetime(2026, 1, 1))
    assert router.um is not None
    rows = router.um.sessions
    t0 = router.clock.now
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(count):
        user, acct, started = f"user{i % 1000:04d}", acct_id(i), t0 + i * 37 * 10**9
        common = {"calling_station_id": "AA:BB:CC:00:00:01", "address": "10.0.0.2"}
        rows.apply(AccountingPacket("start", user, acct, "ppp", started, 0, 0, 0, started, **common), {})
        stop = AccountingPacket(
            "stop", user, acct, "ppp", started, i * 1_234_567 + 10**8, i * 7_654 + 10**7, HOUR, started + HOUR,
            cause="user-request", **common,
        )  # fmt: skip
        rows.apply(stop, {})
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    for version in ("6.49.10", "7.16.2"):
        for name, acct_id in ACCT_IDS.items():
            per_row = bytes_per_row(version, args.rows, acct_id)
            print(f"{version}: {per_row:.0f} B per closed session row ({args.rows:,} rows, {name})")


if __name__ == "__main__":
    main()
