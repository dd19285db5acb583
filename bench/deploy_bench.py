"""Print what a deploy costs: API round trips and wall time. Not a test: it prints figures.

Run from the repository root:  ``.venv/bin/python bench/deploy_bench.py [--routers 20] [--plain]``

Every router is an emulated RouterOS 7.16 router served on loopback over api-ssl (its certificate pinned by
fingerprint, as in production), reached with the real routeros-api client through ``generator.deploy.fleet``:

1. a first deploy to one router (preflight, plan, backup, syntax gate, write, read-back);
2. a no-op redeploy of the same build (must write nothing);
3. ``--all`` to ``--routers`` routers at once (one thread and connection per router), first deploy and no-op.

Round trips count every API sentence sent, the login included; writes count every command that changes something,
including the syntax gate's temporary ``/file`` add and remove (two per script written). All servers share this
process with the clients, so the ``--all`` wall time includes the emulated routers' own work under one GIL.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from emulator.api import Credentials, RunningServer, start_server  # noqa: E402
from emulator.lab import emulated_router  # noqa: E402
from emulator.version import RouterOSVersion  # noqa: E402
from generator import build as build_stage  # noqa: E402
from generator.deploy import desired, fleet  # noqa: E402
from generator.deploy.credentials import Secret  # noqa: E402
from generator.deploy.transport import Endpoint  # noqa: E402

VERSION = "7.16"
USER = "rosbill"


def serve(stack: ExitStack, count: int, tls: bool, password: Secret) -> list[RunningServer]:
    version = RouterOSVersion.parse(VERSION)
    credentials = Credentials(USER, password.reveal())
    return [
        stack.enter_context(start_server(emulated_router(version), version, tls=tls, credentials=credentials))
        for _ in range(count)
    ]


def jobs(servers: list[RunningServer], folder: Path, password: Secret, prefix: str) -> list[fleet.Job]:
    """Writes a config naming every server, builds it like ``rosbill build``, and makes one job per router."""
    data = yaml.safe_load((ROOT / "config" / "billing.yaml").read_text(encoding="utf-8"))
    data["routers"] = []
    data["billing"]["invoice"]["format"] = "{router}-{number}"  # every router counts its own invoice numbers
    for number, server in enumerate(servers, 1):
        certificate = server.info.certificate
        entry = {"name": f"{prefix}{number:02d}", "host": "127.0.0.1", "port": server.port, "version": VERSION,
                 "user": USER, "tls": certificate is not None}  # fmt: skip
        if certificate is not None:
            entry["fingerprint"] = certificate.sha256
        data["routers"].append(entry)
    config_path = folder / f"{prefix}.yaml"
    config_path.write_text(yaml.safe_dump(data), encoding="utf-8")
    config, digest = build_stage.load(config_path)
    out = folder / "build"
    out_jobs = []
    for built in build_stage.build(config, digest, out):
        assert not built.failing
        build_stage.write(built, out)
    for router in config.routers:
        desired.check_fresh(config, digest, out, router)
        build = desired.load(out / router.name, config, router)
        out_jobs.append(fleet.deploy_job(build, Endpoint.of(router), password, out / "backups"))
    return out_jobs


def report(label: str, results: list[fleet.Result], wall: float) -> None:
    trips = [r.round_trips for r in results]
    writes = [r.writes for r in results]
    statuses = sorted({r.status.value for r in results})
    per_router = statistics.median(r.seconds for r in results)
    counts = f"{sum(trips):>6} round trips ({statistics.median(trips):>4.0f}/router)  {sum(writes):>4} writes"
    print(f"  {label:<34} {counts}  wall {wall:6.3f}s  (median router {per_router:.3f}s)  {'/'.join(statuses)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routers", type=int, default=20, help="routers for the --all run (default 20)")
    parser.add_argument("--plain", action="store_true", help="plain API instead of api-ssl")
    args = parser.parse_args()
    tls = not args.plain
    password = Secret(secrets.token_urlsafe(16))
    print(f"rosbill deploy benchmark: RouterOS {VERSION} emulated routers on loopback, {'api-ssl' if tls else 'api'}, "
          f"routeros-api client")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="rosbill-bench-") as temp, ExitStack() as stack:
        folder = Path(temp)
        single = jobs(serve(stack, 1, tls, password), folder, password, "one")
        for label in ("first deploy, 1 router", "no-op redeploy, 1 router"):
            started = time.perf_counter()
            results = [fleet.deploy(single[0])]
            report(label, results, time.perf_counter() - started)
            assert results[0].exit_code == 0, results[0].message
        many = jobs(serve(stack, args.routers, tls, password), folder, password, "r")
        for label in (f"--all first deploy, {args.routers} routers", f"--all no-op, {args.routers} routers"):
            started = time.perf_counter()
            results = fleet.deploy_many(many)
            report(label, results, time.perf_counter() - started)
            assert all(r.exit_code == 0 for r in results), [r.message for r in results if r.exit_code]


if __name__ == "__main__":
    main()
