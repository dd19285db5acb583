"""/tool e-mail: per-version settings, the outbox, last-status, injected failures (platform.md §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.contract import RouterOSError
from emulator.router import Router
from emulator.version import RouterOSVersion

START = dt.datetime(2026, 11, 30, 23, 50, 0)


def make(version: str) -> Router:
    router = Router(RouterOSVersion.parse(version), start=START)
    server = router.version.email_server_param
    router.invoke("/tool e-mail", "set", {server: "192.0.2.25", "from": "billing@example.net"})
    return router


def send(router: Router, **args: str) -> object:
    return router.invoke("/tool e-mail", "send", args)


def status(router: Router) -> bytes:
    return router.invoke("/tool e-mail", "get", {"value-name": "last-status"})  # type: ignore[return-value]


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
def test_a_send_lands_in_the_outbox_with_its_fields(version: str) -> None:
    router = make(version)
    send(router, to="alice@example.com", cc="ops@example.net", subject="Invoice 2026-11", body="Total: 30\nThanks")
    router.advance(5)
    (mail,) = router.mail.outbox
    assert (mail.to, mail.cc, mail.sender) == ("alice@example.com", "ops@example.net", "billing@example.net")
    assert (mail.subject, mail.body_text) == (b"Invoice 2026-11", "Total: 30\nThanks")
    assert (mail.time, mail.server, mail.status) == (START, "192.0.2.25", "succeeded")
    assert mail.recipients == ("alice@example.com", "ops@example.net")


def test_per_message_from_and_server_override_the_settings() -> None:
    router = make("7.16.2")
    send(router, to="a@example.com", subject="s", body="b", **{"from": "noreply@example.net", "server": "198.51.100.7"})
    (mail,) = router.mail.outbox
    assert (mail.sender, mail.server) == ("noreply@example.net", "198.51.100.7")


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2", "7.21.1"])
def test_send_is_asynchronous_before_7_21(version: str) -> None:
    router = make(version)
    assert router.version.email_send_failure_raises is (version == "7.21.1")


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2", "7.20.8"])
def test_before_7_21_send_returns_at_once_and_last_status_moves_later(version: str) -> None:
    router = make(version)
    assert status(router) == b"none"
    send(router, to="a@example.com", subject="s", body="b")
    assert status(router) == b"in-progress"
    assert router.now() == START
    router.advance(1)
    assert status(router) == b"succeeded"
    assert router.mail.outbox[0].done == START + dt.timedelta(seconds=1)


@pytest.mark.parametrize("version", ["6.49.10", "7.16.2"])
def test_before_7_21_a_failed_send_does_not_raise_but_last_status_says_failed(version: str) -> None:
    router = make(version)
    router.mail.fail_next(reason="AUTH failed")
    send(router, to="a@example.com", subject="Invoice", body="b")
    router.advance(2)
    assert status(router) == b"failed"
    assert router.mail.outbox[0].error == "AUTH failed"
    assert router.logs.messages("e-mail") == ["Error sending e-mail <Invoice>: AUTH failed"]


def test_from_7_21_send_waits_for_the_outcome_and_a_failure_raises() -> None:
    router = make("7.21.1")
    send(router, to="a@example.com", subject="s", body="b")
    assert status(router) == b"succeeded"
    assert router.now() == START + dt.timedelta(seconds=1)
    router.mail.fail_next(reason="AUTH failed")
    with pytest.raises(RouterOSError, match="failure: AUTH failed"):
        send(router, to="a@example.com", subject="s", body="b")
    assert status(router) == b"failed"
    assert router.now() == START + dt.timedelta(seconds=2)


def test_fail_next_counts_sends() -> None:
    router = make("6.49.10")
    router.mail.fail_next(2)
    for _ in range(3):
        send(router, to="a@example.com", subject="s", body="b")
    router.advance(2)
    assert [m.status for m in router.mail.outbox] == ["failed", "failed", "succeeded"]


def test_sends_to_rejected_recipients_fail_every_time() -> None:
    router = make("6.49.10")
    router.mail.fail_recipients("bob@example.org", reason="550 mailbox unavailable")
    send(router, to="alice@example.com", subject="s", body="b")
    send(router, to="Bob@example.org", subject="s", body="b")
    send(router, to="carol@example.net", cc="bob@example.org", subject="s", body="b")
    router.advance(2)
    assert [m.status for m in router.mail.outbox] == ["succeeded", "failed", "failed"]
    assert [m.to for m in router.mail.delivered()] == ["alice@example.com"]
    router.mail.clear_failures()
    send(router, to="bob@example.org", subject="s", body="b")
    router.advance(2)
    assert router.mail.outbox[-1].status == "succeeded"


def test_a_send_without_recipient_is_refused_at_once() -> None:
    router = make("6.49.10")
    with pytest.raises(RouterOSError, match="recipient address required"):
        send(router, subject="s", body="b")
    assert router.mail.outbox == [] and status(router) == b"failed"


def test_a_missing_attachment_is_refused_before_sending() -> None:
    router = make("7.16.2")
    with pytest.raises(RouterOSError, match="not found"):
        send(router, to="a@example.com", subject="s", body="b", file="backup.rsc")
    router.files.put("backup.rsc", b"x")
    send(router, to="a@example.com", subject="s", body="b", file="backup.rsc")
    assert router.mail.outbox[0].files == ("backup.rsc",)


def test_without_a_server_nothing_is_delivered() -> None:
    router = Router(RouterOSVersion.parse("7.21.1"), start=START)
    with pytest.raises(RouterOSError, match="failure: no SMTP server configured"):
        send(router, to="a@example.com", subject="s", body="b")
    assert router.mail.outbox[0].status == "failed"
    old = Router(RouterOSVersion.parse("7.16.2"), start=START)
    send(old, to="a@example.com", subject="s", body="b")  # before 7.21 only last-status tells
    old.advance(1)
    assert (old.mail.outbox[0].status, status(old)) == ("failed", b"failed")


@pytest.mark.parametrize(
    ("version", "names"),
    [
        ("6.49.10", ["address", "port", "start-tls", "user", "password", "from", "last-status"]),
        ("7.11.3", ["address", "port", "tls", "user", "password", "from", "vrf", "last-status"]),
        (
            "7.21",
            ["server", "port", "tls", "user", "password", "from", "vrf", "certificate-verification", "last-status"],
        ),
    ],
)
def test_settings_per_version(version: str, names: list[str]) -> None:
    router = Router(RouterOSVersion.parse(version))
    assert list(router.rows("/tool e-mail")[0]) == names


def test_tls_values_differ_between_v6_and_v7() -> None:
    v6 = Router(RouterOSVersion.parse("6.49.10"))
    v6.invoke("/tool e-mail", "set", {"start-tls": "tls-only"})
    with pytest.raises(RouterOSError):
        v6.invoke("/tool e-mail", "set", {"start-tls": "starttls"})
    v7 = Router(RouterOSVersion.parse("7.16.2"))
    v7.invoke("/tool e-mail", "set", {"tls": "starttls"})
    with pytest.raises(RouterOSError):
        v7.invoke("/tool e-mail", "set", {"tls": "tls-only"})


def test_last_status_is_read_only_and_the_password_is_sensitive() -> None:
    router = make("7.16.2")
    with pytest.raises(RouterOSError):
        router.invoke("/tool e-mail", "set", {"last-status": "succeeded"})
    with pytest.raises(RouterOSError, match="permissions"):
        router.invoke("/tool e-mail", "get", {"value-name": "password"}, policy=frozenset({"read"}))


def test_sending_needs_the_test_policy() -> None:
    router = make("7.16.2")
    with pytest.raises(RouterOSError, match=r"not enough permissions \(9\)"):
        router.invoke("/tool e-mail", "send", {"to": "a@example.com"}, policy=frozenset({"read", "write"}))
    router.invoke("/tool e-mail", "send", {"to": "a@example.com"}, policy=frozenset({"read", "write", "test"}))
