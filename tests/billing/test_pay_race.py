"""``rosbill pay`` during a run that cannot be seen over the API (docs/assumptions.md rows 35, 36: the lock global and
the script jobs hidden from the API session): a payment that lands between a script's read of the user and its
write is kept, because every script takes ``paid``/``pamt``/``pday`` (and then ``owe``) from the comment as it is
right before the write (rbWriteState with ``uid=``, rsc_templates/common/state.rsc.j2). With the default visibility
``pay`` refuses instead (exit 6), now that the emulated router lists ``/system script job``.

Each scenario drives the real scripts on the emulated router (tests/billing/harness.py) with the emulated API server
on the same router (tests/deploy/labkit.py), and pays over the API at a chosen moment of the run: during a slow bill
mail (BillingMail), during a usage warning mail (UsageWarnings), during the wait for the Accounting-Stops before a
counter reset (Billing), during a slow Telegram request (BillingNotify)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from deploy.labkit import PASSWORD, Lab, config_data, lab, router_entry, write_config

from billing.harness import RESET, SHIPPED, Bench, loopback_http, user
from emulator.contract import MenuCall, RunContext
from emulator.router.behaviour import Behaviour
from emulator.router.clock import SECOND
from generator import payments
from generator.cli import main
from generator.deploy.credentials import Secret
from generator.deploy.transport import ApiTarget
from generator.errors import ExitCode

VERSIONS = ("6.49", "7.16")
HIDDEN = Behaviour(api_globals="hidden", api_script_jobs="hidden")
OCT_END = dt.datetime(2026, 10, 31, 8, 0)
NOV_END = dt.datetime(2026, 11, 30, 8, 0)
LITE_CAP = 3_000_000_000  # the shipped Lite package's cap (bytes)


@dataclass
class Pay:
    """One ``pay`` over the API, started ``delay_s`` after the script's first call that ``trigger`` accepts."""

    user: str
    trigger: Callable[[MenuCall], bool]
    delay_s: float = 10.0
    payment: payments.Payment = field(default_factory=payments.Payment)
    recorded: payments.Recorded | None = None
    refused: Exception | None = None
    at: dt.datetime | None = None
    triggered: bool = False


@contextmanager
def paying(bench: Bench, pay: Pay) -> Iterator[Lab]:
    """Serves the bench's router over the API and arms ``pay``: it runs from a clock event while the script waits
    (a mail poll, the wait for the Stops), as an operator's ``rosbill pay`` would reach the router meanwhile."""
    with lab(str(bench.version), router=bench.router) as one:
        original = bench.router.call

        def run_pay() -> None:
            pay.at = bench.router.now()
            target = ApiTarget.connect(one.endpoint(), Secret(PASSWORD))
            try:
                pay.recorded = payments.record(target, pay.user, pay.payment)
            except (payments.RunActive, payments.WriteConflict) as refused:
                pay.refused = refused
            finally:
                target.close()

        def call(menu_call: MenuCall, ctx: RunContext) -> Any:
            if not ctx.api and not pay.triggered and pay.trigger(menu_call):
                pay.triggered = True
                clock = bench.router.clock
                clock.at(clock.now + int(pay.delay_s * SECOND), "rosbill pay", run_pay)
            return original(menu_call, ctx)

        bench.router.call = call  # type: ignore[method-assign,assignment]
        try:
            yield one
        finally:
            bench.router.call = original  # type: ignore[method-assign]


def mail_to(address: str) -> Callable[[MenuCall], bool]:
    def accepts(menu_call: MenuCall) -> bool:
        return (
            menu_call.menu == ("tool", "e-mail")
            and menu_call.command == "send"
            and (menu_call.args.get("to") == address.encode())
        )

    return accepts


def closing_sessions(menu_call: MenuCall) -> bool:
    """Billing's look for the billed users' PPP sessions to close, right before it waits for their Stops."""
    return menu_call.menu == ("ppp", "active") and menu_call.command in ("print", "remove")


