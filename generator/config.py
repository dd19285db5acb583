"""Loads ``config/billing.yaml`` into frozen, validated models, and locates every problem at ``file:line:col``.

Pipeline: :func:`generator.yamlmarks.read` (YAML with marks) → pydantic models (unknown keys rejected) → cross-field
checks (placeholders, package names, reset method). Every problem becomes a :class:`~generator.errors.ConfigProblem`
that names the location, the dotted key and what would be right; :func:`load` raises one
:class:`~generator.errors.ConfigError` with all of them.

Must not: know RouterOS syntax or versions beyond parsing the version string (``generator/dialects.py`` owns that).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from generator import mailtext
from generator.dialects import RouterOSVersion, VersionError, for_version
from generator.errors import ConfigError, ConfigProblem, Location
from generator.yamlmarks import Marks, YamlError, dotted, read, shown

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
# Deliberately simple: one @, no spaces or quotes, a dot in the domain. The router only passes it to its SMTP client.
_EMAIL = re.compile(r"^[A-Za-z0-9.!#%&'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
_CAP = re.compile(r"^(\d+(?:\.\d+)?)\s*(MB|GB|TB|MiB|GiB|TiB)$")
_UNITS = {"MB": 10**6, "GB": 10**9, "TB": 10**12, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
_DURATION = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_FINGERPRINT = re.compile(r"^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$")
#: Characters the comment state block uses as separators (docs/comment-format.md), so a package name cannot hold them.
_STATE_SEPARATORS = set(";=}{")

Email = Annotated[str, Field(pattern=_EMAIL.pattern, max_length=254)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def _no_control(value: str) -> str:
    bad = [c for c in value if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]
    if bad:
        raise ValueError(f"contains a control character ({ord(bad[0]):#04x}); remove it")
    return value


class RouterConfig(_Model):
    name: str = Field(pattern=_NAME.pattern)
    host: str = Field(min_length=1, max_length=253)
    port: int | None = Field(default=None, ge=1, le=65535)
    tls: bool = True
    version: RouterOSVersion
    user: str = Field(default="admin", min_length=1, max_length=64)
    ca_file: str | None = None
    fingerprint: str | None = Field(default=None, pattern=_FINGERPRINT.pattern)

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, value: Any) -> RouterOSVersion:
        if isinstance(value, RouterOSVersion):
            return value
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError('write the RouterOS version as text, e.g. "7.16" or "6.49"')
        try:
            return RouterOSVersion.parse(value)
        except VersionError as error:
            raise ValueError(str(error)) from None

    @property
    def api_port(self) -> int:
        """api-ssl listens on 8729, the plain API on 8728 (platform.md §5.1)."""
        return self.port if self.port is not None else (8729 if self.tls else 8728)

    @property
    def password_variables(self) -> tuple[str, str]:
        """Environment variables that may hold this router's password: the per-router one wins."""
        return (f"ROSBILL_PASSWORD_{re.sub(r'[^A-Za-z0-9]', '_', self.name).upper()}", "ROSBILL_PASSWORD")


class CompanyConfig(_Model):
    name: str = Field(min_length=1, max_length=200)
    accounts_email: Email
    sender: Email
    currency: str = Field(min_length=1, max_length=8)
    banking: str = Field(min_length=1, max_length=2000)
    tax_line: str = Field(default="", max_length=200)

    _text = field_validator("name", "currency", "banking", "tax_line")(_no_control)


#: RouterOS rate-limit text (the Mikrotik-Rate-Limit RADIUS attribute, HotSpot/PPP ``rate-limit``): ``rx[/tx]
#: [burst-rx[/tx] [threshold-rx[/tx] [burst-time-rx[/tx] [priority] [min-rx[/tx]]]]]``, rates a number with an optional
#: k, M or G (wiki Manual:IP/Hotspot/User "rate-limit"; help.mikrotik.com PPP AAA).
_RATE_ONE = r"\d{1,6}(?:\.\d{1,3})?[kMG]?"
_RATE_PAIR = re.compile(rf"^{_RATE_ONE}(?:/{_RATE_ONE})?$")
_RATE_TIME = re.compile(r"^\d{1,5}s?(?:/\d{1,5}s?)?$")
_RATE_PRIORITY = re.compile(r"^[1-8]$")
_RATE_PARTS = (_RATE_PAIR, _RATE_PAIR, _RATE_PAIR, _RATE_TIME, _RATE_PRIORITY, _RATE_PAIR)
_RATE_EXAMPLE = 'write a RouterOS rate limit like "2M/2M" or "512k/1M" (upload/download, k M G)'


def _rate(value: Any) -> str:
    """Checks RouterOS rate-limit text (see ``_RATE_PARTS``); returns it with single spaces."""
    if not isinstance(value, str):
        raise ValueError(f"{shown(value)} is not a rate; {_RATE_EXAMPLE}")
    parts = value.split()
    if not 1 <= len(parts) <= len(_RATE_PARTS) or any(not p.match(t) for p, t in zip(_RATE_PARTS, parts, strict=False)):
        raise ValueError(f"{shown(value)} is not a rate; {_RATE_EXAMPLE}")
    return " ".join(parts)


#: A User Manager profile name Enforce moves RouterOS 6 users to (and remembers in ``tpk=``): no ``;`` or ``}`` (they
#: end a comment value, docs/comment-format.md), no control characters.
_PROFILE_NAME = r"^[^;}\x00-\x1f\x7f]{1,63}$"


