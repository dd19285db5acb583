"""BillingNotify on the emulated router, talking to a real HTTP server on 127.0.0.1: Telegram and webhook messages with
the right text and JSON on both dialects, bills once per period (nb=), warnings once per level (nw=), failures retried
with back-off and reported to accounts, hostile data that cannot break the JSON or the URL, and tokens that never
reach build output, plans or backups (docs/notify.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import json
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from billing.harness import SHIPPED, Bench, loopback_http, subject, user, users_with_telegram
from emulator.contract import MenuCall, RunContext
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.router.behaviour import Behaviour
from emulator.version import RouterOSVersion as EmulatedVersion
from generator import encode
from generator.config import loads
from generator.dialects import RouterOSVersion, for_version
from generator.errors import ConfigError
from generator.render import environment, notify_context

VERSIONS = ["6.49", "7.16"]
LITE = 3_000_000_000
LAST_DAY = dt.datetime(2026, 11, 30, 8, 0)
BOT = "123456:AAF-bot_Token.x"
BEARER = "sms-Bearer-7Zq"
ANN = "rb{email=ann@example.net;first=Ann;last=Tester;phone=+27821234567;tg=12345}"


@dataclass
class Receiver:
    """A threaded HTTP server on loopback: records each request; answers with ``status`` (a list: one per request,
    the last repeated) after ``delay`` seconds."""

    port: int = 0
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    status: list[int] = field(default_factory=lambda: [200])
    delay: float = 0.0

    def telegram(self) -> list[dict[str, str]]:
        return [json.loads(data) for path, _, data in self.requests if path.startswith("/bot")]

    def webhook(self) -> list[tuple[str, dict[str, str], dict[str, str]]]:
        return [(path, headers, json.loads(data)) for path, headers, data in self.requests if path.startswith("/sms")]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append((self.path, dict(self.headers), data))
            if state.delay:
                time.sleep(state.delay)
            code = state.status.pop(0) if len(state.status) > 1 else state.status[0]
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            with contextlib.suppress(OSError):  # the router gave up waiting (the timeout tests)
                self.wfile.write(b'{"ok":true,"result":{}}' if code == 200 else b'{"ok":false}')

        def log_message(self, *args: object) -> None:
            pass

    with loopback_http(Handler) as state.port:
        yield state


def notify_config(port: int, *, timeout: str = "20s", sms_port: int | None = None, bill: str = "[tg, sms]") -> str:
    return (
        SHIPPED
        + f"""
notify:
  channels:
    tg: {{type: telegram, url: "http://127.0.0.1:{port}", token_env: ROSBILL_TEST_TG}}
    sms:
      type: webhook
      url: "http://127.0.0.1:{sms_port or port}/sms/send?to={{phone}}&u={{username}}"
      token_env: ROSBILL_TEST_SMS
      body: '{{"to": {{phone}}, "message": {{text}}, "kind": {{kind}}, "login": {{username}}}}'
      check_certificate: false
  user_bill:
    channels: {bill}
    text: "{{company}}: invoice {{invoice}} for {{period}}: {{currency}} {{amount_due}} due. Thank you, {{first_name}}."
  user_warning:
    channels: [tg, sms]
    text: "{{company}}: {{first_name}}, {{level}}% of your {{package}} data is used ({{used_mb}} of {{cap}})."
  timeout: {timeout}