def october_billed(version: str, config: str = SHIPPED, behaviour: Behaviour = HIDDEN) -> Bench:
    """ann and bob with October billed and mailed (the clock stays at October's last day)."""
    bench = Bench(version, [user("ann"), user("bob")], config=config, start=OCT_END, behaviour=behaviour)
    bench.use("ann", 1_000_000_000)
    bench.bill()
    assert bench.state("ann")["per"] == "2026-10" and bench.state("ann")["um"] == "ok"
    return bench


def paid_keys(bench: Bench, name: str) -> dict[str, str]:
    state = bench.state(name)
    return {k: state[k] for k in ("paid", "pamt", "pday") if k in state}


def expected_pay(bench: Bench, pay: Pay, period: str, amount: str) -> dict[str, str]:
    assert pay.refused is None, pay.refused
    assert pay.recorded is not None and pay.recorded.outcome.kind == "paid"
    assert pay.at is not None
    return {"paid": period, "pamt": amount, "pday": str(payments.day_number(pay.at.date()))}


def paid_during(
    bench: Bench, script: str, trigger: Callable[[MenuCall], bool], period: str, delay_s: float = 10.0
) -> dict[str, str]:
    """ann pays ``period`` in full over the API ``delay_s`` after ``script``'s first call that ``trigger`` accepts,
    while the run goes on; checks that the payment was recorded and that the run's own writes kept it (paid=, the Lite
    price, the day it was paid); returns ann's state after the run."""
    pay = Pay("ann", trigger, delay_s=delay_s)
    with paying(bench, pay):
        bench.run(script)
    assert pay.triggered
    assert paid_keys(bench, "ann") == expected_pay(bench, pay, period, "19900")
    return bench.state("ann")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_payment_during_a_slow_bill_mail_is_kept(version: str) -> None:
    bench = october_billed(version)
    bench.at(NOV_END)
    bench.run("Billing")  # November billed; BillingMail sends it
    assert bench.state("ann")["per"] == "2026-11"
    bench.router.mail.schedule(NOV_END, NOV_END + dt.timedelta(days=1), delivery_s=30)
    state = paid_during(bench, "BillingMail", mail_to("ann@example.net"), "2026-11")
    assert "owe" not in state  # pay removed it (nothing open after 2026-11); BillingMail kept that
    assert state["um"] == "ok" and state["per"] == "2026-11"  # BillingMail's own write is there too
    assert "paid" not in bench.state("bob")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_partial_payment_during_a_slow_bill_mail_is_kept(version: str) -> None:
    bench = october_billed(version)
    bench.at(NOV_END)
    bench.run("Billing")
    bench.router.mail.schedule(NOV_END, NOV_END + dt.timedelta(days=1), delivery_s=30)
    pay = Pay("ann", mail_to("ann@example.net"), payment=payments.Payment(amount=5000, partial=True))
    with paying(bench, pay):
        bench.run("BillingMail")
    assert pay.refused is None and pay.recorded is not None and pay.recorded.outcome.kind == "partial"
    state = bench.state("ann")
    assert state["pamt"] == "5000" and "paid" not in state and state["um"] == "ok"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_payment_during_a_usage_warning_mail_is_kept(version: str) -> None:
    bench = october_billed(version)
    bench.at(dt.datetime(2026, 11, 20, 12, 0))
    bench.use("ann", LITE_CAP * 85 // 100)
    bench.router.mail.schedule(dt.datetime(2026, 11, 20), dt.datetime(2026, 11, 21), delivery_s=30)
    state = paid_during(bench, "UsageWarnings", mail_to("ann@example.net"), "2026-10")
    assert state["lvl"] == "75" and "wf" not in state  # the 75% warning's own write


@pytest.mark.parametrize("version", VERSIONS)
def test_a_payment_during_billing_s_wait_for_the_stops_is_kept(version: str) -> None:
    bench = october_billed(version, RESET)
    bench.at(NOV_END)
    state = paid_during(bench, "Billing", closing_sessions, "2026-10", delay_s=1.0)
    assert state["per"] == "2026-11" and "rst" not in state  # Billing's bill and reset are there too
    assert bench.state("bob")["per"] == "2026-11" and "paid" not in bench.state("bob")


@pytest.mark.parametrize("version", VERSIONS)
def test_with_the_run_visible_pay_refuses_during_it_via_the_job_list(version: str) -> None:
    bench = october_billed(version, behaviour=Behaviour(api_globals="hidden"))  # only the jobs can show the run
    bench.at(NOV_END)
    bench.run("Billing")
    bench.router.mail.schedule(NOV_END, NOV_END + dt.timedelta(days=1), delivery_s=30)
    pay = Pay("ann", mail_to("ann@example.net"))
    with paying(bench, pay):
        bench.run("BillingMail")
    assert isinstance(pay.refused, payments.RunActive)
    assert "rosbill's BillingMail is running" in str(pay.refused)
    assert "paid" not in bench.state("ann")


@pytest.mark.parametrize("version", VERSIONS)
def test_rosbill_pay_exits_6_during_a_run_the_job_list_shows(
    version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line: ``rosbill pay`` during BillingMail's slow mail, the lock hidden, the jobs listed: exit 6."""
    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
    bench = october_billed(version, behaviour=Behaviour(api_globals="hidden"))
    bench.at(NOV_END)
    bench.run("Billing")
    bench.router.mail.schedule(NOV_END, NOV_END + dt.timedelta(days=1), delivery_s=30)
    codes: list[int] = []
    with lab(str(bench.version), router=bench.router) as one:
        config = write_config(tmp_path, config_data(router_entry("r1", version, one.server.port)))
        original = bench.router.call

        def run_pay() -> None:
            codes.append(main(["pay", "--config", str(config), "--timeout", "5", "ann"]))

        def call(menu_call: MenuCall, ctx: RunContext) -> Any:
            if not ctx.api and not codes and mail_to("ann@example.net")(menu_call):
                codes.append(-1)
                clock = bench.router.clock
                clock.at(clock.now + 10 * SECOND, "rosbill pay", run_pay)
            return original(menu_call, ctx)

        bench.router.call = call  # type: ignore[method-assign,assignment]
        bench.run("BillingMail")
    assert codes == [-1, ExitCode.BUSY]
    assert "rosbill's BillingMail is running" in capsys.readouterr().err
    assert "paid" not in bench.state("ann")


def enforce_bench(version: str) -> Bench:
    """ann's October bill unpaid on 8 November, with 7 grace days: tonight's Enforce restricts her and mails the
    reminder (tests/billing/test_enforce.py, test_enforce_v6.py)."""
    from billing import test_enforce, test_enforce_v6

    start = dt.datetime(2026, 11, 8, 12, 0)
    if version.startswith("6"):
        bench = test_enforce_v6.bench6([user("ann")], config=test_enforce_v6.UNPAID6, start=start, behaviour=HIDDEN)
    else:
        bench = Bench(version, [user("ann")], config=test_enforce.UNPAID, start=start, behaviour=HIDDEN)
    test_enforce.billed(bench)
    return bench


@pytest.mark.parametrize("version", VERSIONS)
def test_a_payment_during_enforce_s_reminder_mail_is_kept_and_the_next_run_lifts_the_restriction(version: str) -> None:
    bench = enforce_bench(version)
    bench.router.mail.schedule(dt.datetime(2026, 11, 8), dt.datetime(2026, 11, 9), delivery_s=30)
    state = paid_during(bench, "Enforce", mail_to("ann@example.net"), "2026-10")
    assert "owe" not in state  # pay cleared it; Enforce took that because paid= moved
    assert state["rm"] == "ok" and state["rsd"]  # Enforce's own reminder state; restricted until its next run
    bench.run("Enforce")
    state = bench.state("ann")
    assert "rsd" not in state and "rm" not in state and state["paid"] == "2026-10"


RUN_KV = '{"owe"="2026-10";"per"="2026-10";"um"="ok"}'  # what the run read earlier, with its own um=ok
RUN = "rb{owe=2026-10;per=2026-10;um=ok}"


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # nothing happened since the run's read
        ("rb{owe=2026-10;per=2026-10;um=1/20000}", RUN),
        # pay ran: paid moved, so owe (removed by pay), pamt and pday come from the comment; the run's um= stays
        (
            "rb{paid=2026-10;pamt=19900;pday=20400;per=2026-10;um=1/20000}",
            "rb{paid=2026-10;pamt=19900;pday=20400;per=2026-10;um=ok}",
        ),
        # a partial pay: paid did not move, so owe stays the run's
        ("rb{owe=2026-10;pamt=7;pday=20401;per=2026-10}", "rb{owe=2026-10;pamt=7;pday=20401;per=2026-10;um=ok}"),
        # the comment cannot be read (broken block, no block): the run's keys are written as they were
        ("rb{paid=2026-11", RUN),
        ("operator text only", RUN),
        # text around the block does not change what is taken (pre and post are the run's, as before)
        ("x rb{paid=2026-11;pamt=5;pday=20410;per=2026-10} y", "rb{paid=2026-11;pamt=5;pday=20410;per=2026-10;um=ok}"),
    ],
)
def test_rbwritestate_takes_the_payment_keys_from_the_comment_as_it_is_now(
    version: str, now: str, expected: str
) -> None:
    """The run read ann's comment earlier (kv, no payment) and now writes ``um=ok``; the user's comment is ``now`` at
    the moment of the write."""
    bench = Bench(version, [user("ann")], start=OCT_END, behaviour=HIDDEN)
    bench.run("BillingFunctions")
    bench.set_comment("ann", now)
    result = bench.router.run(
        f':global rbWriteState\n:global rbOut [$rbWriteState pre="" post="" kv={RUN_KV} '
        f'uid=([{bench.user_menu} find where {bench.login}="ann"]->0)]'
    )
    assert result.ok, result
    assert bench.router.environment["rbOut"] == expected.encode()