class FairUseStep(_Model):
    """One step of a package's fair-use policy: from ``level`` percent of the cap, the user's rate is ``rate``
    (RouterOS 7: the user's Mikrotik-Rate-Limit attribute), or the user is moved to the User Manager profile
    ``profile`` (RouterOS 6, whose users have no attributes: the operator's profile with a limitation carrying the
    throttled rate; docs/enforce.md)."""

    level: int = Field(ge=1, le=1000)
    rate: str | None = None
    profile: str | None = Field(default=None, pattern=_PROFILE_NAME)

    _rate = field_validator("rate", mode="before")(lambda v: _rate(v))

    @model_validator(mode="after")
    def _one(self) -> FairUseStep:
        if (self.rate is None) == (self.profile is None):
            raise ValueError(
                "give the step a rate (RouterOS 7, e.g. rate: 2M/2M) or a profile (RouterOS 6: a User Manager "
                'profile whose limitation has the throttled rate, e.g. profile: "Lite-2M"), one of the two'
            )
        return self


class PackageConfig(_Model):
    price: Decimal = Field(ge=0, le=Decimal("1000000"))
    cap: str
    description: str = Field(default="", max_length=200)
    #: Fair use at the cap: steps of (level percent, rate), levels ascending; Enforce applies the highest step reached.
    fair_use: tuple[FairUseStep, ...] = ()

    @field_validator("fair_use")
    @classmethod
    def _steps(cls, value: tuple[FairUseStep, ...]) -> tuple[FairUseStep, ...]:
        levels = [step.level for step in value]
        if levels != sorted(set(levels)):
            raise ValueError(f"fair_use levels must be increasing without repeats, e.g. {sorted(set(levels))}")
        return value

    @model_validator(mode="after")
    def _fair_use_needs_cap(self) -> PackageConfig:
        if self.fair_use and self.cap == "unlimited":
            raise ValueError("fair_use needs a data cap (its levels are percent of the cap); remove it or set cap")
        return self

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, value: Any) -> Any:
        if isinstance(value, float):  # only reachable from Python callers; YAML gives Decimal
            value = Decimal(str(value))
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            if Decimal(value).as_tuple().exponent < -2:  # type: ignore[operator]
                raise ValueError(f"{value} has more than two decimals; prices are whole cents")
            return Decimal(value)
        raise ValueError(f"price must be a number like 299.00, not {shown(value)}")

    @field_validator("cap")
    @classmethod
    def _cap(cls, value: str) -> str:
        if value == "unlimited" or _CAP.match(value.strip()):
            return value.strip()
        raise ValueError(f'{shown(value)} is not a data cap; write e.g. "3000MB", "50GB", "1.5TB" or "unlimited"')

    @property
    def price_cents(self) -> int:
        return int(self.price * 100)

    @property
    def cap_bytes(self) -> int | None:
        """The cap in bytes (MB = 10^6 bytes, MiB = 2^20 bytes), or None for unlimited."""
        found = _CAP.match(self.cap)
        if found is None:
            return None
        return int(Decimal(found.group(1)) * _UNITS[found.group(2)])


