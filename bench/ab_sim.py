"""Time one simulation of a given checkout, for before/after comparisons of emulator speed work (issue 9).

Run: ``.venv/bin/python bench/ab_sim.py ROOT VERSION USERS MONTHS [prof]``. ROOT is a checkout: this working tree, or
a base copy made with ``mkdir -p /tmp/base && git archive HEAD | tar -x -C /tmp/base``. Not a test: it prints CPU
seconds (set-up included), emulated statements, peak RSS, mails, state changes and a hash of every timeline entry.
The same statements and the same hash for base and new mean the same results; time base and new alternately, since
the machine is noisy. ``prof`` adds a cProfile listing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    root = Path(sys.argv[1]).resolve()
    sys.path[:0] = [str(root), str(root / "tests")]
    import yaml
    from billing.scenario import population

    from emulator import simulate
    from emulator.version import RouterOSVersion
    from generator.cli_sim import build_for, target
    from generator.config import load

    version, users, months = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    profile = len(sys.argv) > 5 and sys.argv[5] == "prof"
    start = dt.datetime(2026, 1, 1, 0, 5)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "users.yaml"
        path.write_text(yaml.safe_dump(population(users, start, interim="1h")))
        config = load(root / "config" / "billing.yaml")
        files = build_for(config, target(config.routers[0], version), "bench").rendered.files
        cpu = time.process_time()
        sim = simulate.prepare(files, RouterOSVersion.parse(version), path)
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            timeline = simulate.run(sim, simulate.add_months(start, months))
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
            pstats.Stats(profiler).sort_stats("cumtime").print_stats(60)
        else:
            timeline = simulate.run(sim, simulate.add_months(start, months))
        cpu = time.process_time() - cpu
    digest = hashlib.sha256(repr([(e.at, e.kind, e.text) for e in timeline.entries]).encode()).hexdigest()[:16]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"cpu {cpu:.2f} statements {sim.router.statements_run} rss {rss} MB mails {len(timeline.mails())} "
        f"states {len(timeline.of('state'))} hash {digest}"
    )


if __name__ == "__main__":
    main()
