"""``rosbill pay`` and ``rosbill report`` (issue 12): payments and open bills over the RouterOS API.

Part of the CLI: it parses, connects (deploy's transport and credentials: the password from
``ROSBILL_PASSWORD_<ROUTER>`` / ``ROSBILL_PASSWORD`` or a prompt, TLS as the config says), prints and returns exit
codes. What to write and what to show is worked out in ``generator/payments.py``; docs/payments.md explains it.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence

from generator import build as build_stage
from generator import cli_options as opts
from generator import payments
from generator.cli import command, login_name, one_line, print_warnings, report
from generator.config import Config
from generator.deploy.transport import ApiTarget, Deadline, Endpoint
from generator.errors import DeployError, ExitCode
from generator.simreport import money

#: A rosbill run is active on the router: nothing was written; the same command can be run again later (docs/cli.md).
BUSY = ExitCode.BUSY

PAY_EXITS = ("0 recorded and read back, or already paid (nothing written); 2 usage or config error, or the payment "
             "refused (amount, period, unknown user, broken state: nothing written); 5 the router could not be "
             "reached or logged in to, a command failed, or the comment changed at the same moment; 6 a rosbill run "
             "is active: nothing written, pay again later")  # fmt: skip
REPORT_EXITS = "0 listed (users with broken state included, as such); 2 usage or config error; 5 the router could " \
    "not be reached, logged in to, or read"  # fmt: skip


def _amount(text: str) -> int:
    try:
        return payments.cents(text)
    except ValueError as bad:
        raise argparse.ArgumentTypeError(one_line(str(bad))) from None


def _period(text: str) -> str:
    try:
        return payments.period(text)
    except ValueError as bad:
        raise argparse.ArgumentTypeError(one_line(str(bad))) from None


def _connection(p: argparse.ArgumentParser) -> None:
    opts.add_config(p)
    opts.add_router(p, "the router (once; optional when the config has one router)")
    opts.add_timeouts(p, "the whole command")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = command(sub, "pay", "record a user's payment in its state on the router (over the API)",
                "Record that USER paid: by default the last bill (per=) with its amount due. Writes paid=, owe=, "
                "pamt= and pday= into the rb{} block of the user's User Manager comment (the operator's text and "
                "other keys unchanged) and reads it back. Refused while a rosbill run is active on the router. "
                "--now then runs the Enforce script so a restriction is lifted at once. docs/payments.md.",
                "rosbill pay --router core1 ann --amount 179.10 --now", PAY_EXITS)  # fmt: skip
    p.add_argument("user", metavar="USER", type=login_name, help="the User Manager login name")
    p.add_argument(
        "--period",
        type=_period,
        metavar="YYYY-MM",
        help="the billed period paid (default: the user's last bill); earlier ones count as paid too",
    )
    p.add_argument(
        "--amount",
        type=_amount,
        metavar="X",
        help="the amount paid, e.g. 179.10 (default: the amount due of that bill)",
    )
    p.add_argument(
        "--partial", action="store_true", help="record an amount below what is due without marking the period paid"
    )
    p.add_argument("--now", action="store_true", help="then run Enforce, so a restriction is lifted at once")
    _connection(p)
    opts.add_json(p)
    opts.add_output(p)
    p.set_defaults(func=cmd_pay)

    p = command(sub, "report", "list open bills, days overdue, restricted and throttled users (read-only, API)",
                "Read every User Manager user of the router and list the open bill (invoice, period, amount due), "
                "the oldest unpaid period and the days overdue against billing.grace_days (the router's date), "
                "whether the user is restricted or throttled, and the last payment. Writes nothing on the router. "
                "A user whose state cannot be read is listed as such.",
                "rosbill report --router core1 --csv > open-bills.csv", REPORT_EXITS)  # fmt: skip
    _connection(p)
    which = p.add_mutually_exclusive_group()
    opts.add_json(which)  # type: ignore[arg-type]
    which.add_argument("--csv", action="store_true", help="CSV on stdout (one header line, amounts like 199.00)")
    opts.add_output(p)
    p.set_defaults(func=cmd_report)


def _connect(args: argparse.Namespace) -> tuple[ApiTarget, str, Config]:
    """The connection to the one router (``--router``), its name and the config."""
    config, _, warnings = build_stage.load_with_warnings(args.config)
    print_warnings(warnings)
    router = opts.one_router(config, args.router, args.config)
    endpoint = Endpoint.of(router, args.timeout)
    return ApiTarget.connect(endpoint, opts.api_password(router), Deadline(args.deadline)), router.name, config


def cmd_pay(args: argparse.Namespace) -> int:
    document = report(args)
    target, name, config = _connect(args)
    currency = config.company.currency
    payment = payments.Payment(args.period, args.amount, args.partial)
    try:
        try:
            done = payments.record(target, args.user, payment, currency=currency)
        except payments.RunActive as busy:
            document.setdefault("errors", []).append(str(busy))
            print(one_line(f"rosbill: {busy}"), file=sys.stderr)
            return BUSY
        outcome = done.outcome
        document.update({"router": name, "user": args.user, "result": outcome.kind, "period": outcome.period,
                         "amount_cents": outcome.amount, "due_cents": outcome.due, "changes": dict(outcome.changes),
                         "notes": list(outcome.notes + done.notes)})  # fmt: skip
        for note in outcome.notes + done.notes:
            print(one_line(f"{name}: {args.user}: note: {note}"), file=sys.stderr)
        if outcome.kind == "already_paid":
            print(one_line(f"{name}: {args.user}: {outcome.period} is already paid; nothing written"))
        else:
            paid = "paid" if outcome.kind == "paid" else "partial payment recorded (period not marked paid)"
            amount = f"{money(outcome.amount or 0)} {currency}"
            print(one_line(f"{name}: {args.user}: {outcome.period} {paid}: {amount}; comment written and read back"))
        if args.now:
            try:
                enforced = payments.run_enforce(target, done.router, args.user)
            except DeployError as failed:
                raise DeployError(f"{failed} (the payment is recorded; Enforce lifts the restriction at the next "
                                  "Oversight run)") from None  # fmt: skip
            document["enforce"] = {"installed": enforced.installed, "restricted_after": enforced.restricted_after}
            if not enforced.installed:
                print(
                    one_line(
                        f"{name}: warning: the Enforce script is not installed on this router (deploy a build "
                        "that has it); the user's state changes at the next Oversight run"
                    ),
                    file=sys.stderr,
                )
            elif enforced.restricted_after:
                print(
                    one_line(
                        f"{name}: {args.user}: Enforce ran; the user is still restricted (a run may hold the "
                        "lock, or an older bill is still unpaid: see rosbill report)"
                    ),
                    file=sys.stderr,
                )
            else:
                print(one_line(f"{name}: {args.user}: Enforce ran; the user is not restricted"))
    finally:
        target.close()
    return ExitCode.OK


def cmd_report(args: argparse.Namespace) -> int:
    target, name, config = _connect(args)
    grace = config.billing.grace_days
    try:
        router, rows = payments.read_report(target, grace_days=grace, invoice_format=config.billing.invoice.format,
                                            router_name=name)  # fmt: skip
    finally:
        target.close()
    document = report(args)
    document.update({"router": name, "routeros": router.version_text, "date": router.today.isoformat(),
                     "grace_days": grace, "currency": config.company.currency,
                     "users": [r.as_json() for r in rows]})  # fmt: skip
    if args.csv:
        sys.stdout.write(_csv(rows))
        return ExitCode.OK
    if args.json:
        return ExitCode.OK
    grace_text = f"{grace} grace days" if grace is not None else "billing.grace_days not set: nobody is restricted"
    print(one_line(f"{name}: {len(rows)} users, router date {router.today.isoformat()}, {grace_text}; amounts in "
                   f"{config.company.currency}"))  # fmt: skip
    for line in _table(payments.COLUMNS, [payments.table_cells(r) for r in rows]):
        print(one_line(line))
    return ExitCode.OK


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    cells = [tuple(header)] + [tuple(one_line(c) for c in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]


def _csv(rows: Sequence[payments.ReportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(payments.CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(c) for c in payments.csv_cells(row)])
    return out.getvalue()


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection: a leading = + - @ tab or CR)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