class WarningsConfig(_Model):
    levels: tuple[int, ...] = (50, 75, 90, 100)
    #: ``every-level``: accounts get a copy of every warning; ``only-100``: only when a user reaches 100 %.
    accounts_copy: Literal["every-level", "only-100"] = "only-100"

    @field_validator("levels")
    @classmethod
    def _levels(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value:
            raise ValueError("give at least one level, e.g. [50, 75, 90, 100]")
        if any(not 1 <= v <= 1000 for v in value):
            raise ValueError("levels are percentages from 1 to 1000")
        if list(value) != sorted(set(value)):
            raise ValueError(f"levels must be increasing without repeats, e.g. {sorted(set(value))}")
        return value


class ScheduleConfig(_Model):
    time: str = "23:50:00"
    interval: str = "1d"

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        found = _CLOCK.match(str(value))
        if not found:
            raise ValueError(f'{shown(value)} is not a time of day; write "23:50" or "23:50:00" (quote it in YAML)')
        return f"{found.group(1)}:{found.group(2)}:{found.group(3) or '00'}"

    @field_validator("interval")
    @classmethod
    def _interval(cls, value: str) -> str:
        found = _DURATION.match(str(value))
        if not found or not any(found.groups()):
            raise ValueError(f'{shown(value)} is not an interval; write e.g. "1d" or "12h"')
        seconds = _duration_seconds(value)
        if not 3600 <= seconds <= 86400:
            raise ValueError("the interval must be between 1h and 1d: MonthEnd only bills on the last day of a month")
        return value

    @property
    def interval_seconds(self) -> int:
        return _duration_seconds(self.interval)


def _duration_seconds(text: str) -> int:
    found = _DURATION.match(text)
    assert found is not None
    w, d, h, m, s = (int(g or 0) for g in found.groups())
    return (((w * 7 + d) * 24 + h) * 60 + m) * 60 + s


def _within(value: str, low: int, high: int) -> bool:
    """Whether ``value`` is a RouterOS duration (e.g. ``5s``, ``1h30m``) of ``low`` to ``high`` seconds."""
    found = _DURATION.match(str(value))
    return bool(found and any(found.groups())) and low <= _duration_seconds(value) <= high


class InvoiceConfig(_Model):
    #: The first invoice number of the router-wide sequence (a higher start later makes the sequence jump up to it).
    start: int = Field(default=10001, ge=1, le=10**12)
    format: str = Field(default="{number}", min_length=1, max_length=80)

    @property
    def segments(self) -> tuple[mailtext.Segment, ...]:
        return mailtext.parse(self.format)


class UnpaidConfig(_Model):
    """What Enforce does to a user whose oldest unpaid bill is more than ``billing.grace_days`` overdue."""

    #: The user's rate while restricted (Mikrotik-Rate-Limit), or none.
    rate: str | None = "256k/256k"
    #: The firewall address list the NAS puts the user's address in while restricted (Mikrotik-Address-List), for a
    #: walled garden (docs/enforce.md has the firewall rule), or none.
    address_list: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
    #: RouterOS 6 (no user attributes): the User Manager profile a restricted user is moved to (the operator's, with a
    #: limitation carrying the slow rate). Giving it leaves ``rate`` unset unless written too.
    profile: str | None = Field(default=None, pattern=_PROFILE_NAME)
    #: One reminder mail (mail.unpaid_reminder) when a user is restricted.
    reminder: bool = True

    _rate = field_validator("rate", mode="before")(lambda v: None if v in (None, "none") else _rate(v))

    @model_validator(mode="before")
    @classmethod
    def _profile_has_no_default_rate(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("profile") is not None and "rate" not in data:
            return {**data, "rate": None}
        return data

    @model_validator(mode="after")
    def _something(self) -> UnpaidConfig:
        if self.rate is None and self.address_list is None and self.profile is None:
            raise ValueError(
                "give a rate, an address_list or both (RouterOS 7), or a profile (RouterOS 6): the restriction of an "
                "unpaid account"
            )
        return self


class BillingConfig(_Model):
    invoice: InvoiceConfig = InvoiceConfig()
    #: Days after the end of a billed period before an unpaid bill restricts the user (absent: never).
    grace_days: int | None = Field(default=None, ge=0, le=365)
    unpaid: UnpaidConfig = UnpaidConfig()
    #: ``reset``: close the billed users' sessions on this router (the NAS), and reset the counters of those who stay
    #: offline (v6 reset-counters; v7 remove the user's session rows). ``baseline``: never touch the counters; the
    #: billed counter total is the base of the next period.
    counter_reset: Literal["reset", "baseline"] = "baseline"
    close_sessions: tuple[Literal["ppp", "hotspot", "user-manager"], ...] = ()
    close_wait: str = "5s"
    #: ``digest``: the accounts copies of a run's bills in as few mails as fit; ``each``: one mail per bill.
    accounts_copies: Literal["digest", "each"] = "digest"
    #: How long one run may spend sending mail; what is left is sent on the next run.
    mail_budget: str = "3h"

    @field_validator("close_wait")
    @classmethod
    def _wait(cls, value: str) -> str:
        found = _DURATION.match(str(value))
        if not found or not any(found.groups()) or _duration_seconds(value) > 120:
            raise ValueError(f'{shown(value)} is not a short wait; write e.g. "5s" (at most 2m)')
        return value

    @field_validator("mail_budget")
    @classmethod
    def _budget(cls, value: str) -> str:
        if not _within(value, 60, 12 * 3600):
            raise ValueError(f'{shown(value)} is not a mail time budget; write e.g. "3h" (1m to 12h)')
        return value

    @property
    def mail_budget_seconds(self) -> int:
        return _duration_seconds(self.mail_budget)

    @field_validator("close_sessions", mode="before")
    @classmethod
    def _none(cls, value: Any) -> Any:
        return () if value in ("none", None) else value

    @model_validator(mode="after")
    def _reset_needs_close(self) -> BillingConfig:
        if len(set(self.close_sessions)) != len(self.close_sessions):
            raise ValueError("close_sessions lists a method twice")
        if self.counter_reset == "reset" and "user-manager" in self.close_sessions:
            raise ValueError(
                "counter_reset: reset cannot rely on close_sessions: user-manager: closing a session in User Manager "
                "may leave the NAS session running (MikroTik wiki, User Manager Active sessions), and its next "
                "interim update would bring the usage back; list ppp and/or hotspot (this router is the NAS), or use "
                "counter_reset: baseline"
            )
        if self.counter_reset == "reset" and not self.close_sessions:
            raise ValueError(
                "counter_reset: reset needs close_sessions (ppp and/or hotspot): a reset while a session is open does "
                "not stick; use counter_reset: baseline to keep sessions open"
            )
        return self


class MailTemplateConfig(_Model):
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=8000)

    @field_validator("subject")
    @classmethod
    def _subject_one_line(cls, value: str) -> str:
        if "\n" in value.rstrip("\n") or "\r" in value:
            raise ValueError("a subject is one line")
        return _no_control(value.rstrip("\n"))

    _body = field_validator("body")(_no_control)


class ResendConfig(_Model):
    subject_prefix: str = Field(default="Re-sent: ", max_length=40)
    note: str = Field(
        default="(This is a copy: the first mail could not be confirmed as delivered. Please ignore it if you have "
        "it already.)\n\n",
        max_length=400,
    )

    _subject = field_validator("subject_prefix")(lambda v: _one_line(v))
    _note = field_validator("note")(lambda v: _no_control(v))


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("a subject prefix is one line")
    return _no_control(value)


def _default(kind: str) -> Any:
    return Field(default_factory=lambda: MailTemplateConfig(**mailtext.DEFAULTS[kind]))


class MailConfig(_Model):
    """The five e-mails. Leave one out to get rosbill's default text (``generator/mailtext.py``)."""

    user_warning: MailTemplateConfig = _default("user_warning")
    accounts_warning: MailTemplateConfig = _default("accounts_warning")
    user_bill: MailTemplateConfig = _default("user_bill")
    unpaid_reminder: MailTemplateConfig = _default("unpaid_reminder")
    accounts_bill: MailTemplateConfig = _default("accounts_bill")
    accounts_report: MailTemplateConfig = _default("accounts_report")
    accounts_digest: MailTemplateConfig = _default("accounts_digest")
    #: How a mail that is sent again is marked: a prefix to its subject and a first line of its body.
    resend: ResendConfig = ResendConfig()


class SmtpConfig(_Model):
    server: str = Field(min_length=1, max_length=253)
    port: int = Field(default=587, ge=1, le=65535)
    #: ``starttls`` (587), ``yes`` (implicit TLS, 465) or ``no``; mapped to each version's own setting.
    tls: Literal["no", "yes", "starttls"] = "starttls"
    user: str = Field(default="", max_length=200)

    _text = field_validator("server", "user")(_no_control)


# --- notify (issue 12): messages by Telegram or an HTTP webhook, sent by the router with /tool fetch --------------
#: A channel's name: it is also the key of its token in the router's key entry (docs/notify.md).
_CHANNEL = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
#: An environment variable that holds a channel's token (read by rosbill deploy, never written to the config).
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,63}$")
#: An http(s) URL without spaces, quotes, backslashes or control characters (it reaches /tool fetch url=).
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~!$&'()*+,;=:@%/{}?-]*)?$")
#: Which messages the channels can send; each text takes the placeholders of the mail of the same kind (mailtext).
NOTIFY_KINDS = ("user_warning", "user_bill", "unpaid_reminder")
#: Placeholders of a webhook's URL (URL-encoded on the router) and of its JSON body (JSON strings, quoted).
WEBHOOK_URL_PLACEHOLDERS = frozenset({"phone", "username"})
WEBHOOK_BODY_PLACEHOLDERS = frozenset({"phone", "username", "text", "kind"})


