"""Preflight: before anything is written, read what the router is and refuse when the build cannot work there.

Checks, in order (each one read-only, a few API round trips in all):

1. ``/system resource`` ``version``: the build's dialect flags must match the router's. Every ``Dialect``
   flag is compared (the dialect, date format, ``/tool e-mail`` names, ``/import dry-run``, …), so a v6 build for a
   v7 router, or a 7.16 build for a 7.9 router, is refused; a 7.16 build on 7.16.2 is fine. How the API wire behaves
   is not a dialect flag: it changes how rosbill talks, not what the scripts do.
2. ``/system package``: ``user-manager`` installed and not disabled ([DOC] S1: an extra package in v7; v6 [INF]).
3. RouterOS 7: ``/user-manager`` ``enabled=yes`` (docs/simulator.md: logins and accounting need it).
4. ``/system device-mode`` where it exists: scheduler and e-mail allowed, router not flagged ([DOC] S17:
   ``home`` disables both; a flagged router cannot create or enable scheduler entries, platform.md §4.1).
5. ``/user`` and ``/user group`` where readable: the API user's group has ``read,write,test`` (the scripts' and the
   scheduler entry's policy must lie within it, platform.md §4.2) and ``api`` (§5.1).

Must not: write, print, or compare version numbers (it compares ``Dialect`` flags).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.deploy.transport import Refused, Row, Target
from generator.dialects import RouterOSVersion, VersionError, for_version
from generator.errors import DeployError

_VERSION = re.compile(r"^\s*(\d+\.\d+(?:\.\d+)?)")
_YES = (b"yes", b"true")
#: The scripts' and the scheduler entry's policy (render.POLICY) plus the API login right.
NEEDED_POLICY = ("read", "write", "test", "api")


class PreflightRefused(DeployError):
    """The router cannot take this build; nothing was written."""


@dataclass(frozen=True, slots=True)
class RouterFacts:
    version: RouterOSVersion
    version_text: str  # as the router printed it, e.g. "7.16.2 (stable)"
    notes: tuple[str, ...] = ()


def parse_version(text: str) -> RouterOSVersion:
    """``7.16.2 (stable)``, ``6.49.10 (long-term)``, ``7.17beta2`` → the release it belongs to."""
    found = _VERSION.match(text)
    if not found:
        raise PreflightRefused(f"the router reports version {text!r}, which rosbill cannot read")
    try:
        return RouterOSVersion.parse(found.group(1))
    except VersionError as error:
        raise PreflightRefused(f"the router runs {text}: {error}") from None


def gate_differences(built: RouterOSVersion, running: RouterOSVersion) -> list[str]:
    """Names of the dialect flags (``Dialect.flags()``) whose values differ, with both values."""
    ours, theirs = for_version(built).flags(), for_version(running).flags()
    return [
        f"{name} ({ours[name]} in the build, {theirs[name]} on the router)"
        for name in ours
        if ours[name] != theirs[name]
    ]


def check(target: Target, built: RouterOSVersion, user: str) -> RouterFacts:
    """Runs every check; raises :class:`PreflightRefused` with the reason, or returns what was learnt."""
    notes: list[str] = []
    resource = _one(target.print("/system/resource", ("version",)))
    version_text = resource.get("version", b"").decode("utf-8", "replace")
    running = parse_version(version_text)
    differences = gate_differences(built, running)
    if differences:  # in words (issue 11); gate_differences() names the flags for the tests and the docs
        raise PreflightRefused(
            f"this router runs {version_text}; the build is for RouterOS {built}, whose scripts differ from what "
            f'{running} needs: set version: "{running}" for this router in the config and rebuild'
        )
    _user_manager(target, running)
    _device_mode(target)
    notes.extend(_policy(target, user))
    return RouterFacts(running, version_text, tuple(notes))


def _one(rows: list[Row]) -> Row:
    return rows[0] if rows else {}


def _user_manager(target: Target, running: RouterOSVersion) -> None:
    packages = {row.get("name", b""): row for row in target.print("/system/package", ("name", "disabled"))}
    package = packages.get(b"user-manager")
    if package is None:
        raise PreflightRefused(
            "User Manager is not installed (no user-manager package in /system package); install the package "
            "(RouterOS 7: the extra package user-manager) and deploy again"
        )
    if package.get("disabled", b"") in _YES:
        raise PreflightRefused("the user-manager package is disabled; enable it and reboot, then deploy again")
    dialect = for_version(running)
    if dialect.user_manager_v7:  # the 7.0 package has a global enabled= setting, off after installation
        settings = _one(target.print(dialect.um_menu, ("enabled",)))
        if settings.get("enabled", b"") not in _YES:
            raise PreflightRefused(
                "User Manager is installed but not enabled (/user-manager set enabled=yes); without it nobody is "
                "counted or billed"
            )


def _device_mode(target: Target) -> None:
    try:
        mode = _one(target.print("/system/device-mode"))
    except Refused as refused:
        if refused.missing:
            return  # RouterOS without device-mode: nothing is locked
        raise
    home = mode.get("mode", b"") == b"home"
    for feature, what in ((b"scheduler", "the daily Oversight run"), (b"email", "the warning and bill mails")):
        key = feature.decode()
        allowed = mode[key] in _YES if key in mode else not home
        if not allowed:
            raise PreflightRefused(
                f"device-mode does not allow {key} ({what} need it); change it on the router with "
                f"/system device-mode update {key}=yes (needs physical confirmation)"
            )
    if mode.get("flagged", b"") in _YES:
        raise PreflightRefused(
            "the router is flagged by device-mode: it cannot create or enable scheduler entries; clear the flag "
            "first (see the MikroTik device-mode manual)"
        )


def _policy(target: Target, user: str) -> list[str]:
    try:
        users = target.print("/user", ("name", "group"), {"name": user.encode()})
        if not users:
            return []
        group = users[0].get("group", b"")
        groups = target.print("/user/group", ("name", "policy"), {"name": group})
    except Refused as refused:
        if refused.missing:
            return []  # no /user menu (the emulated router): nothing to check
        if "permission" in refused.message:
            return [f"could not read the API user's group ({refused.message}); its policy was not checked"]
        raise
    if not groups:
        return []
    policy = {w.strip().lstrip("!") for w in groups[0].get("policy", b"").decode().split(",")
              if w.strip() and not w.strip().startswith("!")}  # fmt: skip
    missing = [p for p in NEEDED_POLICY if p not in policy]
    if missing:
        raise PreflightRefused(
            f"the API user {user!r} (group {group.decode('utf-8', 'replace')}) lacks the policy "
            f"{','.join(missing)}; the scripts and the scheduler entry run with read,write,test, which must lie "
            "within the deploying user's rights"
        )
    return []
