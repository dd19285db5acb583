"""``make fleet-demo``: ansible-playbook converges several emulated routers on loopback with the rosbill.routeros
collection, twice: the first run writes every router, the second writes nothing. Then a dry run (--check --diff)
of a changed schedule shows the plan's diff without writing.

The routers are emulated RouterOS routers served over api-ssl in this process (each with its own self-signed
certificate, pinned in the inventory); ansible-playbook runs as a subprocess, as an operator would run it.
Usage: python tests/ansible/fleet_demo.py [--routers N] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fleetkit import DEPLOY_ACTION, Run, fleet, playbook, write_config, write_inventory


def summary(label: str, run: Run) -> str:
    deployed = {host: record["result"] for host, record in run.results(DEPLOY_ACTION).items()}
    changed = sum(1 for r in deployed.values() if r.get("changed"))
    writes = sum(int(r.get("writes", 0)) for r in deployed.values())
    failed = sum(1 for record in run.results(DEPLOY_ACTION).values() if record["outcome"] == "failed")
    return (f"fleet-demo: {label}: {len(deployed)} routers, {changed} changed, {failed} failed, {writes} writes, "
            f"{run.seconds:.1f}s (exit {run.returncode})")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routers", type=int, default=4, choices=range(1, 41), metavar="N", help="1 to 40 (4)")
    parser.add_argument("--out", type=Path, default=Path("build/fleet-demo"), help="work folder (build/fleet-demo)")
    args = parser.parse_args()
    specs = [(f"edge{n:02d}", "6.49.10" if n % 4 == 0 else "7.16") for n in range(1, args.routers + 1)]
    out = args.out.resolve()
    lines = []
    with fleet(specs) as routers:
        for router in routers:
            print(f"fleet-demo: {router.name}: emulated RouterOS {router.version} on 127.0.0.1:{router.server.port} "
                  "(api-ssl, certificate pinned in the inventory)", flush=True)  # fmt: skip
        config = write_config(out / "config", routers)
        inventory = write_inventory(out, routers)
        print(f"fleet-demo: inventory {inventory}, billing config {config}", flush=True)
        for label, options, billing in (
            ("run 1", (), config),
            ("run 2", (), config),
            ("dry run of a new schedule time", ("--check", "--diff"), write_config(out / "changed", routers,
                                                                                  schedule_time="23:40")),
        ):  # fmt: skip
            print(f"\nfleet-demo: {label}: ansible-playbook rosbill.routeros.converge {' '.join(options)}", flush=True)
            run = playbook(inventory, billing, out / "build", *options, stream=True, report=True)
            lines.append(summary(label, run))
            if run.returncode != 0:
                print("\n".join(lines))
                return run.returncode
    print("\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