class NotifyChannelConfig(_Model):
    """One channel. ``telegram``: the Bot API's sendMessage to the chat id in the user's ``tg=``; ``webhook``: an HTTP
    JSON POST to ``url`` with ``body`` (placeholders as JSON strings), for SMS or WhatsApp gateways (``phone=``)."""

    type: Literal["telegram", "webhook"]
    #: telegram: the Bot API's address (the default; another for a local Bot API server or a test receiver).
    #: webhook: the URL the POST goes to; it may hold ``{phone}`` and ``{username}`` (URL-encoded on the router).
    url: str = Field(default="", max_length=500)
    #: The environment variable rosbill deploy reads the token from (telegram: the bot token, required; webhook: a
    #: bearer token sent as ``Authorization: Bearer``, optional). The token itself never goes in this file.
    token_env: str = Field(default="", max_length=64)
    #: webhook only: the JSON body; ``{text}``, ``{phone}``, ``{username}``, ``{kind}`` become JSON strings.
    body: str = Field(default="", max_length=2000)
    #: ``yes`` checks the server's certificate against the router's store (/tool fetch check-certificate=yes).
    check_certificate: bool = True

    _text = field_validator("url", "body")(_no_control)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not _URL.match(value):
            raise ValueError(
                f"{shown(value)} is not an http(s) URL rosbill can pass to /tool fetch; write e.g. "
                '"https://sms.example.net/send" (no spaces, quotes or backslashes)'
            )
        return value

    @field_validator("token_env")
    @classmethod
    def _env(cls, value: str) -> str:
        if value and not _ENV_NAME.match(value):
            raise ValueError(f"{shown(value)} is not an environment variable name; write e.g. ROSBILL_TELEGRAM_TOKEN")
        return value

    @model_validator(mode="after")
    def _by_type(self) -> NotifyChannelConfig:
        if self.type == "telegram":
            if not self.token_env:
                raise ValueError(
                    "a telegram channel needs token_env: the environment variable rosbill deploy reads the bot "
                    "token from (e.g. ROSBILL_TELEGRAM_TOKEN)"
                )
            if self.body:
                raise ValueError("body is for webhook channels; a telegram message is the text")
            if "{" in self.url:
                raise ValueError("a telegram url is the Bot API's address, without placeholders")
        else:
            if not self.url:
                raise ValueError('a webhook channel needs url: e.g. "https://sms.example.net/send"')
            if not self.body:
                raise ValueError('a webhook channel needs body: e.g. \'{"to": {phone}, "message": {text}}\'')
        return self

    @property
    def api(self) -> str:
        """Where requests go: a telegram channel's Bot API address (no trailing /), or the webhook's URL template."""
        if self.type == "telegram":
            return (self.url or "https://api.telegram.org").rstrip("/")
        return self.url


class NotifyMessageConfig(_Model):
    """Which channels send one kind of message, and its text (the mail placeholders of that kind)."""

    channels: tuple[str, ...] = Field(min_length=1)
    text: str = Field(min_length=1, max_length=600)

    _text = field_validator("text")(_no_control)


class NotifyConfig(_Model):
    channels: dict[str, NotifyChannelConfig] = Field(min_length=1)
    user_warning: NotifyMessageConfig | None = None
    user_bill: NotifyMessageConfig | None = None
    #: Once per unpaid restriction (Enforce's rsd=, billing.grace_days): the placeholders of mail.unpaid_reminder.
    unpaid_reminder: NotifyMessageConfig | None = None
    #: How long one run may spend sending (checked between messages); what is left goes on the next run.
    budget: str = "10m"
    #: At most this many messages per run (the rest go on the next run).
    max_per_run: int = Field(default=200, ge=1, le=5000)
    #: How long one request may take (/tool fetch duration=, where the release has it: RouterOS 7; docs/notify.md).
    timeout: str = "20s"

    @field_validator("timeout")
    @classmethod
    def _timeout(cls, value: str) -> str:
        found = _DURATION.match(str(value))
        if not found or not any(found.groups()) or not 1 <= _duration_seconds(value) <= 120:
            raise ValueError(f'{shown(value)} is not a request timeout; write e.g. "20s" (1s to 2m)')
        return value

    @field_validator("channels")
    @classmethod
    def _names(cls, value: dict[str, NotifyChannelConfig]) -> dict[str, NotifyChannelConfig]:
        for name in value:
            if not _CHANNEL.match(name):
                raise ValueError(
                    f"channel name {shown(name)} must be 1-24 lower-case letters, digits or _ starting with a letter"
                )
        return value

    @field_validator("budget")
    @classmethod
    def _budget(cls, value: str) -> str:
        if not _within(value, 30, 3 * 3600):
            raise ValueError(f'{shown(value)} is not a notify time budget; write e.g. "10m" (30s to 3h)')
        return value

    @property
    def budget_seconds(self) -> int:
        return _duration_seconds(self.budget)

    def messages(self) -> dict[str, NotifyMessageConfig]:
        """The configured kinds, in :data:`NOTIFY_KINDS` order."""
        found = {kind: getattr(self, kind) for kind in NOTIFY_KINDS}
        return {kind: message for kind, message in found.items() if message is not None}


