"""Print what the billing system costs on the emulated router. Not a test: it prints figures.

Run from the repository root:  ``.venv/bin/python bench/sim_bench.py [--users 1000] [--months 12] [--interim 1h]``

1. Router-side cost per user: menu commands and interpreter statements per user for one UsageWarnings run and one
   Billing run (200 users, half of them crossing a level), on RouterOS 6.49 and 7.16. The goal is at most one bulk
   read of each table per run plus one write per changed user.
2. Wall time to simulate ``--users`` users for ``--months`` months of nightly runs (the population of
   tests/billing/scenario.py: daily usage windows, users that never log off, discounts, a broken comment), including
   RADIUS accounting every ``--interim``. Goal: under 60 s on a 2-core machine for 1,000 users and 12 months.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import yaml  # noqa: E402
from billing.harness import Bench, user  # noqa: E402
from billing.scenario import population  # noqa: E402

from emulator import simulate  # noqa: E402
from emulator.version import RouterOSVersion  # noqa: E402
from generator.cli_sim import build_for, target  # noqa: E402
from generator.config import load  # noqa: E402


def per_user(version: str, users: int = 200) -> None:
    bench = Bench(version, [user(f"u{i:03d}") for i in range(users)], start=dt.datetime(2026, 11, 29, 0, 30))
    bench.use_many({f"u{i:03d}": 1_600_000_000 for i in range(0, users, 2)})  # 53 % of Lite: one warning each
    for script, moment in (
        ("UsageWarnings", dt.datetime(2026, 11, 29, 12, 0)),
        ("Billing", dt.datetime(2026, 11, 30, 12, 0)),
        ("BillingMail", dt.datetime(2026, 11, 30, 12, 10)),
    ):
        bench.at(moment)
        bench.calls.clear()
        started = time.perf_counter()
        result = bench.run(script)
        took = time.perf_counter() - started
        calls = Counter({f"/{menu} {command}": n for (menu, command), n in bench.calls.items()})
        bulk = sorted(f"{k} x{n}" for k, n in calls.items() if n <= 3)
        per = {k: round(n / users, 2) for k, n in calls.items() if n > 3}
        print(
            f"  {version:5} {script:13} {result.statements / users:6.1f} statements/user  "
            f"{took * 1000 / users:5.2f} ms/user"
        )
        print(f"  {'':19} per run: {', '.join(bulk)}")
        print(f"  {'':19} per user: {per}")


def scenario(version: str, users: int, months: int, interim: str) -> None:
    start = dt.datetime(2026, 1, 1, 0, 5)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "users.yaml"
        path.write_text(yaml.safe_dump(population(users, start, interim=interim)))
        config = load(ROOT / "config" / "billing.yaml")
        files = build_for(config, target(config.routers[0], version), "bench").rendered.files  # as `rosbill simulate`
        started = time.perf_counter()
        sim = simulate.prepare(files, RouterOSVersion.parse(version), path)
        prepared = time.perf_counter() - started
        timeline = simulate.run(sim, simulate.add_months(start, months))
        took = time.perf_counter() - started
    print(
        f"  {version:5} {users} users x {months} months (interim {interim}): {took:6.1f} s wall "
        f"(set-up {prepared:.1f} s), {len(timeline.mails())} mails, {len(timeline.of('state'))} state changes"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--interim", default="1h")
    parser.add_argument("--versions", default="6.49,7.16")
    args = parser.parse_args()
    versions = args.versions.split(",")
    print("Router-side cost per user and run (200 users):")
    for version in versions:
        per_user(version)
    print("Simulation wall time:")
    for version in versions:
        scenario(version, args.users, args.months, args.interim)


if __name__ == "__main__":
    main()
