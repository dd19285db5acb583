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
    """The text is not a RouterOS release rosbill supports (6.43+ or 7.x)."""


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

    # --- User Manager (User Manager manual: help.mikrotik.com/docs/display/ROS/User+Manager) ----------
    #: The User Manager menu: ``/tool user-manager`` in v6, ``/user-manager`` (the rewritten package) from 7.0.
    um_menu: str
    #: The other dialect's User Manager menu: a load-time error on this one (lint rule RB006).
    foreign_menu: str
    #: The user's login-name property: ``username`` in v6, ``name`` in v7.
    login_field: str
    #: User Manager is the rewritten 7.0 package (sessions as rows, usage from ``user monitor``), not v6's
    #: ``/tool user-manager`` with per-user counters. Picks the linter's User Manager command overlay.
    user_manager_v7: bool
    #: ``proplist=`` on monitor commands (``/user-manager user monitor``) from 7.19 ([SEEN] changelog).
    has_monitor_proplist: bool
    #: User Manager users have ``attributes`` (``Attr-Name:value,…``, added to the user's Access-Accept: User Manager
    #: manual, help.mikrotik.com/docs/display/ROS/User+Manager), so Enforce sets a user's ``Mikrotik-Rate-Limit`` and
    #: ``Mikrotik-Address-List`` without touching the user's profile: v7. v6 users have no such field (their rate comes
    #: only from the profile's limitations, wiki User_Manager/Limiting), so on RouterOS 6 Enforce moves the user to a
    #: User Manager profile instead (:attr:`enforce_by_profile`, docs/enforce.md).
    um_user_attributes: bool

    # --- clock ----------------------------------------------------------------------------------------------------
    #: ``/system clock get date`` prints ``2026-11-30`` from 7.10 (7.10beta5), ``nov/30/2026`` before ([SEEN] EW
    #: 60f86387). MonthEnd reads both, so the scripts do not branch on it.
    iso_dates: bool

    # --- /tool e-mail (E-mail manual: help.mikrotik.com/docs/x/BYB6AQ) ---------------------
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

    # --- /tool fetch (Fetch manual: help.mikrotik.com/docs/display/ROS/Fetch; v6: Manual:Tools/Fetch) -------------
    #: ``duration=`` (and ``idle-timeout=``) bound one request: listed by the v7 manual and the 7.21.4 command dump,
    #: absent from the v6 page ([INF] from 7.0; docs/notify.md). Without it (v6) a request to a silent server is
    #: bounded only by fetch's own timeout, which no source states.
    has_fetch_duration: bool

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
    def enforce_by_profile(self) -> bool:
        """Enforce applies fair use and unpaid restriction by moving the user to a User Manager profile the operator
        made (``clear-profiles``, then ``create-and-activate-profile customer= profile=``; platform.md §1.1) and back to
        the user's own profile, remembered in ``tpk=``: the releases without user attributes (RouterOS 6). Config
        steps name a ``profile`` there and a ``rate``/``address_list`` elsewhere (docs/enforce.md)."""
        return not self.um_user_attributes

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
        user_manager_v7=v7,
        has_monitor_proplist=since(7, 19),
        um_user_attributes=v7,
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
        has_fetch_duration=v7,
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