class Config(_Model):
    routers: tuple[RouterConfig, ...] = Field(min_length=1)
    company: CompanyConfig
    packages: dict[str, PackageConfig] = Field(min_length=1)
    warnings: WarningsConfig = WarningsConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    billing: BillingConfig = BillingConfig()
    mail: MailConfig = MailConfig()
    smtp: SmtpConfig | None = None
    notify: NotifyConfig | None = None
    #: Where each key stands in the file it was read from (:func:`locate`); None for a config built in code.
    _marks: Marks | None = PrivateAttr(default=None)

    @field_validator("packages")
    @classmethod
    def _package_names(cls, value: dict[str, PackageConfig]) -> dict[str, PackageConfig]:
        for name in value:
            if not name or len(name) > 64 or any(c in _STATE_SEPARATORS or ord(c) < 0x20 for c in name):
                raise ValueError(
                    f"package name {shown(name)} must be 1-64 characters without ; = {{ }} or control characters "
                    "(it is the User Manager profile name and may appear in the comment as pkg=)"
                )
        return value

    @model_validator(mode="after")
    def _unique_routers(self) -> Config:
        names = [r.name for r in self.routers]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"router name {shown(name)} is used twice; names pick the build/<name>/ folder")
        return self


# --------------------------------------------------------------------------------------------------------------------
# Loading


_SECRET_KEYS = {"password", "secret", "smtp_password", "api_password", "token", "bot_token", "bearer_token"}


#: The largest config file read (the shipped one is 4 kB; the limit stops /dev/zero or a log file given by mistake).
MAX_BYTES = 1024 * 1024


def load(path: str | Path) -> Config:
    """Reads and validates a billing config. Raises :class:`ConfigError` listing every located problem."""
    return load_checked(path)[0]


