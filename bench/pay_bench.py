"""Print what ``rosbill report`` and ``rosbill pay`` cost against a router with many users. Not a test: it prints.

Run from the repository root:  ``.venv/bin/python bench/pay_bench.py [--users 1000]``

Each version gets an emulated router (tests/deploy/labkit.py: plain API on loopback, the real routeros-api client)
with ``--users`` User Manager users whose comments hold an open bill, then runs, in one process, side by side:
``report`` (table), ``report --csv`` and one ``pay``. It prints the wall time, the lines printed and the API
sentences the router answered (login included), so a change that makes report read user by user shows at once.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from deploy.labkit import PASSWORD, config_data, lab, router_entry, write_config  # noqa: E402

from generator.cli import main  # noqa: E402

VERSIONS = (("7.16", "/user-manager user", "name"), ("6.49.10", "/tool user-manager user", "username"))


def run(users: int) -> None:
    os.environ["ROSBILL_PASSWORD"] = PASSWORD  # the emulated router's test password, not a secret
    print(f"{'version':8} {'command':12} {'exit':>4} {'wall s':>7} {'lines':>6} {'API calls':>9}")
    with tempfile.TemporaryDirectory() as scratch:
        for version, menu, login in VERSIONS:
            with lab(version) as one:
                extra = {"customer": b"admin"} if login == "username" else {}
                for i in range(users):
                    state = f"rb{{bdisc=0;bprice=19900;no={10000 + i};owe=2026-10;per=2026-11}}"
                    one.router.invoke(menu, "add", {login: f"u{i:05d}".encode(), "comment": state.encode(), **extra})
                data = config_data(router_entry("r1", version, one.server.port))
                config = write_config(Path(scratch) / version, data)
                paid = f"u{users // 2:05d}"
                commands = {
                    "report": ["report", "--config", str(config)],
                    "report --csv": ["report", "--config", str(config), "--csv"],
                    "pay": ["pay", "--config", str(config), paid, "--period", "2026-10", "--amount", "199"],
                }
                for label, argv in commands.items():
                    before = len(one.recorder.calls)
                    start = time.monotonic()
                    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()):
                        code = main(argv)
                    wall = time.monotonic() - start
                    lines = len(out.getvalue().splitlines())
                    calls = len(one.recorder.calls) - before
                    print(f"{version:8} {label:12} {code:>4} {wall:>7.2f} {lines:>6} {calls:>9}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=1000, help="User Manager users on each router (default 1000)")
    run(parser.parse_args().users)