@contextmanager
def slow_receiver(delay_s: float) -> Iterator[tuple[int, list[bytes]]]:
    """A loopback HTTP server that answers every POST like the Bot API ({"ok":true}) after ``delay_s`` real seconds
    (the emulated fetch advances the router's clock by the time it took); yields its port and the request bodies."""
    import http.server
    import time

    bodies: list[bytes] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            bodies.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            time.sleep(delay_s)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok":true,"result":{}}')

        def log_message(self, *args: object) -> None:
            pass

    with loopback_http(Handler) as port:
        yield port, bodies


def fetching(menu_call: MenuCall) -> bool:
    return menu_call.menu == ("tool",) and menu_call.command == "fetch"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_payment_during_a_slow_notify_request_is_kept(version: str) -> None:
    """BillingNotify sends November's bill by Telegram; ``pay`` lands while the request is under way. BillingNotify's
    write of nb=ok after the request keeps the payment (rbWriteState uid=, as the mail path)."""
    import json

    from billing.test_notify import ANN, BOT, LITE, notify_config

    with slow_receiver(2.0) as (server_port, bodies):
        bench = Bench(version, [user("ann", comment=ANN)], config=notify_config(server_port, bill="[tg]"),
                      start=NOV_END, behaviour=HIDDEN)  # fmt: skip
        bench.notify_keys(tg=BOT, sms="x")
        bench.use("ann", LITE // 10)
        bench.bill()
        assert bench.state("ann")["nb"].startswith("0/") and "paid" not in bench.state("ann")
        state = paid_during(bench, "BillingNotify", fetching, "2026-11", delay_s=1.0)
    assert [json.loads(b)["text"] for b in bodies] == [
        "Example Wireless: invoice EW-10001 for 2026-11: R 199.00 due. Thank you, Ann."
    ]
    assert state["nb"] == "ok" and state["per"] == "2026-11"  # BillingNotify's own write is there too
