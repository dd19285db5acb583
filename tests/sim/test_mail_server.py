"""The emulated SMTP server behind /tool e-mail: delivery windows, a moved server, DNS, refusals and last-status lag."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.contract import EmulatorRefusal, RouterOSError
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.router.behaviour import Behaviour
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 11, 30, 23, 50, 0)
ASYNC, SYNC = "7.16.2", "7.21.1"


def make(version: str, behaviour: Behaviour | None = None) -> Router:
    router = Router(
        RouterOSVersion.parse(version), start=START, runner_factory=Interpreter, behaviour=behaviour or Behaviour()
    )
    router.invoke("/tool e-mail", "set", {router.version.email_server_param: "192.0.2.25", "from": "b@example.net"})
    return router


def send(router: Router, **args: str) -> object:
    return router.invoke("/tool e-mail", "send", {"to": "a@example.com", "subject": "s", "body": "b", **args})


def at(seconds: float) -> dt.datetime:
    return START + dt.timedelta(seconds=seconds)


# --- schedule() ------------------------------------------------------------------------------------------------------


def test_an_outage_window_fails_sends_inside_it_after_the_timeout_and_not_outside() -> None:
    router = make(ASYNC)
    router.mail.schedule(at(60), at(120), fail="connection timed out", delivery_s=30)
    send(router)  # 23:50:00, before the window
    router.advance(60)
    send(router)  # 23:51:00, inside
    router.advance(29)
    assert router.mail.outbox[1].status == "in-progress"
    router.advance(1)
    first, second = router.mail.outbox
    assert (first.status, first.done) == ("succeeded", at(1))
    assert (second.status, second.error, second.done) == ("failed", "connection timed out", at(90))
    assert router.mail.last_status == "failed"
    router.advance(30)  # 23:52:00: the window [start, end) is over
    send(router)
    router.advance(1)
    assert router.mail.outbox[2].status == "succeeded"


def test_a_slow_server_makes_the_synchronous_send_of_7_21_wait() -> None:
    router = make(SYNC)
    router.mail.schedule(at(0), at(3600), delivery_s=60)
    send(router)
    assert router.now() == at(60)
    assert router.mail.outbox[0].status == "succeeded"


def test_a_hanging_server_fails_7_21_sends_after_its_timeout() -> None:
    router = make(SYNC)
    router.mail.schedule(at(0), at(3600), fail="timeout", delivery_s=300)
    with pytest.raises(RouterOSError, match="failure: timeout"):
        send(router)
    assert router.now() == at(300)


def test_the_first_matching_window_wins_and_fail_next_still_applies_elsewhere() -> None:
    router = make(ASYNC)
    router.mail.schedule(at(0), at(10), delivery_s=5)
    router.mail.schedule(at(0), at(10), fail="never used")
    router.mail.fail_next(reason="AUTH failed")
    send(router)
    router.advance(4)
    assert router.mail.outbox[0].status == "in-progress"  # 5 s from the first window
    router.advance(1)
    assert (router.mail.outbox[0].status, router.mail.outbox[0].error) == ("failed", "AUTH failed")
    with pytest.raises(ValueError, match="end after"):
        router.mail.schedule(at(10), at(10))


# --- server_ips and DNS ----------------------------------------------------------------------------------------------


def test_a_send_to_a_server_the_provider_moved_away_from_times_out() -> None:
    router = make(ASYNC)
    router.mail.server_ips = {"198.51.100.7"}
    send(router)  # the setting still says 192.0.2.25
    send(router, server="198.51.100.7")
    router.advance(1)
    assert [m.status for m in router.mail.outbox] == ["in-progress", "succeeded"]
    router.advance(29)
    assert (router.mail.outbox[0].status, router.mail.outbox[0].error) == ("failed", "connection timed out")


def test_resolve_answers_from_router_dns_so_a_resolved_server_follows_the_move() -> None:
    router = make(ASYNC)
    router.mail.server_ips = {"198.51.100.7"}
    router.dns["smtp.example.net"] = "198.51.100.7"
    result = router.run(
        ':local ip [:resolve "SMTP.example.net"]; :put $ip; /tool e-mail send to=a@example.com server=$ip'
    )
    assert result.ok and result.output == [b"198.51.100.7"]
    router.advance(1)
    assert router.mail.outbox[0].status == "succeeded"


def test_a_server_name_is_looked_up_in_router_dns() -> None:
    router = make(ASYNC)
    router.mail.server_ips = {"198.51.100.7"}
    router.dns["smtp.example.net"] = "198.51.100.7"
    send(router, server="smtp.example.net")
    router.advance(1)
    assert router.mail.outbox[0].status == "succeeded"


def test_resolve_without_a_dns_entry_keeps_the_test_net_fallback() -> None:
    router = make(ASYNC)
    first = router.run(':put [:resolve "smtp.example.org"]').output
    assert first == router.run(':put [:resolve "smtp.example.org"]').output
    assert first[0].startswith(b"192.0.2.")
    assert router.run(':put [:resolve "10.1.2.3"]').output == [b"10.1.2.3"]
    assert router.run(':do { :put [:resolve ""] } on-error={ :put "failed" }').output == [b"failed"]


# --- refusals --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "where"),
    [("to", "envelope"), ("cc", "envelope"), ("from", "envelope"), ("subject", "message header")],
)
def test_control_characters_in_addresses_or_subject_are_refused(field: str, where: str) -> None:
    router = make(ASYNC)
    with pytest.raises(EmulatorRefusal) as refused:
        send(router, **{field: "x@example.com\r\nBcc: y@example.com"})
    assert str(refused.value).startswith(f"emulator refuses: a {field}= with control characters (RouterOS would put")
    assert where in str(refused.value)
    assert router.mail.outbox == []


def test_the_to_refusal_has_the_documented_wording() -> None:
    with pytest.raises(EmulatorRefusal) as refused:
        send(make(ASYNC), to="a@example.com\x7f")
    assert str(refused.value) == (
        "emulator refuses: a to= with control characters (RouterOS would put them into the SMTP envelope; "
        "behaviour not modelled)"
    )


def test_a_body_over_63000_bytes_is_refused_and_one_of_63000_is_sent() -> None:
    router = make(ASYNC)
    send(router, body="x" * 63_000)
    with pytest.raises(EmulatorRefusal) as refused:
        send(router, body="x" * 63_001)
    assert str(refused.value) == (
        "emulator refuses: a body of 63001 bytes (RouterOS's limit is just under 64 kB, EW 74dc809b; what happens "
        "above it is not modelled)"
    )
    assert len(router.mail.outbox) == 1


@pytest.mark.parametrize("version", [ASYNC, SYNC])
def test_a_refusal_cannot_be_caught_by_the_script(version: str) -> None:
    router = make(version)
    body = '/tool e-mail send to=("a@example.com" . "\\n") subject=s body=b'
    with pytest.raises(EmulatorRefusal):
        router.run(f':do {{ {body} }} on-error={{ :put "caught" }}')
    with pytest.raises(EmulatorRefusal):
        router.run(f':onerror e in={{ {body} }} do={{ :put "caught" }}')


def test_a_refusal_in_a_scheduled_script_fails_the_driver_call() -> None:
    router = make(ASYNC)
    event = '/tool e-mail send to="a@x" body=[:rndstr length=64000]'
    router.invoke("/system scheduler", "add", {"name": "m", "start-time": "23:55:00", "on-event": event})
    with pytest.raises(EmulatorRefusal, match="a body of 64000 bytes"):
        router.advance(600)


# --- 7. mail_status --------------------------------------------------------------------------------------------------


def status_over(router: Router, steps: list[float]) -> list[str]:
    out = []
    for step in steps:
        router.advance(step)
        out.append(router.mail.last_status)
    return out


def test_immediate_status_is_in_progress_at_once() -> None:
    router = make(ASYNC)
    send(router)
    assert router.mail.last_status == "in-progress"


def test_a_lagging_status_keeps_the_previous_value_then_shows_in_progress_then_the_outcome() -> None:
    router = make(ASYNC, Behaviour(mail_status="lagging", mail_status_lag_s=0.5))
    send(router)
    router.advance(2)
    assert router.mail.last_status == "succeeded"
    router.mail.fail_next(reason="AUTH failed")
    send(router)
    assert router.mail.last_status == "succeeded"  # stale: a script reading it now thinks the bill went out
    assert status_over(router, [0.4, 0.2, 0.5]) == ["succeeded", "in-progress", "failed"]


def test_a_lag_at_least_the_delivery_time_never_shows_in_progress() -> None:
    router = make(ASYNC, Behaviour(mail_status="lagging", mail_status_lag_s=5.0))
    send(router)
    assert status_over(router, [0.5, 1.0, 3.0, 0.4, 0.2]) == ["none", "none", "none", "none", "succeeded"]
    assert router.mail.outbox[0].done == at(1)  # the server had it after 1 s


def test_the_lag_does_not_apply_where_send_waits() -> None:
    router = make(SYNC, Behaviour(mail_status="lagging", mail_status_lag_s=5.0))
    send(router)
    assert router.mail.last_status == "succeeded"