"""
    )


def bench(version: str, receiver: Receiver, users: list[dict[str, object]], **options: object) -> Bench:
    made = Bench(version, users, config=notify_config(receiver.port, **options))  # type: ignore[arg-type]
    made.notify_keys(sms=BEARER, tg=BOT)
    return made


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_warning_reaches_telegram_and_the_webhook_with_the_right_text_and_json(version: str, receiver: Receiver):
    made = bench(version, receiver, [user("ann", comment=ANN), user("bob")])
    made.use("ann", LITE * 80 // 100)
    made.use("bob", LITE * 95 // 100)  # no tg= or phone=: the channels do not reach him
    made.run("BillingNotify")
    text = "Example Wireless: Ann, 75% of your Lite data is used (2400 of 3000 MB)."
    assert receiver.telegram() == [{"chat_id": "12345", "text": text}]
    ((path, headers, body),) = receiver.webhook()
    assert path == "/sms/send?to=%2B27821234567&u=ann"
    assert headers["Authorization"] == f"Bearer {BEARER}" and headers["Content-Type"] == "application/json"
    assert body == {"to": "+27821234567", "message": text, "kind": "user_warning", "login": "ann"}
    assert receiver.requests[0][0] == f"/bot{BOT}/sendMessage"
    assert made.state("ann")["nw"] == "75" and "nw" not in made.state("bob")
    made.run("BillingNotify")
    assert len(receiver.requests) == 2  # once per level
    made.use("ann", LITE * 15 // 100)
    made.run("BillingNotify")
    assert [m["text"] for m in receiver.telegram()][-1].endswith("90% of your Lite data is used (2850 of 3000 MB).")


def test_a_warning_counts_usage_as_usagewarnings_does(version: str, receiver: Receiver):
    """The same rbUsageLevel as UsageWarnings: counters minus base=, from 0 below base=, cap= in the comment."""
    users = [
        user("ann", comment=ANN.replace("rb{", "rb{base=9000000000;")),  # the counters are below base=: from 0
        user("cat", comment=ANN.replace("rb{", "rb{cap=unlimited;").replace("tg=12345", "tg=678")),
        user("dan", comment=ANN.replace("rb{", "rb{base=600000000;").replace("tg=12345", "tg=999")),
    ]
    made = bench(version, receiver, users)
    for name in ("ann", "cat", "dan"):
        made.use(name, LITE * 80 // 100)
    made.run("BillingNotify")
    assert sorted((m["chat_id"], m["text"][-40:]) for m in receiver.telegram()) == [
        ("12345", "75% of your Lite data is used (2400 of 3000 MB)."[-40:]),
        ("999", "50% of your Lite data is used (1800 of 3000 MB)."[-40:]),
    ]
    assert (made.state("ann")["nw"], made.state("dan")["nw"]) == ("75", "50") and "nw" not in made.state("cat")


def test_the_bill_is_sent_once_after_billing_by_every_channel_that_reaches_the_user(version: str, receiver: Receiver):
    made = Bench(version, [user("ann", comment=ANN)], config=notify_config(receiver.port), start=LAST_DAY)
    made.notify_keys(tg=BOT, sms="x")
    made.use("ann", LITE // 10)
    made.bill()
    assert made.state("ann")["nb"].startswith("0/")
    made.run("BillingNotify")
    bill = "Example Wireless: invoice EW-10001 for 2026-11: R 199.00 due. Thank you, Ann."
    assert [m["text"] for m in receiver.telegram()] == [bill]
    assert [b["message"] for _, _, b in receiver.webhook()] == [bill]
    assert made.state("ann")["nb"] == "ok"
    made.run("BillingNotify")
    assert len(receiver.requests) == 2


def test_a_failed_bill_message_is_retried_with_back_off_marked_as_re_sent_and_reported(
    version: str, receiver: Receiver
):
    made = Bench(version, [user("ann", comment=ANN)], config=notify_config(receiver.port, bill="[tg]"),
                 start=LAST_DAY)  # fmt: skip
    made.notify_keys(tg=BOT, sms="x")
    made.use("ann", LITE // 10)
    made.bill()
    made.mails()
    receiver.status = [500, 200]
    made.run("BillingNotify")
    day = made.state("ann")["nb"].split("/")[1]
    assert made.state("ann")["nb"] == f"1/{day}"
    reports = [m for m in made.mails() if m.to == "accounts@example.net"]
    assert len(reports) == 1 and "BillingNotify" in subject(reports[0])
    assert "ann: the user_bill message by tg was not delivered; retried on a later run" in reports[0].body_text
    made.run("BillingNotify")  # the same day: not due yet (1 day after the first failure)
    assert len(receiver.requests) == 1
    made.at(dt.datetime(2026, 12, 1, 8, 0))
    made.run("BillingNotify")
    assert len(receiver.requests) == 2
    assert receiver.telegram()[-1]["text"].startswith("(re-sent) Example Wireless: invoice EW-10001")
    assert made.state("ann")["nb"] == "ok"


def test_a_refused_connection_is_a_failure_and_the_other_channel_still_delivers(receiver: Receiver):
    made = Bench("7.16", [user("ann", comment=ANN)], config=notify_config(receiver.port, sms_port=9))
    made.notify_keys(tg=BOT, sms="x")
    made.use("ann", LITE // 2)
    made.run("BillingNotify")
    assert len(receiver.telegram()) == 1  # delivered by Telegram
    assert "nw" not in made.state("ann")  # not by the webhook: the warning is retried on the next run
    assert any("ann: the user_warning message by sms was not delivered" in line for line in made.warnings_logged())
    (report,) = [m for m in made.mails() if m.to == "accounts@example.net" and "BillingNotify" in subject(m)]
    assert "ann: the user_warning message by sms was not delivered; retried on a later run" in report.body_text
    made.run("BillingNotify")  # the same problems: not reported again
    assert not [m for m in made.mails() if m.to == "accounts@example.net"]


def test_a_silent_server_is_cut_after_the_timeout_and_three_failures_stop_the_channel(receiver: Receiver):
    users = [user(n, comment=f"rb{{email={n}@example.net;first=X;last=Y;tg=1{i}}}") for i, n in enumerate("abcde")]
    made = Bench("7.16", users, config=notify_config(receiver.port, timeout="1s"))
    made.notify_keys(tg=BOT, sms="x")
    made.use_many({n: LITE // 2 for n in "abcde"})
    receiver.delay = 2.0
    started = made.router.clock.now
    made.run("BillingNotify")
    assert len(receiver.requests) == 3  # three in a row failed: the channel waits for the next run
    (report,) = [m for m in made.mails() if m.to == "accounts@example.net" and "BillingNotify" in subject(m)]
    assert "Channel tg failed three times in a row; it sends nothing more this run." in report.body_text
    assert (made.router.clock.now - started) / 1e9 < 3 * 2.0 + 10
    assert all("nw" not in made.state(n) for n in "abcde")


def test_hostile_names_cannot_break_the_json_or_the_url(version: str, receiver: Receiver):
    first = 'Jo"\\$[:log info x] é€'  # quote, backslash, $, [, non-ASCII
    comment = f"rb{{email=ann@example.net;first={first};last=Tester;tg=12345;phone=+27821234567}}"
    made = bench(version, receiver, [user("a&b=c/d?e", comment=comment), user("bad", comment='rb{tg=1"2;phone=+1 2}')])
    made.use("a&b=c/d?e", LITE // 2)
    made.use("bad", LITE // 2)
    made.run("BillingNotify")
    expected = 'Example Wireless: Jo"\\$[:log info x] é€, 50% of your Lite data is used (1500 of 3000 MB).'
    assert receiver.telegram() == [{"chat_id": "12345", "text": expected}]
    ((path, _, body),) = receiver.webhook()
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(path).query) == {"to": ["+27821234567"], "u": ["a&b=c/d?e"]}
    assert body["login"] == "a&b=c/d?e" and body["message"] == expected
    assert not any(e.message == "x" for e in made.router.logs.entries)  # nothing ran the [:log] in the name
    problems = [line for line in made.warnings_logged() if "bad" in line]
    assert problems == [] and len(receiver.requests) == 2  # "bad" was skipped by both channels, reported below
    (report,) = [m for m in made.mails() if m.to == "accounts@example.net"]
    assert "bad: tg= in the comment is not a Telegram chat id; Telegram skips this user" in report.body_text
    assert "bad: phone= in the comment is not a phone number" in report.body_text


def test_config_text_with_routeros_syntax_reaches_the_server_as_written(receiver: Receiver):
    """URL and body text from the config go through the one encoder: nothing in them runs on the router."""
    config = (
        notify_config(receiver.port)
        .replace("/sms/send?to={phone}&u={username}", "/sms/$uName/(x)?to={phone}&q=$(pwned)")
        .replace('"login": {username}}', '"login": {username}, "raw": "$[:log info pwned] \\\\ $uName"}')
    )
    made = Bench("7.16", [user("ann", comment=ANN)], config=config)
    made.notify_keys(tg=BOT, sms="x")
    made.use("ann", LITE // 2)
    made.run("BillingNotify")
    ((path, _, body),) = receiver.webhook()
    assert path == "/sms/$uName/(x)?to=%2B27821234567&q=$(pwned)"
    assert body["raw"] == "$[:log info pwned] \\ $uName"
    assert not any("pwned" in str(e.message) for e in made.router.logs.entries)


def test_an_error_status_is_a_failure_also_when_fetch_returns_instead_of_failing(version: str, receiver: Receiver):
    made = Bench(version, [user("ann", comment=ANN)], config=notify_config(receiver.port),
                 behaviour=Behaviour(fetch_http_error="returns"))  # fmt: skip
    made.notify_keys(tg=BOT, sms="x")
    made.use("ann", LITE // 2)
    receiver.status = [500]
    made.run("BillingNotify")
    assert len(receiver.requests) == 2 and "nw" not in made.state("ann")
    receiver.status = [200]
    made.run("BillingNotify")
    assert made.state("ann")["nw"] == "50"


def _escaper(version: str) -> tuple[Router, str]:
    """A router and the two escaping functions as BillingNotify defines them."""
    config = loads(notify_config(1))
    dialect = for_version(RouterOSVersion.parse(version))
    source = environment(dialect).get_template("billingnotify_escape.rsc.j2").render(notify_context(config, dialect))
    return Router(EmulatedVersion.parse(version), runner_factory=Interpreter), source


@pytest.mark.parametrize("text", [
    bytes(range(1, 0x80)) + "é€😀 naïve".encode(),  # every ASCII byte and valid UTF-8
    b'\\"\\\\" $[:x] \x01\x1f\x7f',
])  # fmt: skip
def test_the_json_escaper_round_trips_every_ascii_byte_and_valid_utf8(version: str, text: bytes):
    router, source = _escaper(version)
    literal = encode.string(text)
    result = router.run(source + f"\n:put [$rbJsonText s={literal}]")
    assert result.ok, result
    (out,) = result.output
    assert json.loads(b'"' + out + b'"') == text.decode()


def test_the_json_escaper_turns_invalid_utf8_into_question_marks_and_stays_json(version: str):
    router, source = _escaper(version)
    text = b'Ren\xe9 "x" \xff\x80'
    (out,) = router.run(source + f"\n:put [$rbJsonText s={encode.string(text)}]").output
    assert json.loads(b'"' + out + b'"') == 'Ren? "x" ??'


def test_the_url_encoder_encodes_every_byte(version: str):
    router, source = _escaper(version)
    text = bytes(range(1, 0x100))
    result = router.run(source + f"\n:put [$rbUrlText s={encode.string(text)}]")
    assert result.ok, result
    (out,) = result.output
    assert set(out) <= set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%")
    assert urllib.parse.unquote_to_bytes(out) == text


# --- config --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("section", "message"), [
    ("  channels: {tg: {type: telegram}}\n  user_bill: {channels: [tg], text: x}\n", "needs token_env"),
    ("  channels: {tg: {type: telegram, token: abc}}\n", "passwords never go in the config file"),
    ("  channels: {w: {type: webhook, url: 'http://x/\"', body: '{}'}}\n  user_bill: {channels: [w], text: x}\n",
     "is not an http(s) URL"),
    ("  channels: {w: {type: webhook, url: 'http://x/', body: '{\"a\": {text}'}}\n"
     "  user_bill: {channels: [w], text: x}\n", "the body is not JSON"),
    ("  channels: {w: {type: webhook, url: 'http://x/', body: '{\"a\": {email}}'}}\n"
     "  user_bill: {channels: [w], text: x}\n", "{email} is not a placeholder here"),
    ("  channels: {w: {type: webhook, url: 'http://x/', body: '{}'}}\n  user_bill: {channels: [v], text: x}\n",
     'no channel "v"'),
    ("  channels: {w: {type: webhook, url: 'http://x/', body: '{}'}}\n"
     "  user_warning: {channels: [w], text: '{invoice}'}\n", "invoice"),
])  # fmt: skip
def test_config_errors_are_located(section: str, message: str):
    with pytest.raises(ConfigError) as caught:
        loads(SHIPPED + "\nnotify:\n" + section, "billing.yaml")
    (problem,) = [p for p in caught.value.problems if message in str(p)]
    assert str(problem).startswith("billing.yaml:") and problem.location.line > SHIPPED.count("\n")


# --- the tokens ------------------------------------------------------------------------------------------------------


def test_tokens_reach_the_router_through_deploy_and_appear_in_no_build_plan_or_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    import yaml
    from deploy.labkit import PASSWORD, files_under, lab, router_entry

    from generator.cli import main

    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
    monkeypatch.setenv("ROSBILL_TEST_TG", BOT)
    monkeypatch.setenv("ROSBILL_TEST_SMS", BEARER)
    with lab("7.16") as one:
        data = yaml.safe_load(notify_config(1))
        data["routers"] = [router_entry("r1", "7.16", one.server.port)]
        config = tmp_path / "billing.yaml"
        config.write_text(yaml.safe_dump(data, sort_keys=False))
        common = ["--config", str(config), "--out", str(tmp_path / "build")]
        assert main(["build", *common]) == 0
        assert main(["deploy", *common, "--router", "r1", "--dry-run", "--diff"]) == 1
        assert main(["deploy", *common, "--router", "r1", "--yes"]) == 0
        (keys,) = [r for r in one.router.rows("/system script") if r["name"] == b"BillingNotifyKeys"]
        assert f"# key tg={BOT}\n".encode() in keys["source"] and f"# key sms={BEARER}\n".encode() in keys["source"]
        assert main(["deploy", *common, "--router", "r1", "--dry-run"]) == 0  # compared, unchanged
        monkeypatch.setenv("ROSBILL_TEST_SMS", "rotated-" + BEARER)
        assert main(["deploy", *common, "--router", "r1", "--yes", "--diff"]) == 0
        (keys,) = [r for r in one.router.rows("/system script") if r["name"] == b"BillingNotifyKeys"]
        assert f"# key sms=rotated-{BEARER}\n".encode() in keys["source"]
        monkeypatch.delenv("ROSBILL_TEST_TG")
        assert main(["deploy", *common, "--router", "r1", "--dry-run"]) == 0
        assert "notify keys not written: ROSBILL_TEST_TG (channel tg) not set" in capsys.readouterr().out
        monkeypatch.setenv("ROSBILL_TEST_TG", "has space")
        assert main(["deploy", *common, "--router", "r1", "--dry-run"]) == 2
        assert main(["rollback", *common, "--router", "r1", "--yes"]) == 0
        assert [r for r in one.router.rows("/system script") if r["name"] == b"BillingNotifyKeys"]  # kept
    output = str(capsys.readouterr())
    for token in (BOT, BEARER, "rotated-" + BEARER):
        assert token not in output
        for path in files_under(tmp_path):
            assert token.encode() not in path.read_bytes(), path


def test_simulate_shows_the_messages_in_its_timeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from generator.cli import main

    config = tmp_path / "billing.yaml"
    config.write_text(notify_config(1).replace('url: "http://127.0.0.1:1"', 'url: "https://api.telegram.org"'))
    fixture = users_with_telegram(tmp_path)
    assert main(["simulate", "--config", str(config), "--users", str(fixture), "--months", "1", "--brief"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "  MSG   " in line]
    assert lines[0].endswith(
        'MSG   message POST https://api.telegram.org/bot***/sendMessage: {"chat_id":"12345","text":'
        '"Example Wireless: Ann, 50% of your Lite data is used (1504 of 3000 MB)."}'
    )
    assert any("invoice EW-10002 for 2026-11" in line for line in lines) and "simulated-token" not in out


def test_certificates_are_checked_for_https_channels_unless_turned_off():
    from generator.render import render

    text = notify_config(1).replace('url: "http://127.0.0.1:1"', 'url: "https://api.telegram.org"')
    config = loads(text)
    script = render(config, config.routers[0], "x").files["billingnotify.rsc"].decode()
    assert ':set ($chans->"tg") {"tg"=true;"cert"="yes";' in script  # https, check_certificate left at true
    assert ':set ($chans->"sms") {"tg"=false;"cert"="no";' in script  # http:// (and check_certificate: false)
    assert 'check-certificate=($chans->$t->"cert")' in script


def test_percent_in_a_bill_text_and_the_bill_mail_is_the_usage_as_billed(version: str, receiver: Receiver) -> None:
    """``{percent}`` is in the user set that bills offer (docs/config.md): the bill's usage as a whole percent of the
    cap it was billed with (use= and bcap= of the comment, as the reminder counts it), in the Telegram bill and in
    the bill mail."""
    config = notify_config(receiver.port, bill="[tg]").replace("due. Thank you", "due, {percent}% used. Thank you")
    shipped = '    subject: "{company} invoice {invoice} for {period}"\n'
    assert shipped in config
    config = config.replace(shipped, '    subject: "Invoice {invoice}: {percent}% of {cap}"\n')
    made = Bench(version, [user("ann", comment=ANN)], config=config, start=LAST_DAY)
    made.notify_keys(tg=BOT, sms="x")
    made.use("ann", LITE * 37 // 100 + 5_000_000)  # 37.16 %: rounded down
    made.bill()
    (mail,) = [m for m in made.mails() if m.to == "ann@example.net"]
    assert subject(mail) == "Invoice EW-10001: 37% of 3000 MB"
    made.run("BillingNotify")
    assert [m["text"] for m in receiver.telegram()] == [
        "Example Wireless: invoice EW-10001 for 2026-11: R 199.00 due, 37% used. Thank you, Ann."
    ]
    assert made.state("ann")["nb"] == "ok"


def test_the_batch_writes_attempts_first_and_writes_back_those_not_made(receiver: Receiver) -> None:
    """Five bills by Telegram, the server failing: every attempt is written before the first request (the server
    sees all five users at 1/D), three requests fail, the channel stops, and the two attempts not made are written
    back as they were (0/D). With max_per_run 2 only two bills are in the batch: the others stay 0/D untouched."""
    users = [user(n, comment=f"rb{{email={n}@example.net;first=X;last=Y;tg=1{i}}}") for i, n in enumerate("abcde")]
    made = Bench("7.16", users, config=notify_config(receiver.port, bill="[tg]"), start=LAST_DAY)
    made.notify_keys(tg=BOT, sms="x")
    made.use_many({n: LITE // 10 for n in "abcde"})
    made.bill()
    pending = {n: made.state(n)["nb"] for n in "abcde"}
    day = pending["a"].split("/")[1]
    assert set(pending.values()) == {f"0/{day}"}
    seen: list[dict[str, str]] = []
    receiver.status = [500]
    calls = made.router.call

    def call(menu_call: MenuCall, ctx: RunContext) -> Any:
        if menu_call.menu == ("tool",) and menu_call.command == "fetch" and not seen:
            seen.append({n: made.state(n)["nb"] for n in "abcde"})
        return calls(menu_call, ctx)

    made.router.call = call  # type: ignore[method-assign,assignment]
    made.run("BillingNotify")
    made.router.call = calls  # type: ignore[method-assign]
    assert seen == [{n: f"1/{day}" for n in "abcde"}]  # all written ahead of the first request
    assert len(receiver.requests) == 3
    assert [made.state(n)["nb"] for n in "abcde"] == [f"1/{day}"] * 3 + [f"0/{day}"] * 2
    (report,) = [m for m in made.mails() if m.to == "accounts@example.net" and "BillingNotify" in subject(m)]
    assert "Channel tg failed three times in a row; it sends nothing more this run." in report.body_text

    config = notify_config(receiver.port, bill="[tg]").replace("  timeout: 20s", "  max_per_run: 2\n  timeout: 20s")
    limited = Bench("7.16", users, config=config, start=LAST_DAY)
    limited.notify_keys(tg=BOT, sms="x")
    limited.use_many({n: LITE // 10 for n in "abcde"})
    limited.bill()
    receiver.requests.clear()
    receiver.status = [200]
    limited.run("BillingNotify")
    assert len(receiver.requests) == 2
    assert [limited.state(n)["nb"] for n in "abcde"] == ["ok"] * 2 + [f"0/{day}"] * 3
    assert any("stopped sending: this run sent its 2 messages" in line for line in limited.warnings_logged())
