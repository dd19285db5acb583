"""``/tool e-mail``: per-version settings, ``send`` captured into an outbox, ``last-status``, injectable failures.

Settings follow platform.md §3.1: the SMTP host is ``address`` before 7.12 and ``server`` from 7.12; TLS is v6
``start-tls=no|yes|tls-only``, v7 ``tls=no|yes|starttls``; v7 adds ``vrf``; 7.21 adds ``certificate-verification``.
``send`` takes ``to cc subject body file from server port user password`` and the version's TLS word (§3.2).

Delivery (§3.3): a send sets ``last-status=in-progress`` and the outcome is known ``delivery_ns`` later (virtual time,
[INF] 1 s by default). On v6 ``send`` returns at once and only ``last-status`` tells ([SEEN] S16). On v7 the command
waits for the outcome and a failed send stops the script with ``failure: <reason>`` ([DOC] S8); both set
``last-status=failed`` and log ``e-mail,error`` ([INF] wording). Failures come from :meth:`MailService.fail_next`,
:meth:`MailService.fail_recipients`, an empty ``to`` ("recipient address required", [DOC] S8), an unset server
([INF]) or a missing ``file`` (refused before sending, [DOC] S8).

Must not: open network connections (the outbox is the mail server), or compare RouterOS versions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.sim.contract import CommandSpec, MenuCall, RouterOSError, RunContext, Value
from generator.sim.router.menu import Singleton
from generator.sim.router.proptypes import NUM, STR, Enum, Prop, text_of
from generator.sim.values import NOTHING

if TYPE_CHECKING:
    from generator.sim.router.router import Router

SECOND = 1_000_000_000
#: /tool e-mail send needs these [INF]: "read,write,test is the common minimal set seen in real scripts" (§4.2).
SEND_POLICY = frozenset({"read", "write", "test"})
UNSET_SERVERS = (b"", b"0.0.0.0", b"::")


@dataclass(slots=True)
class Mail:
    """One ``send`` as the mail server would have received it."""

    to: str
    cc: str
    sender: str  # the ``from`` actually used (parameter, else the setting)
    subject: bytes
    body: bytes
    files: tuple[str, ...]
    server: str
    port: int
    time: dt.datetime  # local router time of the send
    status: str = "in-progress"  # in-progress → succeeded | failed
    error: str = ""

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
        self._failures: list[_Failure] = []
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

    def delivered(self) -> list[Mail]:
        return [m for m in self.outbox if m.status == "succeeded"]

    def failed(self) -> list[Mail]:
        return [m for m in self.outbox if m.status == "failed"]

    @property
    def last_status(self) -> str:
        return text_of(self.record["last-status"])

    # --- send --------------------------------------------------------------------------------------------------------

    def _argument(self, call: MenuCall, name: str, setting: str | None = None) -> Value:
        if name in call.args:
            prop = self.send_props.get(name)
            return prop.type.coerce(name, call.args[name]) if prop else STR.coerce(name, call.args[name])
        return self.record.get(setting or name, b"")

    def _outcome(self, mail: Mail) -> str:
        """The failure reason for this send, or "" when it is delivered."""
        if mail.server.encode() in UNSET_SERVERS:
            return "no SMTP server configured"  # [INF] wording; an unset server cannot deliver
        wanted = {r.lower() for r in mail.recipients}
        for failure in self._failures:
            if failure.remaining == 0:
                continue
            if failure.recipients and not failure.recipients & wanted:
                continue
            if failure.remaining is not None:
                failure.remaining -= 1
            return failure.reason
        return ""

    def _send(self, call: MenuCall, ctx: RunContext) -> Value:
        to = text_of(self._argument(call, "to"))
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
            cc=text_of(self._argument(call, "cc")),
            sender=text_of(self._argument(call, "from")),
            subject=STR.coerce("subject", self._argument(call, "subject")),
            body=STR.coerce("body", self._argument(call, "body")),
            files=files,
            server=text_of(server),
            port=int(self._argument(call, "port") or 25),
            time=self.router.clock.local(),
        )
        self.outbox.append(mail)
        self.record["last-status"] = b"in-progress"
        reason = self._outcome(mail)
        if self.router.version.email_send_failure_raises:
            # v7: the command itself waits for the SMTP exchange ([DOC] S8), so virtual time passes inside it.
            self.router.clock.advance_to(self.router.clock.now + self.delivery_ns)
            self._finish(mail, reason)
            if reason:
                raise RouterOSError("failure: " + reason)
        else:
            self.router.clock.after(self.delivery_ns, "e-mail delivery", lambda: self._finish(mail, reason))
        return NOTHING

    def _finish(self, mail: Mail, reason: str) -> None:
        mail.status = "failed" if reason else "succeeded"
        mail.error = reason
        self.record["last-status"] = mail.status.encode()
        if reason:
            self.router.logs.write(("e-mail", "error"), f"Error sending e-mail <{mail.subject_text}>: {reason}")
