"""``/tool e-mail``: per-version settings, ``send`` captured by an emulated SMTP server (the outbox), ``last-status``.

Settings follow platform.md §3.1: the SMTP host is ``address`` before 7.12 and ``server`` from 7.12; TLS is v6
``start-tls=no|yes|tls-only``, v7 ``tls=no|yes|starttls``; v7 adds ``vrf``; 7.21 adds ``certificate-verification``.
``send`` takes ``to cc subject body file from server port user password`` and the version's TLS word (§3.2).

Delivery: each send takes ``delivery_ns`` of virtual time (1 s by default [INF]; :meth:`MailService.schedule` sets
other times and outages per period). Before 7.21 (v6 and v7 alike) ``send`` returns at once and only ``last-status``
tells ([SEEN] S16; router-review.md row 9: send raises only from 7.21beta2, EW 20987221, 43893400); from 7.21 the
command waits for the outcome and a failed send stops the script with ``failure: <reason>`` ([DOC] S8;
``RouterOSVersion.email_send_failure_raises``). ``last-status`` becomes ``in-progress`` at the send and the outcome
when it is known, or lags (``Behaviour.mail_status``). A failed send sets ``last-status=failed`` and logs
``e-mail,error`` ([INF] wording). Failures come from :meth:`MailService.fail_next`, :meth:`MailService.fail_recipients`,
:meth:`MailService.schedule`, :attr:`MailService.server_ips`, an empty ``to`` ("recipient address required", [DOC]
S8), an unset server ([INF]) or a missing ``file`` (refused before sending, [DOC] S8).

What the emulator does not know it refuses (:class:`~emulator.contract.EmulatorRefusal`, which no script can
catch): control characters in ``to``/``cc``/``from``/``subject`` and bodies over 63,000 bytes (RouterOS's limit is just
under 64 kB, [SEEN] EW 74dc809b).

Must not: open network connections (the outbox is the mail server), or compare RouterOS versions.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from emulator.contract import CommandSpec, EmulatorRefusal, MenuCall, RouterOSError, RunContext, Value
from emulator.router.menu import Singleton
from emulator.router.proptypes import NUM, STR, Enum, Prop, text_of
from emulator.values import NOTHING

if TYPE_CHECKING:
    from emulator.router.router import Router

SECOND = 1_000_000_000
#: /tool e-mail send needs these [INF]: "read,write,test is the common minimal set seen in real scripts" (§4.2).
SEND_POLICY = frozenset({"read", "write", "test"})
UNSET_SERVERS = (b"", b"0.0.0.0", b"::")
#: A send to a server that is not there: the SMTP connect times out ([INF] 30 s, a common connect timeout).
TIMEOUT_NS = 30 * SECOND
#: Bodies above this are refused: RouterOS's limit is "just under 64 kB" ([SEEN] EW 74dc809b); above it is unknown.
BODY_LIMIT = 63_000
#: Where a control character in each field would end up (for the refusal message).
_CONTROL_FIELDS = (("to", "the SMTP envelope"), ("cc", "the SMTP envelope"), ("from", "the SMTP envelope"),
                   ("subject", "the message header"))  # fmt: skip


@dataclass(slots=True)
class Mail:
    """One ``send`` as the mail server received it (``status`` is the server's side of the story)."""

    to: str
    cc: str
    sender: str  # the ``from`` actually used (parameter, else the setting)
    subject: bytes
    body: bytes
    files: tuple[str, ...]
    server: str
    port: int
    time: dt.datetime  # local time the router showed at the send
    status: str = "in-progress"  # in-progress → succeeded | failed | lost (power cut while in flight)
    error: str = ""
    done: dt.datetime | None = None  # local router time the outcome was reached

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(a.strip() for a in (self.to + "," + self.cc).split(",") if a.strip())

    @property
    def body_text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def subject_text(self) -> str:
        return self.subject.decode("utf-8", "replace")


@dataclass(slots=True)
class _Failure:
    reason: str
    remaining: int | None  # None: every matching send
    recipients: frozenset[str] = field(default_factory=frozenset)  # empty: any send


@dataclass(frozen=True, slots=True)
class Window:
    """A period (router local time of the send, ``[start, end)``) in which sends take ``delivery_ns`` (None: the
    service's default) and fail with ``fail`` when it is set."""

    start: dt.datetime
    end: dt.datetime
    delivery_ns: int | None
    fail: str | None


@dataclass(slots=True)
class _InFlight:
    mail: Mail
    reason: str  # the outcome it is heading for ("" = delivered)


class MailService(Singleton):
    """The ``/tool e-mail`` menu plus the outbox and the failure switches the driver uses."""

    def __init__(self, router: Router, *, delivery_ns: int = SECOND) -> None:
        version = router.version
        props = [
            Prop(version.email_server_param, STR, default=b"0.0.0.0"),
            Prop("port", NUM, default=25),
            Prop(version.email_tls_param, Enum(*version.email_tls_choices), default=b"no"),
            Prop("user", STR, default=b""),
            Prop("password", STR, default=b"", sensitive=True),
            Prop("from", STR, default=b"<>"),
        ]
        if version.email_has_vrf:
            props.append(Prop("vrf", STR, default=b"main"))
        if version.has_email_certificate_verification:
            props.append(Prop("certificate-verification", Enum("no", "yes", "yes-without-crl"), default=b"no"))
        props.append(Prop("last-status", STR, readonly=True, default=b"none"))
        super().__init__(("tool", "e-mail"), props)
        self.router = router
        self.delivery_ns = delivery_ns
        self.outbox: list[Mail] = []
        #: When set, only these server addresses answer; a send to another one times out (the provider moved).
        self.server_ips: set[str] | None = None
        self.windows: list[Window] = []
        self._failures: list[_Failure] = []
        self._in_flight: list[_InFlight] = []
        send_params = {"to", "cc", "subject", "body", "file", "from", "server", "port", "user", "password"}
        send_params.add(version.email_tls_param)
        if version.has_email_certificate_verification:
            send_params.add("certificate-verification")
        self.send_props = {p.name: p for p in props if p.name in send_params}
        self.command(CommandSpec("send", params=frozenset(send_params), policy=SEND_POLICY), self._send)

    # --- driver API --------------------------------------------------------------------------------------------------

    def fail_next(self, count: int = 1, reason: str = "AUTH failed") -> None:
        """The next ``count`` sends fail with ``reason`` (S8 lists ``AUTH failed``, ``invalid FROM address``…)."""
        self._failures.append(_Failure(reason, count))

    def fail_recipients(self, *addresses: str, reason: str = "recipient rejected", count: int | None = None) -> None:
        """Sends with any of ``addresses`` in ``to``/``cc`` fail (every time, or ``count`` times)."""
        self._failures.append(_Failure(reason, count, frozenset(a.lower() for a in addresses)))

    def clear_failures(self) -> None:
        self._failures.clear()

    def schedule(
        self, start: dt.datetime, end: dt.datetime, *, delivery_s: float | None = None, fail: str | None = None
    ) -> None:
        """Sends made during ``[start, end)`` (router local time) take ``delivery_s`` seconds (default: the router's
        ``mail_delivery``) and, with ``fail``, fail with that reason. An outage: ``fail="connection timed out",
        delivery_s=30``; a slow server: ``delivery_s=60``; a hanging one: ``fail="timeout", delivery_s=300``. The
        first matching window wins; ``fail_next``/``fail_recipients`` apply where no window fails."""
        if end <= start:
            raise ValueError("a mail window must end after it starts")
        delivery = None if delivery_s is None else int(delivery_s * SECOND)
        self.windows.append(Window(start, end, delivery, fail))

    def delivered(self) -> list[Mail]:
        return [m for m in self.outbox if m.status == "succeeded"]

    def failed(self) -> list[Mail]:
        return [m for m in self.outbox if m.status == "failed"]

    def lost(self) -> list[Mail]:
        return [m for m in self.outbox if m.status == "lost"]

    @property
    def last_status(self) -> str:
        return text_of(self.record["last-status"])

    def power_lost(self, mode: str) -> None:
        """The power failed: every mail still in flight is ``lost``, or with ``mode="delivered"`` reached the server
        (``succeeded``) when it was going to; the router never learns either way (its events are gone)."""
        now = self.router.clock.local()
        for flight in self._in_flight:
            mail = flight.mail
            mail.status = "succeeded" if mode == "delivered" and not flight.reason else "lost"
            mail.done = now
        self._in_flight.clear()

    # --- send --------------------------------------------------------------------------------------------------------

    def _argument(self, call: MenuCall, name: str, setting: str | None = None) -> Value:
        if name in call.args:
            prop = self.send_props.get(name)
            return prop.type.coerce(name, call.args[name]) if prop else STR.coerce(name, call.args[name])
        return self.record.get(setting or name, b"")

    def _server_address(self, server: str) -> str:
        """The address the send connects to: a name is looked up in ``router.dns`` [INF: v7 ``server`` takes names]."""
        try:
            return str(ipaddress.ip_address(server))
        except ValueError:
            return self.router.dns.get(server.lower(), server)

    def _outcome(self, mail: Mail) -> tuple[str, int]:
        """(failure reason or "" when delivered, how long the exchange takes)."""
        if mail.server.encode() in UNSET_SERVERS:
            return "no SMTP server configured", self.delivery_ns  # [INF] wording; an unset server cannot deliver
        if self.server_ips is not None and self._server_address(mail.server) not in self.server_ips:
            return "connection timed out", TIMEOUT_NS
        delivery = self.delivery_ns
        for window in self.windows:
            if window.start <= mail.time < window.end:
                delivery = self.delivery_ns if window.delivery_ns is None else window.delivery_ns
                if window.fail:
                    return window.fail, delivery
                break
        wanted = {r.lower() for r in mail.recipients}
        for failure in self._failures:
            if failure.remaining == 0:
                continue
            if failure.recipients and not failure.recipients & wanted:
                continue
            if failure.remaining is not None:
                failure.remaining -= 1
            return failure.reason, delivery
        return "", delivery

    @staticmethod
    def _refuse(values: dict[str, bytes], body: bytes) -> None:
        """What the emulator does not model, it refuses (never kinder than RouterOS)."""
        for name, where in _CONTROL_FIELDS:
            if any(b < 0x20 or b == 0x7F for b in values[name]):
                raise EmulatorRefusal(
                    f"emulator refuses: a {name}= with control characters (RouterOS would put them into {where}; "
                    "behaviour not modelled)"
                )
        if len(body) > BODY_LIMIT:
            raise EmulatorRefusal(
                f"emulator refuses: a body of {len(body)} bytes (RouterOS's limit is just under 64 kB, EW 74dc809b; "
                "what happens above it is not modelled)"
            )

    def _send(self, call: MenuCall, ctx: RunContext) -> Value:
        to = text_of(self._argument(call, "to"))
        cc = text_of(self._argument(call, "cc"))
        sender = text_of(self._argument(call, "from"))
        subject = STR.coerce("subject", self._argument(call, "subject"))
        body = STR.coerce("body", self._argument(call, "body"))
        fields = {"to": to.encode("latin-1"), "cc": cc.encode("latin-1"), "from": sender.encode("latin-1")}
        self._refuse(fields | {"subject": subject}, body)
        if not to.strip():
            self.record["last-status"] = b"failed"
            raise RouterOSError("failure: recipient address required")  # [DOC] S8
        files = tuple(f.strip() for f in text_of(self._argument(call, "file")).split(",") if f.strip())
        for name in files:
            if name not in self.router.files:
                raise RouterOSError(f"failure: file {name} not found")  # refused before sending ([DOC] S8; [INF] text)
        server = self._argument(call, "server", self.router.version.email_server_param)
        mail = Mail(
            to=to,
            cc=cc,
            sender=sender,
            subject=subject,
            body=body,
            files=files,
            server=text_of(server),
            port=int(self._argument(call, "port") or 25),
            time=self.router.clock.local(),
        )
        self.outbox.append(mail)
        reason, delivery_ns = self._outcome(mail)
        flight = _InFlight(mail, reason)
        self._in_flight.append(flight)
        if self.router.version.email_send_failure_raises:
            # 7.21+: the command itself waits for the SMTP exchange ([DOC] S8), so virtual time passes inside it.
            self.record["last-status"] = b"in-progress"
            self.router.clock.advance_to(self.router.clock.now + delivery_ns)
            self._deliver(flight)
            self._report(mail)
            if reason:
                raise RouterOSError("failure: " + reason)
            return NOTHING
        router = self.router
        behaviour = router.behaviour
        lag_ns = int(behaviour.mail_status_lag_s * SECOND) if behaviour.mail_status == "lagging" else 0

        def in_progress() -> None:
            self.record["last-status"] = b"in-progress"

        def deliver_and_report() -> None:
            self._deliver(flight)
            self._report(mail)

        if lag_ns == 0:
            in_progress()
        elif lag_ns < delivery_ns:
            router.later(lag_ns, "e-mail status", in_progress)
        if lag_ns <= delivery_ns:
            router.later(delivery_ns, "e-mail delivery", deliver_and_report)
        else:  # the outcome is known before the status shows anything new: it jumps straight to it
            router.later(delivery_ns, "e-mail delivery", lambda: self._deliver(flight))
            router.later(lag_ns, "e-mail status", lambda: self._report(mail))
        return NOTHING

    def _deliver(self, flight: _InFlight) -> None:
        """The server side: the exchange ended."""
        if flight in self._in_flight:
            self._in_flight.remove(flight)
        mail = flight.mail
        mail.status = "failed" if flight.reason else "succeeded"
        mail.error = flight.reason
        mail.done = self.router.clock.local()

    def _report(self, mail: Mail) -> None:
        """The router side: ``last-status`` shows the outcome, a failure is logged."""
        self.record["last-status"] = mail.status.encode()
        if mail.status == "failed":
            self.router.logs.write(("e-mail", "error"), f"Error sending e-mail <{mail.subject_text}>: {mail.error}")
