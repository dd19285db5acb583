"""BillingNotify's unpaid reminder (notify.unpaid_reminder; docs/notify.md): once per restriction (Enforce's rsd=,
recorded in nr=<rsd day>/<state>), by Telegram and a webhook to a real HTTP server on 127.0.0.1, on RouterOS 6.49 and
7.16; retried with back-off and reported when the server fails; never lost and never sent twice unmarked when the
power fails at any distinct point of the run; a new restriction after a payment gets a new message.

RouterOS 6 Enforce (restriction by profile) is being built elsewhere, so on 6.49 the restricted state is written into
the comment directly (owe=, rsd=, as Enforce writes them) and the config has no grace_days (a warning, not an error).
On 7.16 one test lets Enforce restrict and restore the user."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from billing.harness import SHIPPED, Bench, cut_and_run_again, distinct_points, subject, user, users_with_telegram
from billing.test_notify import BEARER, BOT, Receiver
from billing.test_notify import receiver as receiver_fixture  # noqa: F401 (a fixture: pytest finds it by this name)
from emulator.router.behaviour import Behaviour
from generator.config import NOTIFY_TEXT_ROOM, loads, loads_checked, notify_weights
from generator.errors import ConfigError
from generator.render import render

VERSIONS = ["6.49", "7.16"]
DAY = dt.datetime(2026, 11, 20, 12, 0)
RSD = (dt.date(2026, 11, 9) - dt.date(1970, 1, 1)).days  # restricted on 9 November
BILL = "per=2026-10;no=10007;bpkg=Lite;bprice=19900;bdisc=0;bcap=3000;use=1500000000;base=0;um=ok;am=ok"
ANN = f"rb{{email=ann@example.net;first=Ann;last=Tester;tg=12345;phone=+27821234567;{BILL};owe=2026-10;rsd={RSD}}}"
TEXT = (
    "{company}: {first_name}, invoice {invoice} ({owed_period}) is {days_overdue} days overdue: {currency} "
    "{amount_due}. You used {percent}% of {cap}."
)
#: 20 November is 20 days after October ended (Enforce counts from the 1st of the next month, that day being 1).
EXPECTED = "Example Wireless: Ann, invoice EW-10007 (2026-10) is 20 days overdue: R 199.00. You used 50% of 3000 MB."
#: The copy sent a day later counts the days on the day it is sent.
NEXT_DAY = EXPECTED.replace("20 days", "21 days")
UNPAID = "  mail_budget: 3h", "  grace_days: 7\n  unpaid: {rate: 128k/128k}\n  mail_budget: 3h"


@pytest.fixture
def server(receiver_fixture: Receiver) -> Receiver:  # noqa: F811 (the imported fixture, by name)
    """The loopback HTTP server of test_notify (its fixture ``receiver``)."""
    return receiver_fixture


def reminder_config(port: int, version: str, *, text: str = TEXT, timeout: str = "20s", sms_port: int = 0) -> str:
    base = SHIPPED.replace(*UNPAID) if version.startswith("7") else SHIPPED
    return base + (
        "\nnotify:\n  channels:\n"
        f'    tg: {{type: telegram, url: "http://127.0.0.1:{port}", token_env: ROSBILL_TEST_TG}}\n'
        "    sms:\n      type: webhook\n"
        f'      url: "http://127.0.0.1:{sms_port or port}/sms/send?to={{phone}}"\n'
        "      token_env: ROSBILL_TEST_SMS\n"
        '      body: \'{"to": {phone}, "message": {text}, "kind": {kind}}\'\n'
        f"  unpaid_reminder:\n    channels: [tg, sms]\n    text: {json.dumps(text, ensure_ascii=False)}\n"
        f"  timeout: {timeout}\n"
    )


def bench(
    version: str, server: Receiver, comment: str = ANN, behaviour: Behaviour | None = None, **options: object
) -> Bench:
    made = Bench(version, [user("ann", comment=comment)], config=reminder_config(server.port, version, **options),  # type: ignore[arg-type]
                 start=DAY, behaviour=behaviour)  # fmt: skip
    made.notify_keys(sms=BEARER, tg=BOT)
    return made


def texts(server: Receiver) -> list[str]:
    """Every message the server took, Telegram's and the webhook's, in order."""
    out = []
    for path, _, data in server.requests:
        body = json.loads(data)
        out.append(body["text"] if path.startswith("/bot") else body["message"])
    return out


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_restricted_user_gets_exactly_one_reminder_by_each_channel_with_the_right_text(
    version: str, server: Receiver
) -> None:
    made = bench(version, server)
    made.run("BillingNotify")
    assert server.telegram() == [{"chat_id": "12345", "text": EXPECTED}]
    ((path, _, body),) = server.webhook()
    assert path == "/sms/send?to=%2B27821234567"
    assert body == {"to": "+27821234567", "message": EXPECTED, "kind": "unpaid_reminder"}
    assert made.state("ann")["nr"] == f"{RSD}/ok"
    made.run("BillingNotify")
    made.at(DAY + dt.timedelta(days=5))
    made.run("BillingNotify")
    assert len(server.requests) == 2  # once per restriction, however many runs follow


def test_enforce_restricts_then_billingnotify_sends_and_a_payment_and_a_new_restriction_send_a_new_one(
    version: str, server: Receiver
) -> None:
    """End to end: Enforce restricts ann on 8 November (October's bill 7 days overdue; on RouterOS 6 by moving her to
    the Unpaid profile), BillingNotify sends one message; paid= restores her and nothing is sent; November's bill
    unpaid restricts her again on 8 December: a new message, not marked as re-sent."""
    from billing.test_enforce_v6 import profile, throttle_profiles

    comment = f"rb{{email=ann@example.net;first=Ann;last=Tester;tg=12345;{BILL}}}"
    config = reminder_config(server.port, "7.16")
    if version.startswith("6"):  # RouterOS 6: the restriction is the operator's Unpaid profile (docs/enforce.md)
        config = config.replace('version: "7.16"', 'version: "6.49"').replace(
            "  unpaid: {rate: 128k/128k}\n", "  unpaid: {profile: Unpaid}\n"
        )
    made = Bench(version, [user("ann", comment=comment)], config=config, start=dt.datetime(2026, 11, 8, 12, 0))
    if version.startswith("6"):
        throttle_profiles(made, "Unpaid")
    made.notify_keys(tg=BOT)

    def restricted() -> bool:
        """rsd= set, and on RouterOS 6 on the Unpaid profile (off it: on her own, Lite)."""
        if version.startswith("6"):
            assert profile(made, "ann") == ("Unpaid" if "rsd" in made.state("ann") else "Lite")
        return "rsd" in made.state("ann")

    made.run("Enforce")
    assert restricted()
    first = made.state("ann")["rsd"]
    made.run("BillingNotify")
    assert [m["text"] for m in server.telegram()] == [
        "Example Wireless: Ann, invoice EW-10007 (2026-10) is 8 days overdue: R 199.00. You used 50% of 3000 MB."
    ]
    assert made.state("ann")["nr"] == f"{first}/ok"
    made.set_comment("ann", made.comment("ann").replace("owe=2026-10", "owe=2026-10;paid=2026-10"))
    made.at(dt.datetime(2026, 11, 9, 12, 0))
    made.run("Enforce")
    assert not restricted()
    made.run("BillingNotify")
    assert len(server.requests) == 1
    # November billed (as Billing records it), unpaid: restricted again on 8 December.
    made.set_comment("ann", made.comment("ann").replace("per=2026-10;", "per=2026-11;").replace("no=10007", "no=10008"))
    made.at(dt.datetime(2026, 12, 8, 12, 0))
    made.run("Enforce")
    assert restricted()
    again = made.state("ann")["rsd"]
    assert again != first and made.state("ann")["owe"] == "2026-11"
    made.run("BillingNotify")
    assert [m["text"] for m in server.telegram()][1:] == [
        "Example Wireless: Ann, invoice EW-10008 (2026-11) is 8 days overdue: R 199.00. You used 50% of 3000 MB."
    ]
    assert made.state("ann")["nr"] == f"{again}/ok"


def test_a_paid_and_then_newly_restricted_user_gets_a_new_message(version: str, server: Receiver) -> None:
    """The states Enforce leaves (rsd= cleared on payment; a new rsd= day when restricted again, here the same
    afternoon: a payment taken back): nr= of the old restriction does not hold back the new one, which is not marked
    as re-sent. (Runs within one afternoon: the nightly Oversight would bill and enforce on its own.)"""
    made = bench(version, server)
    made.run("BillingNotify")
    made.set_comment("ann", made.comment("ann").replace(f";rsd={RSD}", "").replace("owe=2026-10", "paid=2026-10"))
    made.at(DAY + dt.timedelta(hours=1))
    made.run("BillingNotify")
    assert len(server.requests) == 2 and made.state("ann")["nr"] == f"{RSD}/ok"
    today = (DAY.date() - dt.date(1970, 1, 1)).days
    made.set_comment("ann", made.comment("ann").replace("paid=2026-10", f"owe=2026-10;rsd={today}"))
    made.at(DAY + dt.timedelta(hours=2))
    made.run("BillingNotify")
    assert texts(server)[2:] == [EXPECTED, EXPECTED]
    assert made.state("ann")["nr"] == f"{today}/ok"
    made.run("BillingNotify")
    assert len(server.requests) == 4


def test_a_user_without_a_complete_bill_gets_no_message_and_is_reported(version: str, server: Receiver) -> None:
    made = bench(version, server, comment=f"rb{{email=ann@example.net;first=Ann;tg=12345;owe=2026-10;rsd={RSD}}}")
    made.run("BillingNotify")
    assert server.requests == [] and "nr" not in made.state("ann")
    (report,) = [m for m in made.mails() if m.to == "accounts@example.net" and "BillingNotify" in subject(m)]
    assert "ann: no complete bill in the comment: no unpaid reminder message" in report.body_text


def test_a_broken_nr_skips_the_user_and_is_reported(version: str, server: Receiver) -> None:
    made = bench(version, server, comment=ANN.replace("}", ";nr=x/y}"))
    made.run("BillingNotify")
    assert server.requests == []
    (report,) = [m for m in made.mails() if m.to == "accounts@example.net"]
    assert "ann: skipped: nr= in the comment is not valid (docs/comment-format.md)" in report.body_text


def test_a_failing_server_is_retried_with_back_off_marked_and_reported(version: str, server: Receiver) -> None:
    made = bench(version, server)
    server.status = [500, 500, 200]
    made.run("BillingNotify")
    today = (DAY.date() - dt.date(1970, 1, 1)).days
    assert made.state("ann")["nr"] == f"{RSD}/1/{today}"
    (report,) = [m for m in made.mails() if m.to == "accounts@example.net" and "BillingNotify" in subject(m)]
    assert "ann: the unpaid_reminder message by tg was not delivered; retried on a later run" in report.body_text
    assert "ann: the unpaid_reminder message by sms was not delivered; retried on a later run" in report.body_text
    made.run("BillingNotify")  # the same day: the back-off waits a day
    assert len(server.requests) == 2
    made.at(DAY + dt.timedelta(days=1))
    made.run("BillingNotify")
    assert texts(server)[2:] == ["(re-sent) " + NEXT_DAY] * 2
    assert made.state("ann")["nr"] == f"{RSD}/ok"


def test_a_refused_connection_keeps_the_reminder_pending_until_every_channel_took_it(
    version: str, server: Receiver
) -> None:
    made = bench(version, server, sms_port=9)
    made.run("BillingNotify")
    assert len(server.telegram()) == 1 and made.state("ann")["nr"].startswith(f"{RSD}/1/")
    assert any("ann: the unpaid_reminder message by sms was not delivered" in line for line in made.warnings_logged())


def test_a_silent_server_is_cut_at_the_timeout_and_the_reminder_retried(server: Receiver) -> None:
    made = bench("7.16", server, timeout="1s")
    server.delay = 2.0
    started = made.router.clock.now
    made.run("BillingNotify")
    assert (made.router.clock.now - started) / 1e9 < 2 * 2.0 + 10
    assert made.state("ann")["nr"].startswith(f"{RSD}/1/")
    server.delay = 0.0
    made.at(DAY + dt.timedelta(days=1))
    made.run("BillingNotify")
    assert made.state("ann")["nr"] == f"{RSD}/ok" and texts(server)[-1] == "(re-sent) " + NEXT_DAY


def test_hostile_text_and_names_reach_the_server_as_written(version: str, server: Receiver) -> None:
    text = 'Pay "now" \\ $uName $[:log info pwned] [:put x] ?\n€ é 😀 {invoice} {first_name}'
    first = 'Jo"\\$[:log info pwned] é'
    made = bench(version, server, comment=ANN.replace("first=Ann", f"first={first}"), text=text)
    made.run("BillingNotify")
    expected = f'Pay "now" \\ $uName $[:log info pwned] [:put x] ?\n€ é 😀 EW-10007 {first}'
    assert texts(server) == [expected, expected]
    assert not any("pwned" in str(e.message) for e in made.router.logs.entries)


# --- a power cut during BillingNotify ---------------------------------------------------------------------------

MUTATING = frozenset({"set", "add", "remove", "send", "fetch"})


@pytest.mark.parametrize("version", VERSIONS)
def test_a_power_cut_at_every_distinct_point_never_loses_the_reminder_and_marks_a_second_copy(
    version: str, server: Receiver
) -> None:
    """Cut before every statement that writes, sends, fetches or waits (and before the first): after the boot and
    BillingNotify's next runs (the next day's too, when the attempt was recorded but not its outcome) the reminder was
    delivered by both channels, nr= is ok, and every copy after the first of each channel starts "(re-sent) "."""
    sweep(version, server, Behaviour(), marked=True)


def test_a_power_cut_that_loses_the_last_writes_still_never_loses_the_reminder_and_marks_a_second_copy(
    server: Receiver,
) -> None:
    """With the writes of the last seconds lost (assumption 29): the attempts are written flush_wait before the first
    request, so the attempt survives the cut and the copy sent again is marked; none is lost."""
    sweep("7.16", server, Behaviour(power_cut_loses_writes_s=4.0), marked=True)


def sweep(version: str, server: Receiver, behaviour: Behaviour, *, marked: bool) -> None:
    def ready() -> Bench:  # the install and the keys on flash before the run starts
        made = bench(version, server, behaviour=behaviour)
        made.router.advance(30)
        return made

    made = ready()
    _, points = distinct_points(made.router, lambda: made.run("BillingNotify"), MUTATING)
    assert len(points) >= 5 and len(server.requests) == 2
    for cut in points:
        server.requests.clear()
        made = ready()
        cut_and_run_again(made, "BillingNotify", cut, DAY + dt.timedelta(minutes=30))
        if made.state("ann")["nr"] != f"{RSD}/ok":
            made.at(DAY + dt.timedelta(days=1, minutes=30))
            made.run("BillingNotify")
        assert made.state("ann")["nr"] == f"{RSD}/ok", cut
        by_telegram = [m["text"] for m in server.telegram()]
        by_webhook = [b["message"] for _, _, b in server.webhook()]
        for got in (by_telegram, by_webhook):
            assert got, f"cut {cut}: the reminder was lost"
            assert {t.removeprefix("(re-sent) ") for t in got} <= {EXPECTED, NEXT_DAY}, cut
            if marked:
                assert all(t.startswith("(re-sent) ") for t in got[1:]), (cut, got)


# --- config and size --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("{level}% used", "{level} is not available in this template"),
    ("{days_overdu} days", "did you mean {days_overdue}?"),
    ("a lone { brace", 'a lone "{"'),
])  # fmt: skip
def test_a_text_with_a_placeholder_the_reminder_mail_does_not_offer_is_a_located_error(text: str, message: str) -> None:
    source = reminder_config(1, "7.16", text=text)
    with pytest.raises(ConfigError) as caught:
        loads(source, "billing.yaml")
    (problem,) = caught.value.problems
    line = source.splitlines()[problem.location.line - 1]
    assert message in str(problem) and problem.key == "notify.unpaid_reminder.text" and "text:" in line


def test_without_grace_days_the_reminder_is_a_warning() -> None:
    _, warnings = loads_checked(reminder_config(1, "6.49"), "billing.yaml")
    (warning,) = [w for w in warnings if w.key == "notify.unpaid_reminder"]
    assert "nobody is restricted without billing.grace_days" in str(warning)


NAMES = ["t" * 24, "w" * 24, "x" * 24]
HEADS = {
    "user_bill": "{company} {invoice} {amount_due} {discount} {period} {first_name} {last_name} {cap} ",
    "user_warning": "{company} {level} {used_mb} {cap} {percent} {package} {first_name} ",
    "unpaid_reminder": "{company} {invoice} {amount_due} {owed_period} {days_overdue} {percent} {grace_days} ",
}


def worst_config(version: str, texts: dict[str, str]) -> str:
    """Three channels with 24-character names and long variable names, every kind sent by all of them."""
    chans = f"    {NAMES[0]}: {{type: telegram, token_env: ROSBILL_{'T' * 56}}}\n" + "".join(
        f"    {n}: {{type: webhook, url: 'https://sms.example.net/send?to={{phone}}&u={{username}}', "
        f'token_env: ROSBILL_{n.upper()}, body: \'{{"to": {{phone}}, "m": {{text}}, "k": {{kind}}}}\'}}\n'
        for n in NAMES[1:]
    )
    kinds = "".join(
        f"  {k}: {{channels: [{', '.join(NAMES)}], text: {json.dumps(t, ensure_ascii=False)}}}\n"
        for k, t in texts.items()
    )
    base = SHIPPED.replace(*UNPAID) if version.startswith("7") else SHIPPED
    return base.replace('version: "7.16"', f'version: "{version}"') + "\nnotify:\n  channels:\n" + chans + kinds


def fits(version: str, texts: dict[str, str]) -> bool:
    try:
        loads(worst_config(version, texts))
    except ConfigError:
        return False
    return True


def fullest(version: str, fill: str) -> dict[str, str]:
    """Every placeholder each kind offers, then ``fill`` added to the texts in turn (in steps of 64, 8, then 1) while
    the config check accepts it: the texts at the edge of the budget."""
    texts = dict(HEADS)
    for step in (64, 8, 1):
        grown = True
        while grown:
            grown = False
            for kind in texts:
                trial = {**texts, kind: texts[kind] + fill * step}
                if len(trial[kind]) <= 600 and fits(version, trial):
                    texts, grown = trial, True
    return texts


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("fill", ["x", '"', "€", "😀 ", "$?\\\n"])
def test_every_config_the_budget_accepts_builds_under_the_script_limit(version: str, fill: str) -> None:
    """At the edge of the budget, with any kind of text, BillingNotify and BillingFunctions stay under 30,000 bytes;
    one fill more is refused at a text, with the numbers."""
    texts = fullest(version, fill)
    config = loads(worst_config(version, texts))
    assert sum(notify_weights(config)[0].values()) + 3 * 260 <= NOTIFY_TEXT_ROOM
    files = render(config, config.routers[0], "0" * 64).files
    assert len(files["billingnotify.rsc"]) < 30_000 and len(files["functions.rsc"]) < 30_000
    open_kinds = [k for k in texts if len(texts[k] + fill) <= 600]
    if not open_kinds:  # plain ASCII: three 600-character texts and three channels fit
        assert fill == "x"
        return
    with pytest.raises(ConfigError) as caught:
        loads(worst_config(version, {**texts, open_kinds[0]: texts[open_kinds[0]] + fill}), "billing.yaml")
    (problem,) = caught.value.problems
    assert "room for" in str(problem) and problem.key.startswith("notify.") and problem.key.endswith(".text")


def webhooks_config(version: str, pads: list[str]) -> str:
    """Webhook channels whose bodies carry the given padding (JSON string content), all sending the reminder."""
    names = [f"w{i}" for i in range(len(pads))]

    def body(pad: str) -> str:  # {"m": {text}, "p": "<pad>"}, as a YAML string
        template = json.dumps({"m": "@", "p": pad}, ensure_ascii=False).replace('"@"', "{text}")
        return json.dumps(template, ensure_ascii=False)

    chans = "".join(
        f"    {n}: {{type: webhook, url: 'https://sms.example.net/send?to={{phone}}', body: {body(pad)}}}\n"
        for n, pad in zip(names, pads, strict=True)
    )
    base = SHIPPED.replace(*UNPAID) if version.startswith("7") else SHIPPED
    return (
        base.replace('version: "7.16"', f'version: "{version}"')
        + "\nnotify:\n  channels:\n"
        + chans
        + f"  unpaid_reminder: {{channels: [{', '.join(names)}], text: '{{invoice}}'}}\n"
    )


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("fill", ["x", "\\u00e9", '\\"'])
def test_the_channels_requests_the_budget_accepts_keep_billingfunctions_under_the_script_limit(
    version: str, fill: str
) -> None:
    """Webhook bodies grown on six channels (with x, a raw é, or a quote that JSON writes as \\") until the check
    refuses one more: BillingFunctions, which holds the requests, stays under 30,000 bytes."""
    pads = [""] * 6
    for step in (256, 32, 4, 1):
        grown = True
        while grown:
            grown = False
            for i in range(len(pads)):
                trial = [*pads[:i], pads[i] + fill * step, *pads[i + 1 :]]
                try:
                    loads(webhooks_config(version, [json.loads(f'"{p}"') for p in trial]))
                except ConfigError:
                    continue
                pads, grown = trial, True
    config = loads(webhooks_config(version, [json.loads(f'"{p}"') for p in pads]))
    files = render(config, config.routers[0], "0" * 64).files
    assert len(files["functions.rsc"]) < 30_000 and len(files["billingnotify.rsc"]) < 30_000
    with pytest.raises(ConfigError) as caught:
        loads(webhooks_config(version, [json.loads(f'"{p}"') for p in [pads[0] + fill * 40, *pads[1:]]]), "b.yaml")
    assert any("room for" in str(p) or "at most 2000" in str(p) for p in caught.value.problems)


def test_simulate_shows_one_reminder_message_when_the_user_is_restricted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main

    config = tmp_path / "billing.yaml"
    config.write_text(
        SHIPPED.replace("  # grace_days: 14\n", "  grace_days: 5\n  unpaid: {rate: 128k/128k}\n")
        + "notify:\n  channels:\n    tg: {type: telegram, token_env: ROSBILL_TG}\n"
        + "  unpaid_reminder: {channels: [tg], text: '{company}: {invoice} ({owed_period}) is {days_overdue} days "
        + "overdue.'}\n"
    )
    fixture = users_with_telegram(tmp_path)
    assert main(["simulate", "--config", str(config), "--users", str(fixture), "--months", "2", "--brief"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "  MSG   " in line]
    assert len(lines) == 1 and lines[0].startswith("2026-12-06 ")  # November + 5 grace days: the 6th
    assert lines[0].endswith('{"chat_id":"12345","text":"Example Wireless: EW-10002 (2026-11) is 6 days overdue."}')


@pytest.mark.parametrize("version", ["7.16"])
def test_percent_in_enforce_s_reminder_mail_is_the_usage_as_billed(version: str) -> None:
    """The reminder mail's ``{percent}`` is computed where the bill's is (rsc_templates/common/bill_vars.rsc.j2):
    use= × 100 / bcap= of the last bill, rounded down."""
    from billing import test_enforce

    config = test_enforce.UNPAID.replace(
        "mail:\n",
        'mail:\n  unpaid_reminder:\n    subject: "Restricted: {percent}% of {cap} used"\n'
        '    body: "Pay {invoice} for {owed_period}."\n',
        1,
    )
    made = Bench(version, [user("ann")], config=config, start=dt.datetime(2026, 11, 8, 12, 0))
    test_enforce.billed(made, use="1116000000")  # 37.2 % of 3000 MB
    made.run("Enforce")
    (mail,) = [m for m in made.mails() if m.to == "ann@example.net"]
    assert subject(mail) == "Restricted: 37% of 3000 MB used"
    assert made.state("ann")["rm"] == "ok"
