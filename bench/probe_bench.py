"""Print what one ``rosbill probe`` costs as the router grows: wall time, API round trips, writes, and the router's
script work (statements the emulated router executed). Not a test: it prints figures.

Run from the repository root:  ``.venv/bin/python bench/probe_bench.py [--users 10,100,200,1000] [--repeat 3]``

Each router is an emulated RouterOS 7.16 router served on loopback (plain API), with N User Manager users who each
have one closed session and one open one. The probe's round trips do not grow with the users (the totals are compared
inside the probe script, for the first 200 users); the script's work does: each compared user costs a ``monitor`` and a
``session print where user=…`` over every session row, so it grows with users × sessions up to 200 users. The ratio
column is each size's time over the smallest size's, in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator.api import Credentials, start_server  # noqa: E402
from emulator.interp import Interpreter  # noqa: E402
from emulator.router import Router, Traffic  # noqa: E402
from emulator.version import RouterOSVersion  # noqa: E402
from generator.deploy.credentials import Secret  # noqa: E402
from generator.deploy.transport import Endpoint  # noqa: E402
from generator.probe.apply import probe  # noqa: E402

SECOND = 10**9
RATE = Traffic(download=1000 * 3600, upload=100 * 3600, per_ns=3600 * SECOND)
PASSWORD = "bench-probe-pw"


def make(users: int) -> Router:
    router = Router(RouterOSVersion.parse("7.16"), runner_factory=Interpreter)
    router.invoke("/user-manager", "set", {"enabled": "yes"})
    router.invoke("/user-manager profile", "add", {"name": "Gold"})
    for i in range(users):
        name = f"u{i:05d}"
        router.invoke("/user-manager user", "add", {"name": name})
        router.invoke("/user-manager user-profile", "add", {"user": name, "profile": "Gold"})
        session = router.nas.connect(name, RATE, interim_ns=300 * SECOND)
        assert session is not None
        router.advance(1)
        router.nas.disconnect(session, "user-request")
        router.nas.connect(name, RATE, interim_ns=300 * SECOND)
    router.advance(10)
    return router


def one(users: int) -> tuple[float, int, int, int, str]:
    router = make(users)
    version = router.version
    statements = router.statements_run
    with start_server(router, version, credentials=Credentials("bench", PASSWORD)) as server:
        endpoint = Endpoint("bench", "127.0.0.1", server.port, False, "bench", None, None, 120.0)
        started = time.perf_counter()
        report = probe(endpoint, Secret(PASSWORD), deadline=600.0)
        seconds = time.perf_counter() - started
    ran = router.statements_run - statements
    (totals,) = [o for o in report.observations if o.row == 1]
    return seconds, report.round_trips, report.writes, ran, totals.verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="10,100,200,1000", help="router sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many probes per size")
    args = parser.parse_args()
    sizes = [int(n) for n in args.users.split(",")]
    print(f"rosbill probe against an emulated RouterOS 7.16 (plain API, loopback), best of {args.repeat}")
    print(f"{'users':>6}  {'seconds':>8}  {'ratio':>6}  {'round trips':>11}  {'writes':>6}  {'statements':>10}  row 1")
    base = None
    for users in sizes:
        runs = [one(users) for _ in range(args.repeat)]
        seconds, trips, writes, ran, verdict = min(runs)
        base = base or seconds
        print(f"{users:>6}  {seconds:8.3f}  {seconds / base:6.1f}  {trips:>11}  {writes:>6}  {ran:>10}  {verdict}")


if __name__ == "__main__":
    main()
