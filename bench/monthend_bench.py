"""How long the month-end run takes on the router, in emulated time. Not a test: it prints figures.

Run from the repository root:  ``.venv/bin/python bench/monthend_bench.py [--users 1000,10000] [--delivery 2]``

For each size and RouterOS version (6.49 and 7.16 side by side), N users with a month of usage are put on an emulated
router and the 23:50 run of the last day is timed on the router's clock: Billing (recording every bill; in reset mode
also closing, locking, resetting and reading again) and BillingMail (the accounts digest, one mail per user, the
report), with every mail taking ``--delivery`` seconds at the SMTP server. It prints the emulated minutes of each part,
the statements the interpreter ran per user, the menu commands per user, and the CPU seconds the emulation took.

The router's own speed is not modelled: emulated time is mail delivery, ``:delay`` (the 5 s before mail goes out, the
waits for Accounting-Stop and for a reset) and polling, with each statement taking no time. ``--statement-us`` adds an
assumed cost per statement (no figures for a real router were found; docs/billing-safety.md uses 50 us and 200 us).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from billing.harness import RESET, SHIPPED, Bench, user  # noqa: E402


def one(version: str, users: int, delivery: float, config: str) -> dict[str, float]:
    start = dt.datetime(2026, 11, 30, 12, 0)
    population = [user(f"u{i:05d}", ("Lite", "Home", "Business", "Unlimited")[i % 4]) for i in range(users)]
    bench = Bench(version, population, config=config, start=start)
    bench.router.mail.delivery_ns = int(delivery * 10**9)
    bench.use_many({f"u{i:05d}": 1_000_000_000 + i for i in range(users)})
    bench.at(dt.datetime(2026, 11, 30, 23, 49, 59))
    router = bench.router
    marks: dict[str, int] = {}
    original = router.run_source

    def timed(source, *, name, path, policy, mode="script"):  # type: ignore[no-untyped-def]
        began = router.clock.now
        result = original(source, name=name, path=path, policy=policy, mode=mode)
        marks[name] = marks.get(name, 0) + router.clock.now - began
        return result

    router.run_source = timed  # type: ignore[method-assign]
    bench.calls.clear()
    steps = router.statements_run
    cpu = time.process_time()
    bench.at(dt.datetime(2026, 12, 1, 6, 0))
    cpu = time.process_time() - cpu
    statements = router.statements_run - steps
    sent = sum(1 for m in router.mail.outbox if m.time >= dt.datetime(2026, 11, 30, 23, 50))
    per_command = Counter({f"{c}": n for (_, c), n in bench.calls.items()})
    return {
        "billing_min": marks.get("Billing", 0) / 60e9,
        "mail_min": marks.get("BillingMail", 0) / 60e9,
        "statements_per_user": statements / users,
        "statements": statements,
        "commands_per_user": sum(per_command.values()) / users,
        "writes_per_user": per_command["set"] / users,
        "mails": sent,
        "cpu_s": cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="1000")
    parser.add_argument("--delivery", type=float, default=2.0, help="seconds per mail at the SMTP server")
    parser.add_argument("--versions", default="6.49,7.16")
    parser.add_argument("--statement-us", default="50,200", help="assumed router cost per statement, microseconds")
    parser.add_argument("--reset", action="store_true", help="counter_reset: reset (close, lock, reset, read again)")
    args = parser.parse_args()
    config = RESET if args.reset else SHIPPED
    costs = [float(c) for c in args.statement_us.split(",")]
    print(f"month-end run, {'reset' if args.reset else 'baseline'} mode, {args.delivery:g} s per mail")
    for users in (int(u) for u in args.users.split(",")):
        for version in args.versions.split(","):
            r = one(version, users, args.delivery, config)
            assumed = ", ".join(f"+{r['statements'] * c / 60e6:.0f} min at {c:g} us/statement" for c in costs)
            print(
                f"  {version:5} {users:6} users: Billing {r['billing_min']:6.1f} min, "
                f"BillingMail {r['mail_min']:6.1f} min emulated ({r['mails']} mails); "
                f"{r['statements_per_user']:.0f} statements, "
                f"{r['commands_per_user']:.1f} commands ({r['writes_per_user']:.1f} writes) per user; {assumed}; "
                f"emulation {r['cpu_s']:.1f} s CPU"
            )


if __name__ == "__main__":
    main()
