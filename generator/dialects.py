"""RouterOS releases and the one dialect object: the only place in the product that knows how releases differ.

:class:`RouterOSVersion` is a release number (parse, print, order). :func:`for_version` turns it into a
:class:`Dialect`: every difference the generator, the linter and deploy care about, as a named, documented flag or
method, with the release that introduced it and its source (MikroTik's manual on help.mikrotik.com, command dumps of
real releases, public scripts; ``../shared/reference/platform.md`` §0.1 lists them). Callers ask ``dialect.flag``; no
other module compares releases, dialect names or User Manager menu paths (``tests/test_dialect_seam.py`` reads every
module's syntax tree and every template's to hold this).

Must not: know templates, config or lint rules beyond the facts above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache, total_ordering


class VersionError(ValueError):
    pass


_VERSION = re.compile(r"^(6|7)\.(\d{1,3})(?:\.(\d{1,3}))?$")


@total_ordering
@dataclass(frozen=True, slots=True)
class RouterOSVersion:
    """A RouterOS release such as ``6.49.10``, ``7.9`` or ``7.16.2``. Supported: 6.43+ and 7.x."""

    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> RouterOSVersion:
        found = _VERSION.match(text.strip())
        if not found:
            raise VersionError(f'"{text}" is not a RouterOS version; write it like "6.49", "7.9" or "7.16.2"')
        version = cls(int(found.group(1)), int(found.group(2)), int(found.group(3) or 0))
        if version.major == 6 and version.minor < 43:
            raise VersionError(
                f"RouterOS {text} is older than 6.43; rosbill needs 6.43+ (plaintext API login, as-value with once)"
            )
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

    # --- legacy gates: the emulator's until emulator/version.py replaces this import; the product asks the Dialect
    # (the seam test refuses ``version.<gate>`` in generator/). To be deleted with the last emulator import.

    @property
    def dialect_name(self) -> str:
        """``v6`` (``/tool user-manager``) or ``v7`` (``/user-manager``, the rewritten User Manager of 7.0)."""
        return "v6" if self.major == 6 else "v7"

    @property
    def iso_dates(self) -> bool:
        """``/system clock get date`` is ``2026-11-30`` from 7.10 (7.10beta5), ``nov/30/2026`` before."""
        return self.at_least(7, 10)

    @property
    def email_server_param(self) -> str:
        """``/tool e-mail`` names the SMTP host ``server`` from 7.12, ``address`` before (S3 dumps 7.11.3 / 7.12.2)."""
        return "server" if self.at_least(7, 12) else "address"

    @property
    def email_server_wants_ip(self) -> bool:
        """The setting before 7.12 (``address``) takes an IP, so scripts resolve the SMTP host themselves and pass
        ``server=<ip>`` to every ``send`` (which takes ``server=`` on every version: S3 7.9/7.11.3 dumps, S9 v6)."""
        return not self.at_least(7, 12)

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

    def email_tls_value(self, mode: str) -> str:
        """rosbill's ``smtp.tls`` (no | yes = implicit TLS | starttls) in this version's words (S8, S9)."""
        if self.major >= 7:
            return mode
        return {"no": "no", "starttls": "yes", "yes": "tls-only"}[mode]

    @property
    def has_email_certificate_verification(self) -> bool:
        """``/tool e-mail certificate-verification`` from 7.21 (S3: absent 7.20.8, present 7.21)."""
        return self.at_least(7, 21)

    @property
    def has_onerror(self) -> bool:
        """``:onerror e in={…} do={…}`` from 7.13 (forum topic 172543)."""
        return self.at_least(7, 13)

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

    @property
    def has_import_dry_run(self) -> bool:
        """``/import file-name=x dry-run`` from 7.16 (S3: absent 7.15.3, present 7.16)."""
        return self.at_least(7, 16)

    @property
    def has_file_add(self) -> bool:
        """``/file add name= contents=`` creates a file (the API's way to upload an ``.rsc``): in every dump from 7.9 on
        (S3, platform.md §6); v6 has no ``/file add`` [INF]; 7.0–7.8 unknown, assumed absent."""
        return self.at_least(7, 9)

    @property
    def has_use_script_permissions(self) -> bool:
        """``/system script run X use-script-permissions`` from 7.15 (S3)."""
        return self.at_least(7, 15)

    @property
    def api_empty_reply(self) -> bool:
        """The API answers a print with no rows with ``!empty`` from 7.18 (socialwifi PR #103)."""
        return self.at_least(7, 18)

    @property
    def api_challenge_login(self) -> bool:
        """The API still accepts the pre-6.43 MD5 challenge login (``/login`` → ``=ret=``, then ``=response=``); removed
        after 6.45.1 (platform.md §0.1, [DOC] S12 wiki warning). Plaintext ``=password=`` works on every supported
        version (6.43+)."""
        return not self.at_least(6, 45, 2)

    @property
    def has_scheduler_days(self) -> bool:
        """Scheduler ``days=`` from 7.24 (S3 7.24beta1)."""
        return self.at_least(7, 24)

    @property
    def user_manager_v7(self) -> bool:
        """User Manager is the rewritten ``/user-manager`` (package userman-5, SQLite, sessions as rows) from 7.0;
        v6 has ``/tool user-manager`` with per-user counters (platform.md §0.1, [DOC] S1, S2, S6)."""
        return self.major >= 7

    @property
    def split_packages(self) -> bool:
        """v6 lists ``system``, ``ppp``, ``hotspot`` … as separate packages of one bundle; v7 has one ``routeros``
        package plus extra packages such as ``user-manager`` ([DOC] S1 "separate extra package"; v6 list [INF])."""
        return self.major == 6

    @property
    def email_send_failure_raises(self) -> bool:
        """``/tool e-mail send`` raises on failure (and waits for the outcome) from 7.21beta2 (EW commits 20987221,
        43893400; router-review.md row 9); before, on v6 and v7 alike, send returns at once and only ``last-status``
        tells."""
        return self.at_least(7, 21)

    @property
    def has_monitor_proplist(self) -> bool:
        """``proplist=`` on monitor commands (incl. ``/user-manager user monitor``) from 7.19 ([SEEN] changelog,
        platform.md §0.1)."""
        return self.at_least(7, 19)

    @property
    def accepts_iso_date_input(self) -> bool:
        """Date properties (scheduler ``start-date``) accept ``2026-11-30`` where the router prints ISO dates (7.10+,
        [DOC] S10); the old ``nov/30/2026`` is still accepted there too [INF]. v6 accepting ISO input: assumed not
        [INF] (platform.md §4.1)."""
        return self.iso_dates

    @property
    def file_time_property(self) -> str:
        """``/file`` names its timestamp ``last-modified`` in v7 ([DOC] S4, 7.21.4) and ``creation-time`` in v6
        ([FORUM] routeros-scripting.md §8); the release that renamed it is unknown, so all v7 [INF]."""
        return "last-modified" if self.major >= 7 else "creation-time"

    def has_global_command(self, name: str) -> bool:
        """Whether this version has the global command ``:name`` (see :data:`GLOBAL_COMMAND_GATES`)."""
        gate = GLOBAL_COMMAND_GATES.get(name)
        return True if gate is None else bool(getattr(self, gate))

    def clock_date(self, year: int, month: int, day: int) -> str:
        """How ``/system clock get date`` prints this date on this version."""
        if self.iso_dates:
            return f"{year:04d}-{month:02d}-{day:02d}"
        return f"{MONTHS[month - 1]}/{day:02d}/{year:04d}"

    def clock_datetime(self, year: int, month: int, day: int, hour: int, minute: int, second: int) -> str:
        """A date and time as printed in ``next-run``, UM ``last-seen``/``started`` and log ``time``: the version's
        date form then ``HH:MM:SS`` (``nov/30/2026 23:50:00`` [SEEN] S7 v6; ``2026-11-30 23:50:00`` [DOC] S3)."""
        return f"{self.clock_date(year, month, day)} {hour:02d}:{minute:02d}:{second:02d}"


#: The releases at which a :class:`Dialect` flag changes (every ``since`` in :func:`for_version`, plus 7.0 for the
#: v7 dialect). Between two of them every flag is the same, so a build is good for exactly that range
#: (:meth:`Dialect.supported_range`); deploy's preflight refuses a router outside it. ``tests/test_dialect_seam.py``
#: checks that this list and the flags agree on every release.
BOUNDARIES: tuple[RouterOSVersion, ...] = tuple(
    RouterOSVersion(*key)
    for key in ((6, 43), (7, 0), (7, 9), (7, 10), (7, 12), (7, 13), (7, 15), (7, 16), (7, 19), (7, 21))
)

#: Global (``:``) commands that not every RouterOS has, and the :class:`Dialect` flag that says whether a release has
#: one (Scripting manual, help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting; routeros-scripting.md §10). The
#: linter drops the missing ones from its command database.
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


@dataclass(frozen=True, slots=True)
class Dialect:
    """Everything the generator, the linter and deploy need to know about one RouterOS release, as named flags.

    The one object of the seam (modelled on sqlglot's ``Dialect``): callers ask ``dialect.flag`` or call a method and
    never which release or which User Manager menu it is; they never compare ``name``, ``version`` or a menu path
    (``tests/test_dialect_seam.py`` reads every module's syntax tree to hold this). Whole blocks that differ are
    template overrides in ``rsc_templates/<template folder>/``. Build one with :func:`for_version`.
    """

    #: The release, for people: headers, messages, the manifest. Not for decisions (ask a flag).
    version: RouterOSVersion
    #: ``v6`` or ``v7``: the template override folder and the manifest's label. Not for decisions.
    name: str

    # --- User Manager (User Manager manual: help.mikrotik.com/docs/spaces/ROS/pages/2555940/User+Manager) ----------
    #: The User Manager menu: ``/tool user-manager`` in v6, ``/user-manager`` (the rewritten package) from 7.0.
    um_menu: str
    #: The other dialect's User Manager menu: a load-time error on this one (lint rule RB006).
    foreign_menu: str
    #: The user's login-name property: ``username`` in v6, ``name`` in v7.
    login_field: str
    #: Does the user record carry ``email``, ``first-name``, ``last-name``? v6 yes; v7 has no such fields, so rosbill
    #: keeps them in the comment.
    user_has_contact_fields: bool
    #: User Manager is the rewritten 7.0 package (sessions as rows, usage from ``user monitor``), not v6's
    #: ``/tool user-manager`` with per-user counters. Picks the linter's User Manager command overlay.
    user_manager_v7: bool
    #: ``proplist=`` on monitor commands (``/user-manager user monitor``) from 7.19 ([SEEN] changelog).
    has_monitor_proplist: bool

    # --- clock ----------------------------------------------------------------------------------------------------
    #: ``/system clock get date`` prints ``2026-11-30`` from 7.10, ``nov/30/2026`` before (Clock manual,
    #: help.mikrotik.com/docs/spaces/ROS/pages/40992866/Clock). MonthEnd reads both, so the scripts do not branch on it.
    iso_dates: bool

    # --- /tool e-mail (E-mail manual: help.mikrotik.com/docs/spaces/ROS/pages/44269590/E-mail) ---------------------
    #: The setting that names the SMTP host: ``server`` from 7.12 (a host name), ``address`` before (an IP).
    email_server_param: str
    #: Before 7.12 the setting takes an IP, so install.rsc resolves the host and every run passes ``server=<ip>`` to
    #: ``send`` (which takes ``server=`` on every release: 7.9/7.11.3 command dumps, v6 wiki).
    email_server_wants_ip: bool
    #: The TLS setting: ``start-tls=no|yes|tls-only`` in v6, ``tls=no|yes|starttls`` in v7.
    email_tls_param: str
    #: rosbill's ``smtp.tls`` modes (``no``, ``yes`` = implicit TLS on 465, ``starttls`` on 587) in this release's
    #: words, as (mode, word) pairs: v6 says ``start-tls=tls-only`` for implicit TLS and ``start-tls=yes`` for STARTTLS.
    email_tls_words: tuple[tuple[str, str], ...]
    #: ``send`` waits and stops with ``failure: …`` when delivery fails, from 7.21 (EW 20987221, 43893400); before,
    #: it returns at once and only ``last-status`` tells.
    email_send_failure_raises: bool
    #: ``/tool e-mail certificate-verification`` from 7.21 (absent in the 7.20.8 command dump).
    has_email_certificate_verification: bool

    # --- scripting (Scripting manual: help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) -----------------
    #: ``/ip/address/print`` written with slashes: v7 only; v6 refuses the whole script at load (lint rule RB002).
    has_slash_paths: bool
    #: ``:break`` and ``:continue``: v7 only.
    has_loop_control: bool
    #: ``:range``, ``:retry``, ``:grep``, ``:tocrlf``, ``:tolf``, ``:lock``, ``:rndnum``, ``:rndstr``: v7 (exact release
    #: unknown; ``:rndnum``/``:rndstr`` 7.1, EW 0562198c).
    has_v7_script_commands: bool
    #: ``:onerror e in={…} do={…}`` from 7.13 (forum topic 172543); the scripts use ``:do … on-error=`` everywhere.
    has_onerror: bool
    #: ``:timestamp`` and ``:tonsec``: present by 7.12.
    has_timestamp: bool
    #: ``:jobname``: by 7.12 (EW 1d4f4d00).
    has_jobname: bool
    #: ``:convert``: 7.12 (``transform=`` 7.12beta1; forum topic 169237).
    has_convert: bool
    #: ``:serialize`` / ``:deserialize``: 7.13 (EW bb237dce).
    has_serialize: bool
    #: ``/system script run X use-script-permissions`` from 7.15 (7.15 command dump).
    has_use_script_permissions: bool

    # --- deploy -----------------------------------------------------------------------------------------------------
    #: ``/import file-name=x dry-run`` from 7.16 (absent in the 7.15.3 dump): deploy's syntax gate.
    has_import_dry_run: bool
    #: ``/file add name= contents=`` creates a file (how the API uploads an ``.rsc``): every dump from 7.9 on; v6 has
    #: none [INF]; 7.0–7.8 unknown, taken as absent.
    has_file_add: bool

    @property
    def template_dirs(self) -> tuple[str, str]:
        """Where the templates are looked up: this dialect's override folder, then ``common``."""
        return (self.name, "common")

    @property
    def um_path(self) -> tuple[str, ...]:
        """The User Manager menu as words (``("tool", "user-manager")``), for menu trees."""
        return tuple(self.um_menu.strip("/").split(" "))

    @property
    def email_tls_choices(self) -> tuple[str, ...]:
        """The values the TLS setting takes on this release."""
        return tuple(word for _, word in self.email_tls_words)

    def email_tls_value(self, mode: str) -> str:
        """rosbill's ``smtp.tls`` mode in this release's words."""
        return dict(self.email_tls_words)[mode]

    def has_global_command(self, name: str) -> bool:
        """Whether this release has the global command ``:name`` (see :data:`GLOBAL_COMMAND_GATES`)."""
        gate = GLOBAL_COMMAND_GATES.get(name)
        return True if gate is None else bool(getattr(self, gate))

    def flags(self) -> dict[str, object]:
        """What deploy's preflight compares with the router's: the dialect (``dialect_name``: v6 or v7) and every
        flag, by name in alphabetical order (not ``version``: releases with the same flags are the same)."""
        found = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("version", "name")}
        found["dialect_name"] = self.name
        return dict(sorted(found.items()))

    def supported_range(self) -> tuple[RouterOSVersion, RouterOSVersion | None]:
        """The releases with exactly these flags, ``[low, high)`` (``high`` None: no known end). A build runs
        unchanged on any of them; deploy's preflight refuses the others."""
        low = max(b for b in BOUNDARIES if b <= self.version)
        higher = [b for b in BOUNDARIES if b > self.version]
        return low, (min(higher) if higher else None)

    def requires_text(self) -> str:
        """The supported range in words, for script headers: ``RouterOS 7.16 or later, before 7.19``."""
        low, high = self.supported_range()
        return f"RouterOS {low} or later" + (f", before {high}" if high else "")


#: Month abbreviations as RouterOS prints them before 7.10 (``nov/30/2026``). Kept for the emulator's imports.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_V7 = RouterOSVersion(7, 0)


@lru_cache(maxsize=64)
def for_version(version: RouterOSVersion) -> Dialect:
    """The dialect of ``version``. Each flag says from which release it holds (``since``)."""

    def since(major: int, minor: int) -> bool:
        return version >= RouterOSVersion(major, minor)

    v7 = version >= _V7
    old_server = not since(7, 12)
    return Dialect(
        version=version,
        name="v7" if v7 else "v6",
        um_menu="/user-manager" if v7 else "/tool user-manager",
        foreign_menu="/tool user-manager" if v7 else "/user-manager",
        login_field="name" if v7 else "username",
        user_has_contact_fields=not v7,
        user_manager_v7=v7,
        has_monitor_proplist=since(7, 19),
        iso_dates=since(7, 10),
        email_server_param="address" if old_server else "server",
        email_server_wants_ip=old_server,
        email_tls_param="tls" if v7 else "start-tls",
        email_tls_words=(
            (("no", "no"), ("yes", "yes"), ("starttls", "starttls"))
            if v7
            else (("no", "no"), ("yes", "tls-only"), ("starttls", "yes"))
        ),
        email_send_failure_raises=since(7, 21),
        has_email_certificate_verification=since(7, 21),
        has_slash_paths=v7,
        has_loop_control=v7,
        has_v7_script_commands=v7,
        has_onerror=since(7, 13),
        has_timestamp=since(7, 12),
        has_jobname=since(7, 12),
        has_convert=since(7, 12),
        has_serialize=since(7, 13),
        has_use_script_permissions=since(7, 15),
        has_import_dry_run=since(7, 16),
        has_file_add=since(7, 9),
    )