def load_checked(path: str | Path) -> tuple[Config, list[ConfigProblem]]:
    """:func:`load`, and the warnings about a config that loads (e.g. a warning mail without ``{level}``)."""
    path = Path(path)
    name = str(path)
    try:
        with path.open("rb") as handle:
            if os.isatty(handle.fileno()):  # a terminal would wait for someone to type the config
                raise ConfigError([ConfigProblem(_nowhere(name), "", "this is a terminal, not a config file")])
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(_nowhere(name), "", "file not found")]) from None
    except OSError as error:
        raise ConfigError([ConfigProblem(_nowhere(name), "", f"cannot read the file: {error.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise ConfigError(
            [ConfigProblem(_nowhere(name), "", f"the file is over {MAX_BYTES // 1024} kB; is it the billing config?")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8", "replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise ConfigError(
            [ConfigProblem(Location(name, line, column), "", "the file is not UTF-8 text here; save it as UTF-8")]
        ) from None
    return loads_checked(text, name)


def loads(text: str, path: str = "<config>") -> Config:
    return loads_checked(text, path)[0]


def loads_checked(text: str, path: str = "<config>") -> tuple[Config, list[ConfigProblem]]:
    try:
        data, marks = read(text, path)
    except YamlError as error:
        raise ConfigError([error.problem]) from None
    if not isinstance(data, dict):
        raise ConfigError(
            [ConfigProblem(marks.value(()), "", "the file must be a mapping of sections (router, company, ...)")]
        )
    problems = _secrets(data, marks, ())
    if problems:
        raise ConfigError(problems)
    data = dict(data)
    if "router" in data and "routers" in data:
        raise ConfigError(
            [ConfigProblem(marks.key(("routers",)), "routers", "give either router: or routers:, not both")]
        )
    prefix: dict[str, tuple[str | int, ...]] = {}
    if "router" in data:
        data["routers"] = [data.pop("router")]
        prefix["routers"] = ("router",)
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_located(error, marks, prefix)) from None
    found = _check_mail(config, marks) + _check_invoice(config, marks) + _check_close(config, marks)
    found += _check_enforce_routers(config, marks, prefix)
    found += _check_notify(config, marks)
    problems = [p for p in found if p.severity == "error"]
    if problems:
        raise ConfigError(problems)
    config._marks = marks
    return config, [p for p in found if p.severity != "error"]


def locate(config: Config, at: tuple[str | int, ...]) -> tuple[Location, bool]:
    """Where the key ``at`` stands in the file ``config`` was read from (its nearest parent when the file leaves it
    out), and whether the file gives it. A config built in code has no file: ``<config>:1:1``."""
    marks = config._marks
    if marks is None:
        return Location("<config>", 1, 1), False
    return marks.key(at), at in marks.keys


def _nowhere(path: str) -> Location:
    return Location(path, 1, 1)


def _secrets(data: Any, marks: Marks, at: tuple[str | int, ...]) -> list[ConfigProblem]:
    out: list[ConfigProblem] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = (*at, key)
            if key in _SECRET_KEYS:
                out.append(
                    ConfigProblem(
                        marks.key(here),
                        dotted(here),
                        "passwords never go in the config file; rosbill reads them from the environment "
                        "(ROSBILL_PASSWORD, ROSBILL_PASSWORD_<ROUTER>, ROSBILL_SMTP_PASSWORD; a notify channel's "
                        "token from the variable its token_env: names) or asks for them",
                    )
                )
            else:
                out.extend(_secrets(value, marks, here))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_secrets(value, marks, (*at, i)))
    return out


def _located(error: ValidationError, marks: Marks, prefix: dict[str, tuple[str | int, ...]]) -> list[ConfigProblem]:
    problems = []
    items = error.errors(include_url=False)
    # pydantic also reports a collection as "too short" when one of its items failed; the item's error says it better.
    failed = [tuple(i["loc"]) for i in items if i["type"] != "too_short"]
    items = [
        i
        for i in items
        if not (i["type"] == "too_short" and any(f[: len(i["loc"])] == tuple(i["loc"]) for f in failed))
    ]
    for item in items:
        loc = tuple(part for part in item["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        if loc and loc[0] in prefix:  # router: given as a single mapping, validated as routers[0]
            loc = prefix[str(loc[0])] + loc[2:]
        kind = item["type"]
        if kind == "extra_forbidden":
            location = marks.key(loc)
            message = f"unknown key{_did_you_mean(loc, error)}"
        elif kind == "missing":
            location = marks.key(loc[:-1])
            message = f"required key {loc[-1]!s} is missing"
        else:
            location = marks.value(loc)
            message = _message(item)
        problems.append(ConfigProblem(location, dotted(loc), message))
    problems.sort(key=lambda p: (p.location.line, p.location.column))
    return problems


def _message(item: Any) -> str:
    message = str(item["msg"])
    for noise in ("Value error, ", "Assertion failed, "):
        message = message.replace(noise, "")
    if item["type"] == "literal_error":
        message = f"must be one of {item['ctx']['expected']}"
    elif item["type"] == "string_pattern_mismatch" and "@" in str(item["ctx"].get("pattern", "")):
        message = f"{shown(item['input'])} is not an e-mail address"
    elif item["type"] == "string_pattern_mismatch":
        message = f"{shown(item['input'])} has characters that are not allowed here"
    return message


def _did_you_mean(loc: tuple[str | int, ...], error: ValidationError) -> str:
    known = _known_keys(loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]}?)"
    return f"; known keys here: {', '.join(sorted(known))}" if known else ""


def _known_keys(parent: tuple[str | int, ...]) -> list[str]:
    """The keys the model accepts at ``parent``, for "did you mean"."""
    model: Any = Config
    skip_next = False
    for part in parent:
        if skip_next or isinstance(part, int):  # a dict key (package name) or a list index
            skip_next = False
            continue
        field = model.model_fields.get(part) if model is not None and hasattr(model, "model_fields") else None
        if field is None:
            return []
        skip_next = getattr(field.annotation, "__origin__", None) is dict
        model = _model_of(field.annotation)
    return list(model.model_fields) if model is not None and hasattr(model, "model_fields") else []


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _check_mail(config: Config, marks: Marks) -> list[ConfigProblem]:
    problems = []
    for kind in mailtext.KINDS:
        template = getattr(config.mail, kind)
        for part in ("subject", "body"):
            at: tuple[str | int, ...] = ("mail", kind, part)
            for bad, message in mailtext.check(getattr(template, part), kind, subject=part == "subject"):
                problems.append(ConfigProblem(marks.find_in_value(at, bad), dotted(at), message))
        # What a mail of this kind must say (a file cut off in the middle of a bill must not build).
        at = ("mail", kind)
        for name, severity in mailtext.REQUIRED.get(kind, ()):
            if not mailtext.mentions(template.subject, name) and not mailtext.mentions(template.body, name):
                problems.append(
                    ConfigProblem(
                        marks.value((*at, "body")),
                        dotted(at),
                        f"the {kind.replace('_', ' ')} mail never uses {{{name}}} "
                        f"({mailtext.PLACEHOLDERS[name]}); add it",
                        severity,
                    )
                )
    return problems


def enforces(config: Config) -> bool:
    """Whether the config asks Enforce for anything: a package's fair_use, or unpaid restriction (grace_days)."""
    return config.billing.grace_days is not None or any(p.fair_use for p in config.packages.values())


def _check_close(config: Config, marks: Marks) -> list[ConfigProblem]:
    """With counter_reset: baseline, close_sessions is only for Enforce: it ends a throttled or restricted user's PPP or
    hotspot session on this router so the NAS asks User Manager again and applies the new rate (docs/enforce.md)."""
    billing = config.billing
    if billing.counter_reset != "baseline" or not billing.close_sessions:
        return []
    at: tuple[str | int, ...] = ("billing", "close_sessions")
    if not enforces(config):
        message = (
            "close_sessions is only used with counter_reset: reset, or by Enforce (packages' fair_use or "
            "billing.grace_days); remove it or write none"
        )
    elif "user-manager" in billing.close_sessions:
        message = (
            "Enforce closes sessions only as the NAS: list ppp and/or hotspot; closing in User Manager may leave the "
            "NAS session running with the old rate (MikroTik wiki, User Manager Active sessions)"
        )
    else:
        return []
    return [ConfigProblem(marks.value(at), dotted(at), message)]


def _check_enforce_routers(
    config: Config, marks: Marks, prefix: dict[str, tuple[str | int, ...]]
) -> list[ConfigProblem]:
    """How Enforce applies fair use and unpaid restriction depends on the router (the dialect says it:
    ``enforce_by_profile``): RouterOS 7 sets the user's attributes (``rate``, ``address_list``), RouterOS 6 users have
    none and are moved to a User Manager profile (``profile``). The other kind is refused where it is written, and a
    throttle profile may not be a package (docs/enforce.md)."""
    if not enforces(config):
        return []
    problems: list[ConfigProblem] = []
    seen: set[str] = set()
    for index, router in enumerate(config.routers):
        dialect = for_version(router.version)
        by_profile = dialect.enforce_by_profile
        kind = "by_profile" if by_profile else "by_attributes"
        if kind in seen:
            continue
        seen.add(kind)
        where = f"{'router' if 'routers' in prefix else f'routers[{index}]'} is RouterOS {router.version}"
        if by_profile:
            why = (
                f"{where}, whose User Manager users have no attributes: a rate comes only from a profile's limitation "
                "(docs/enforce.md)"
            )
        else:
            why = (
                f"{where}, which sets the rate in the user's attributes and never changes the profile (docs/enforce.md)"
            )
        for name, package in config.packages.items():
            for i, step in enumerate(package.fair_use):
                at: tuple[str | int, ...] = ("packages", name, "fair_use", i)
                if by_profile and step.rate is not None:
                    problems.append(ConfigProblem(marks.key((*at, "rate")), dotted((*at, "rate")), (
                        f"{why}; write profile: <a User Manager profile whose limitation has the rate {step.rate}> "
                        "instead of rate:")))  # fmt: skip
                if not by_profile and step.profile is not None:
                    problems.append(ConfigProblem(marks.key((*at, "profile")), dotted((*at, "profile")), (
                        f"{why}; write rate: <the throttled rate, e.g. 2M/2M> instead of profile:")))  # fmt: skip
                if step.profile is not None and step.profile in config.packages:
                    problems.append(ConfigProblem(marks.value((*at, "profile")), dotted((*at, "profile")), (
                        f"{shown(step.profile)} is a package; a fair-use profile must be a profile of its own that "
                        "no user has as a package (Enforce moves users to it and back)")))  # fmt: skip
        if config.billing.grace_days is None:
            continue
        unpaid = config.billing.unpaid
        at = ("billing", "unpaid")
        if by_profile:
            for key in ("rate", "address_list"):
                if key in unpaid.model_fields_set and getattr(unpaid, key) is not None:
                    problems.append(ConfigProblem(marks.key((*at, key)), dotted((*at, key)), (
                        f"{why}; remove {key}: and give profile: <a User Manager profile whose limitation has the "
                        "unpaid rate>")))  # fmt: skip
            if unpaid.profile is None:
                spot = at if "unpaid" in config.billing.model_fields_set else ("billing", "grace_days")
                problems.append(ConfigProblem(marks.key(spot), dotted(spot), (
                    f"{why}; unpaid restriction needs billing.unpaid.profile: <a User Manager profile whose "
                    'limitation has the unpaid rate, e.g. "Unpaid">')))  # fmt: skip
        elif unpaid.profile is not None:
            problems.append(ConfigProblem(marks.key((*at, "profile")), dotted((*at, "profile")), (
                f"{why}; write rate: and/or address_list: instead of profile:")))  # fmt: skip
        if unpaid.profile is not None and unpaid.profile in config.packages:
            problems.append(ConfigProblem(marks.value((*at, "profile")), dotted((*at, "profile")), (
                f"{shown(unpaid.profile)} is a package; the unpaid profile must be a profile of its own that no "
                "user has as a package")))  # fmt: skip
    return problems


def _check_invoice(config: Config, marks: Marks) -> list[ConfigProblem]:
    at: tuple[str | int, ...] = ("billing", "invoice", "format")
    template = config.billing.invoice.format
    found = mailtext.check(template, "invoice")
    if not found:
        found = mailtext.invoice_problems(template, len(config.routers) > 1)
    return [ConfigProblem(marks.find_in_value(at, bad), dotted(at), message) for bad, message in found]


def _check_notify(config: Config, marks: Marks) -> list[ConfigProblem]:
    """Channel names a message uses, the placeholders of texts, URLs and bodies, and that a body is JSON."""
    notify = config.notify
    if notify is None:
        return []
    problems = []
    if not notify.messages():
        at: tuple[str | int, ...] = ("notify",)
        problems.append(ConfigProblem(marks.key(at), "notify", "no message uses the channels; add user_warning:, "
                                      "user_bill: or unpaid_reminder: with channels: and text:"))  # fmt: skip
    for kind, message in notify.messages().items():
        for i, name in enumerate(message.channels):
            at = ("notify", kind, "channels", i)
            if name not in notify.channels:
                known = ", ".join(sorted(notify.channels))
                problems.append(ConfigProblem(marks.value(at), dotted(at), f"no channel {shown(name)}; known: {known}"))
            elif message.channels.count(name) > 1:
                problems.append(ConfigProblem(marks.value(at), dotted(at), f"channel {shown(name)} is listed twice"))
        at = ("notify", kind, "text")
        for bad, text in mailtext.check(message.text, kind):
            problems.append(ConfigProblem(marks.find_in_value(at, bad), dotted(at), text))
    if notify.unpaid_reminder is not None and config.billing.grace_days is None:
        at = ("notify", "unpaid_reminder")
        problems.append(ConfigProblem(marks.key(at), dotted(at), "nobody is restricted without billing.grace_days "
                                      "(Enforce sets rsd=), so this message is never sent; set grace_days or remove "
                                      "it", "warning"))  # fmt: skip
    for name, channel in notify.channels.items():
        if channel.type != "webhook":
            continue
        for part, offered in (("url", WEBHOOK_URL_PLACEHOLDERS), ("body", WEBHOOK_BODY_PLACEHOLDERS)):
            at = ("notify", "channels", name, part)
            template = getattr(channel, part)
            for bad, text in _placeholders_in(template, offered):
                problems.append(ConfigProblem(marks.find_in_value(at, bad), dotted(at), text))
        at = ("notify", "channels", name, "body")
        error = _json_template_error(channel.body)
        if error:
            problems.append(ConfigProblem(marks.value(at), dotted(at), error))
    return problems + _check_notify_size(config, marks)


def _check_notify_size(config: Config, marks: Marks) -> list[ConfigProblem]:
    """That the texts and channels leave BillingNotify and BillingFunctions under the script limit (RB004)."""
    notify = config.notify
    assert notify is not None
    texts, requests = notify_weights(config)
    problems = []
    used = sum(texts.values()) + NOTIFY_CHANNEL_BYTES * len(notify.channels)
    if texts and used > NOTIFY_TEXT_ROOM:
        kind = max(texts, key=lambda k: texts[k])
        at: tuple[str | int, ...] = ("notify", kind, "text")
        shares = ", ".join(f"{k} {w}" for k, w in texts.items())
        problems.append(ConfigProblem(marks.value(at), dotted(at), (
            f"the notify texts and channels would take about {used} bytes of BillingNotify, which has room for "
            f"{NOTIFY_TEXT_ROOM} under the 30,000-byte script limit (texts: {shares}; {NOTIFY_CHANNEL_BYTES} per "
            "channel); shorten the texts (a non-ASCII letter counts 3 to 12, \\ \" $ ? 2) or use fewer channels "
            "(docs/notify.md)")))  # fmt: skip
    # With counter_reset: reset, BillingFunctions also holds the reset's functions (rbOnline, rbCloseSessions); with
    # baseline, rbCloseSessions when Enforce ends the changed users' sessions (close_sessions).
    if config.billing.counter_reset == "reset":
        room = NOTIFY_REQUEST_ROOM - NOTIFY_RESET_BYTES
    elif config.billing.close_sessions and enforces(config):
        room = NOTIFY_REQUEST_ROOM - NOTIFY_CLOSE_BYTES
    else:
        room = NOTIFY_REQUEST_ROOM
    if sum(requests.values()) > room:
        name = max(requests, key=lambda n: requests[n])
        at = ("notify", "channels", name)
        problems.append(ConfigProblem(marks.key(at), dotted(at), (
            f"the channels' URLs and bodies would take about {sum(requests.values())} bytes of BillingFunctions, "
            f"which has room for {room} under the 30,000-byte script limit; shorten the webhook "
            "bodies and URLs or use fewer channels (docs/notify.md)")))  # fmt: skip
    return problems


def literal_values(config: Config, run_name: str = "") -> dict[str, str]:
    """The placeholders whose value is fixed by the config (the renderer writes them into the text itself)."""
    company = config.company
    return {
        "company": company.name,
        "currency": company.currency,
        "banking": company.banking.rstrip("\n"),
        "tax_line": company.tax_line,
        "run": run_name,
        "grace_days": str(config.billing.grace_days or 0),
    }


# --- the notify section's share of the 30,000-byte script limit (lint RB004; docs/notify.md) ----------------------
# BillingNotify holds each kind's text and a few lines per channel; BillingFunctions holds each channel's request
# (URL and body). The weights bound the bytes they take in those scripts: a character of plain ASCII text counts 1,
# one of \ " $ ? or a line break 2, any other byte of its UTF-8 3 (the encoder writes an escape for it), plus 30 % for
# the long lines being wrapped; a placeholder the router fills in counts 16 in a text, 45 in a URL or body; one that
# the config fills in ({company}, {banking} ...) counts as its value. The room is what the scripts leave with the
# shipped config's other sections (measured with rosbill build on 6.49 and 7.16, tests/billing/test_notify_unpaid.py).
NOTIFY_TEXT_ROOM = 3400
NOTIFY_CHANNEL_BYTES = 260
NOTIFY_REQUEST_ROOM = 10000
#: What counter_reset: reset adds to BillingFunctions (rbOnline, rbCloseSessions in functions_billing.rsc.j2: 2,184 B
#: with both close methods), taken off the requests' room; with counter_reset: baseline, Enforce's close_sessions adds
#: rbCloseSessions alone (1,066 B with both). Measured against the same config without close_sessions, 6.49 and 7.16.
NOTIFY_RESET_BYTES = 2250
NOTIFY_CLOSE_BYTES = 1100
NOTIFY_REQUEST_BYTES = 240


def _source_weight(text: str) -> int:
    plain = sum(1 if 0x20 <= b < 0x7F and b not in b'\\"$?' else 2 if b in b'\\"$?\n\t' else 3 for b in text.encode())
    return -(-plain * 13 // 10)


def notify_weights(config: Config) -> tuple[dict[str, int], dict[str, int]]:
    """The weight of each notify text (by kind) in BillingNotify and of each channel's request (by name) in
    BillingFunctions; 0 without a notify section."""
    notify = config.notify
    if notify is None:
        return {}, {}
    literals = literal_values(config, "BillingNotify")
    texts = {}
    for kind, message in notify.messages().items():
        weight = 0
        for seg in mailtext.parse(message.text):
            if not seg.placeholder:
                weight += _source_weight(seg.text)
            else:
                weight += _source_weight(literals[seg.placeholder]) if seg.placeholder in literals else 16
        texts[kind] = weight
    requests = {}
    for name, channel in notify.channels.items():
        weight = NOTIFY_REQUEST_BYTES
        for template in (channel.api, channel.body):
            for text, placeholder in webhook_segments(template):
                weight += 45 if placeholder else _source_weight(text)
        requests[name] = weight
    return texts, requests


#: A placeholder of a webhook's URL or body: ``{name}``; every other brace is literal (JSON has plenty).
_WEBHOOK_TOKEN = re.compile(r"\{([a-z_]+)\}")


def webhook_segments(template: str) -> list[tuple[str, str]]:
    """A webhook URL or body as (literal text, "") and ("", placeholder) pieces, in order."""
    out: list[tuple[str, str]] = []
    at = 0
    for found in _WEBHOOK_TOKEN.finditer(template):
        if found.start() > at:
            out.append((template[at : found.start()], ""))
        out.append(("", found.group(1)))
        at = found.end()
    if at < len(template):
        out.append((template[at:], ""))
    return out


def _placeholders_in(template: str, offered: frozenset[str]) -> list[tuple[str, str]]:
    names = ", ".join("{" + n + "}" for n in sorted(offered))
    return [
        (f"{{{name}}}", f"{{{name}}} is not a placeholder here; use {names}")
        for _, name in webhook_segments(template)
        if name and name not in offered
    ]


def _json_template_error(body: str) -> str:
    """Why the body would not be JSON once every placeholder is a JSON string ("" when it is)."""
    sample = "".join(text if not name else '"x"' for text, name in webhook_segments(body))
    try:
        json.loads(sample)
    except ValueError as error:
        return (
            f"the body is not JSON once the placeholders are filled in ({error}); write JSON with the placeholders "
            'as values, e.g. \'{"to": {phone}, "message": {text}}\' (each becomes a quoted JSON string)'
        )
    return ""
