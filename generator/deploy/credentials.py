"""Where deploy passwords come from, and the :class:`Secret` they travel in.

The router password comes from the router's own environment variable (``ROSBILL_PASSWORD_<ROUTER>``), then
``ROSBILL_PASSWORD``; the CLI adds an interactive prompt when neither is set. The SMTP password for ``/tool e-mail``
comes from ``ROSBILL_SMTP_PASSWORD``, and only when the config has an ``smtp:`` section. A notify channel's token
(a Telegram bot token, a webhook's bearer token) comes from the variable its ``token_env:`` names (docs/notify.md).

Must not: read passwords from the config file (``config.py`` refuses them there), print, log, or write them anywhere;
a :class:`Secret` shows ``***`` in every text form and refuses to be pickled.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn

from generator.config import Config, RouterConfig

SMTP_VARIABLE = "ROSBILL_SMTP_PASSWORD"
#: What a notify token may hold: it goes into a URL path (Telegram) or an HTTP header (bearer), and into the comment
#: lines of the router's key entry, so no spaces, quotes, commas, semicolons or control characters. Bot API tokens
#: (``123456:ABC-def_...``) and the usual bearer tokens (base64url, JWT) fit. BillingNotify checks the same pattern.
NOTIFY_TOKEN = re.compile(r"^[A-Za-z0-9_:.~+/=-]{1,512}$")


class Secret:
    """A password. ``reveal()`` is the only way to the value; ``str``/``repr``/``format`` give ``***``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return "***"

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled or copied into files")


@dataclass(frozen=True, slots=True)
class Found:
    """A password and the environment variable it came from (the name is safe to show; the value is not)."""

    secret: Secret
    variable: str


def router_password(router: RouterConfig, environ: Mapping[str, str]) -> Found | None:
    """The router's password from the environment: the per-router variable wins over ``ROSBILL_PASSWORD``.

    A variable that is set but empty counts (a new RouterOS has ``admin`` with an empty password).
    """
    for variable in router.password_variables:
        if variable in environ:
            return Found(Secret(environ[variable]), variable)
    return None


def smtp_password(config: Config, environ: Mapping[str, str]) -> Secret | None:
    """``ROSBILL_SMTP_PASSWORD`` when the config manages ``/tool e-mail`` and the variable is present."""
    if config.smtp is None or SMTP_VARIABLE not in environ:
        return None
    return Secret(environ[SMTP_VARIABLE])


@dataclass(frozen=True, slots=True)
class NotifyKeys:
    """The notify channels' tokens found in the environment (by channel name), the channels whose variable is not
    set, and those whose value cannot be used (names of variables only: never the values)."""

    tokens: dict[str, Secret]
    missing: tuple[tuple[str, str], ...]  # (channel, variable)
    malformed: tuple[tuple[str, str], ...]  # (channel, variable)


def notify_keys(config: Config, environ: Mapping[str, str]) -> NotifyKeys:
    """Each notify channel's token from the variable its ``token_env:`` names."""
    tokens: dict[str, Secret] = {}
    missing = []
    malformed = []
    channels = config.notify.channels if config.notify is not None else {}
    for name, channel in channels.items():
        variable = channel.token_env
        if not variable:
            continue
        value = environ.get(variable)
        if value is None or value == "":
            missing.append((name, variable))
        elif not NOTIFY_TOKEN.match(value):
            malformed.append((name, variable))
        else:
            tokens[name] = Secret(value)
    return NotifyKeys(tokens, tuple(missing), tuple(malformed))
