"""What the emulated router knows about its own RouterOS release: the version and the behaviour it gates.

The emulator's own version model, so that ``emulator/`` does not depend on the product's ``generator/dialects.py``
(which describes how the *generator* writes for a version and changes with it). Both record the same facts, from the
same sources (``../shared/reference/platform.md`` §0.1, ``routeros-scripting.md`` §10); ``tests/test_layout.py``
checks that every gate the two share gives the same answer on every supported release.

Every version comparison inside ``emulator/`` is a named property here; other emulator modules ask ``version.has_x``.

Must not: import anything from ``generator/``; know templates, config or lint rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering


class VersionError(ValueError):
    """The text is not a RouterOS release the emulator models (6.43+ or 7.x)."""


_VERSION = re.compile(r"^(6|7)\.(\d{1,3})(?:\.(\d{1,3}))?$")

#: Month abbreviations as RouterOS prints them in dates before 7.10 (``nov/30/2026``).
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@total_ordering
@dataclass(frozen=True, slots=True)
class RouterOSVersion:
    """The RouterOS release an emulated router runs, such as ``6.49.10``, ``7.9`` or ``7.16.2``. Modelled: 6.43+ and
    7.x (older releases are refused, not guessed)."""

    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> RouterOSVersion:
        found = _VERSION.match(str(text).strip())
        if not found:
            raise VersionError(f'"{text}" is not a RouterOS version; write it like "6.49", "7.9" or "7.16.2"')
        version = cls(int(found.group(1)), int(found.group(2)), int(found.group(3) or 0))
        if version.major == 6 and version.minor < 43:
            raise VersionError(f"RouterOS {text} is older than 6.43: not modelled by the emulator")
        return version

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}" + (f".{self.patch}" if self.patch else "")

    def _key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, RouterOSVersion):
            return NotImplemented
        return self._key() < other._key()

    def at_least(self, major: int, minor: int, patch: int = 0) -> bool:
        return self._key() >= (major, minor, patch)

    # --- User Manager -------------------------------------------------------------------------------------------------

    @property
    def user_manager_v7(self) -> bool:
        """User Manager is the rewritten ``/user-manager`` (userman-5, sessions as rows) from 7.0; v6 has
        ``/tool user-manager`` with per-user counters (platform.md §0.1, [DOC] S1, S2, S6)."""
        return self.major >= 7

    @property
    def user_manager_menu(self) -> str:
        """Where User Manager lives: ``/user-manager`` (7.0+) or ``/tool user-manager`` (v6) (platform.md §2.6)."""
        return "/user-manager" if self.user_manager_v7 else "/tool user-manager"

    @property
    def user_login_property(self) -> str:
        """A User Manager user's login-name property: ``name`` (v7) or ``username`` (v6) (platform.md §1.1, §2.1)."""
        return "name" if self.user_manager_v7 else "username"

    @property
    def split_packages(self) -> bool:
        """v6 lists ``system``, ``ppp``, ``hotspot`` … as separate packages of one bundle; v7 has one ``routeros``
        package plus extra packages such as ``user-manager`` ([DOC] S1 "separate extra package"; v6 list [INF])."""
        return self.major == 6

    # --- clock and dates ----------------------------------------------------------------------------------------------

    @property
    def iso_dates(self) -> bool:
        """``/system clock get date`` is ``2026-11-30`` from 7.10 (7.10beta5), ``nov/30/2026`` before."""
        return self.at_least(7, 10)

    @property
    def accepts_iso_date_input(self) -> bool:
        """Date properties accept ``2026-11-30`` where the router prints ISO dates (7.10+, [DOC] S10); the old
        ``nov/30/2026`` is still accepted there too [INF]. v6 accepting ISO input: assumed not [INF] (platform.md
        §4.1)."""
        return self.iso_dates

    def clock_date(self, year: int, month: int, day: int) -> str:
        """How ``/system clock get date`` prints this date on this version."""
        if self.iso_dates:
            return f"{year:04d}-{month:02d}-{day:02d}"
        return f"{MONTHS[month - 1]}/{day:02d}/{year:04d}"

    def clock_datetime(self, year: int, month: int, day: int, hour: int, minute: int, second: int) -> str:
        """A date and time as printed in ``next-run``, UM ``last-seen``/``started`` and log ``time``: the version's
        date form then ``HH:MM:SS`` (``nov/30/2026 23:50:00`` [SEEN] S7 v6; ``2026-11-30 23:50:00`` [DOC] S3)."""
        return f"{self.clock_date(year, month, day)} {hour:02d}:{minute:02d}:{second:02d}"

    @property
    def has_scheduler_days(self) -> bool:
        """Scheduler ``days=`` from 7.24 (S3 7.24beta1)."""
        return self.at_least(7, 24)

    # --- e-mail -------------------------------------------------------------------------------------------------------

    @property
    def email_server_param(self) -> str:
        """``/tool e-mail`` names the SMTP host ``server`` from 7.12, ``address`` before (S3 dumps 7.11.3 / 7.12.2)."""
        return "server" if self.at_least(7, 12) else "address"

    @property
    def email_tls_param(self) -> str:
        """v6 ``start-tls=no|yes|tls-only``; v7 ``tls=no|yes|starttls`` (S9, S3)."""
        return "tls" if self.major >= 7 else "start-tls"

    @property
    def email_tls_choices(self) -> tuple[str, ...]:
        """Values of the TLS setting: v6 ``start-tls=no|yes|tls-only``, v7 ``tls=no|yes|starttls`` (S9, S3)."""
        return ("no", "yes", "starttls") if self.major >= 7 else ("no", "yes", "tls-only")

    @property
    def email_has_vrf(self) -> bool:
        """``/tool e-mail vrf`` exists in v7 (S3 7.9 dump onwards), not in v6 (S9) (platform.md §3.1)."""
        return self.major >= 7

    @property
    def has_email_certificate_verification(self) -> bool:
        """``/tool e-mail certificate-verification`` from 7.21 (S3: absent 7.20.8, present 7.21)."""
        return self.at_least(7, 21)

    @property
    def email_send_failure_raises(self) -> bool:
        """``/tool e-mail send`` raises on failure (and waits for the outcome) from 7.21beta2 (EW commits 20987221,
        43893400; router-review.md row 9); before, send returns at once and only ``last-status`` tells."""
        return self.at_least(7, 21)

    @property
    def has_fetch_duration(self) -> bool:
        """``/tool fetch duration= idle-timeout=`` (and ``http-method=patch|head``, ``output=user-with-headers``): v7
        (help.mikrotik.com Fetch; the 7.21.4 command dump); absent from the v6 manual page (Manual:Tools/Fetch).
        [INF] from 7.0: the release that added them is not known (docs/assumptions.md)."""
        return self.major >= 7

    # --- scripting ----------------------------------------------------------------------------------------------------

    @property
    def has_onerror(self) -> bool:
        """``:onerror e in={…} do={…}`` from 7.13 (forum topic 172543)."""
        return self.at_least(7, 13)

    @property
    def not_is_keyword(self) -> bool:
        """``not`` cannot name a variable: the v6 wiki lists the keywords "and or not in", the current manual "and or
        in" (routeros-scripting.md §10)."""
        return self.major < 7

    @property
    def has_loop_control(self) -> bool:
        """``:break`` / ``:continue``: v7 only [I] (routeros-scripting.md §5)."""
        return self.major >= 7

    @property
    def has_slash_paths(self) -> bool:
        """``/ip/address/print`` written with slashes: v7 only [I]."""
        return self.major >= 7

    @property
    def has_v7_script_commands(self) -> bool:
        """``:range``, ``:retry``, ``:grep``, ``:tocrlf``, ``:tolf``, ``:lock``, ``:rndnum``, ``:rndstr``: v7 [I]
        (routeros-scripting.md §10: "v7, exact version unknown"; ``:rndnum``/``:rndstr`` 7.1, EW 0562198c)."""
        return self.major >= 7

    @property
    def has_timestamp(self) -> bool:
        """``:timestamp`` and ``:tonsec``: present by 7.12beta (HABR, routeros-scripting.md §10) [I for earlier 7.x]."""
        return self.at_least(7, 12)

    @property
    def has_jobname(self) -> bool:
        """``:jobname``: by 7.12 (EW 1d4f4d00, routeros-scripting.md §10)."""
        return self.at_least(7, 12)

    @property
    def has_convert(self) -> bool:
        """``:convert``: ~7.12 (``transform=`` 7.12beta1, EW; forum topic 169237)."""
        return self.at_least(7, 12)

    @property
    def has_serialize(self) -> bool:
        """``:serialize`` / ``:deserialize`` (JSON): 7.13 (EW bb237dce)."""
        return self.at_least(7, 13)

    @property
    def has_toarray_delimiter(self) -> bool:
        """``:toarray … delimiter=``: 7.21 (EW cae039ef)."""
        return self.at_least(7, 21)

    def has_global_command(self, name: str) -> bool:
        """Whether this version has the global command ``:name`` (see :data:`GLOBAL_COMMAND_GATES`)."""
        gate = GLOBAL_COMMAND_GATES.get(name)
        return True if gate is None else bool(getattr(self, gate))

    # --- files, import, scripts ---------------------------------------------------------------------------------------

    @property
    def has_import_dry_run(self) -> bool:
        """``/import file-name=x dry-run`` from 7.16 (S3: absent 7.15.3, present 7.16)."""
        return self.at_least(7, 16)

    @property
    def has_file_add(self) -> bool:
        """``/file add name= contents=`` creates a file: in every dump from 7.9 on (S3, platform.md §6); v6 has no
        ``/file add`` [INF]; 7.0–7.8 unknown, assumed absent."""
        return self.at_least(7, 9)

    @property
    def file_time_property(self) -> str:
        """``/file`` names its timestamp ``last-modified`` in v7 ([DOC] S4, 7.21.4) and ``creation-time`` in v6
        ([FORUM] routeros-scripting.md §8); the release that renamed it is unknown, so all v7 [INF]."""
        return "last-modified" if self.major >= 7 else "creation-time"

    @property
    def has_use_script_permissions(self) -> bool:
        """``/system script run X use-script-permissions`` from 7.15 (S3)."""
        return self.at_least(7, 15)

    @property
    def has_monitor_proplist(self) -> bool:
        """``proplist=`` on monitor commands (incl. ``/user-manager user monitor``) from 7.19 ([SEEN] changelog,
        platform.md §0.1)."""
        return self.at_least(7, 19)

    # --- API ----------------------------------------------------------------------------------------------------------

    @property
    def api_empty_reply(self) -> bool:
        """The API answers a print with no rows with ``!empty`` from 7.18 (socialwifi PR #103)."""
        return self.at_least(7, 18)

    @property
    def api_challenge_login(self) -> bool:
        """The API still accepts the pre-6.43 MD5 challenge login (``/login`` → ``=ret=``, then ``=response=``); removed
        after 6.45.1 (platform.md §0.1, [DOC] S12 wiki warning). Plaintext ``=password=`` works on every modelled
        version (6.43+)."""
        return not self.at_least(6, 45, 2)


#: Global (``:``) commands that not every RouterOS has, and the gate property that says whether a version has one
#: (routeros-scripting.md §10). The emulator refuses the missing ones at load time, as a router does.
GLOBAL_COMMAND_GATES: dict[str, str] = {
    "break": "has_loop_control",
    "continue": "has_loop_control",
    "onerror": "has_onerror",
    "range": "has_v7_script_commands",
    "retry": "has_v7_script_commands",
    "rndnum": "has_v7_script_commands",
    "rndstr": "has_v7_script_commands",
    "tocrlf": "has_v7_script_commands",
    "tolf": "has_v7_script_commands",
    "grep": "has_v7_script_commands",
    "lock": "has_v7_script_commands",
    "timestamp": "has_timestamp",
    "tonsec": "has_timestamp",
    "jobname": "has_jobname",
    "convert": "has_convert",
    "serialize": "has_serialize",
    "deserialize": "has_serialize",
}
