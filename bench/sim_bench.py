"""Print what the billing system costs on the emulated router. Not a test: it prints figures.

Run from the repository root:  ``.venv/bin/python bench/sim_bench.py [--users 1000] [--months 12] [--interim 1h]``

1. Router-side cost per user: menu commands and interpreter statements per user for one UsageWarnings run and one
   Billing run (200 users, half of them crossing a level), on RouterOS 6.49 and 7.16. The goal is at most one bulk
   read of each table per run plus one write per changed user.
2. The year: ``--users`` and ``--scale`` times as many users for ``--months`` months of nightly runs (the population
   of tests/billing/scenario.py: daily usage windows, users that never log off, discounts, a broken comment),
   including RADIUS accounting every ``--interim``, on both versions side by side in one run. Each simulation runs in
   a fresh process of its own, so its peak RSS is its own. Printed per version: CPU seconds of the simulation (set-up
   included: fixture, install.rsc), emulated statements, peak RSS, users per CPU second, and the ratio of the larger
   population's CPU time to the smaller one's. Goals (issue 9): 1,000 users x 12 months under 60 s CPU, peak RSS under
   300 MB, 3,000 users at most 3.3 x the time of 1,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
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


def scenario(version: str, users: int, months: int, interim: str) -> dict[str, float]:
    """One simulation in this process: CPU seconds, statements, peak RSS (MB), mails, state changes."""
    start = dt.datetime(2026, 1, 1, 0, 5)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "users.yaml"
        path.write_text(yaml.safe_dump(population(users, start, interim=interim)))
        config = load(ROOT / "config" / "billing.yaml")
        files = build_for(config, target(config.routers[0], version), "bench").rendered.files  # as `rosbill simulate`
        cpu = time.process_time()
        wall = time.perf_counter()
        sim = simulate.prepare(files, RouterOSVersion.parse(version), path)
        timeline = simulate.run(sim, simulate.add_months(start, months))
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
    return {
        "cpu": cpu,
        "wall": wall,
        "statements": sim.router.statements_run,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # kB on Linux
        "mails": len(timeline.mails()),
        "states": len(timeline.of("state")),
    }


def in_child(version: str, users: int, months: int, interim: str) -> dict[str, float]:
    """:func:`scenario` in a fresh interpreter, so that the peak RSS is this simulation's alone."""
    command = [sys.executable, __file__, "--child", f"{version},{users},{months},{interim}"]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def year(versions: list[str], users: int, scale: int, months: int, interim: str) -> None:
    sizes = [users, users * scale] if scale > 1 else [users]
    results = {(v, n): in_child(v, n, months, interim) for n in sizes for v in versions}
    width = 24
    print(f"  {'':26}" + "".join(f"{v:>{width}}" for v in versions))
    rows: list[tuple[str, Callable[[dict[str, float]], str]]] = [
        ("CPU s", lambda f: f"{f['cpu']:.1f}"),
        ("wall s", lambda f: f"{f['wall']:.1f}"),
        ("emulated statements", lambda f: f"{f['statements'] / 1e6:.2f} M"),
        ("statements / CPU s", lambda f: f"{f['statements'] / f['cpu'] / 1e6:.2f} M"),
        ("peak RSS", lambda f: f"{f['rss']:.0f} MB"),
        ("users / CPU s", lambda f: f"{f['users'] / f['cpu']:.1f}"),
        ("mails, state changes", lambda f: f"{f['mails']:.0f}, {f['states']:.0f}"),
    ]
    for n in sizes:
        print(f"  {n} users x {months} months (interim {interim}):")
        for label, show in rows:
            cells = "".join(f"{show({**results[(v, n)], 'users': n}):>{width}}" for v in versions)
            print(f"    {label:24}{cells}")
    if len(sizes) == 2:
        ratios = "".join(
            f"{results[(v, sizes[1])]['cpu'] / results[(v, sizes[0])]['cpu']:>{width}.2f}" for v in versions
        )
        print(f"  CPU ratio {sizes[1]}/{sizes[0]} users (linear: {scale}){'':4}{ratios}")
    print("  goals: 1,000 users x 12 months < 60 s CPU, peak RSS < 300 MB, ratio 3,000/1,000 <= 3.3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--scale", type=int, default=3, help="also run this many times --users (1: only --users)")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--interim", default="1h")
    parser.add_argument("--versions", default="6.49,7.16")
    parser.add_argument("--skip-per-user", action="store_true", help="only the year")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        version, users, months, interim = args.child.split(",")
        print(json.dumps(scenario(version, int(users), int(months), interim)))
        return
    versions = args.versions.split(",")
    if not args.skip_per_user:
        print("Router-side cost per user and run (200 users):")
        for version in versions:
            per_user(version)
    print("Simulation (each in its own process):")
    year(versions, args.users, args.scale, args.months, args.interim)


if __name__ == "__main__":
    main()
