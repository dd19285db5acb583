"""User fixtures for the emulated router: the YAML format (docs/simulator.md, "User fixtures") and its parser.

A fixture names the router's start time and time zone, accounting timing, ``/tool e-mail`` settings, User Manager
profiles ("packages") and users with their personal data and **usage**: a daily volume moved in one session per day
inside a time window, per-date overrides, and explicit sessions (long-running ones may span days and month ends).

Structural mistakes (a size that is not a size, a missing user name) raise :class:`FixtureError` with the key path.
Odd *data* (an e-mail that is not an address, a package that does not exist, quotes in names) is kept as given: the
billing scripts must survive it, and :mod:`emulator.fixture_usage` reports what the router refused.

Must not: touch a router (see ``fixture_usage.py``), print, or compare RouterOS versions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import RosbillError

SECOND = 1_000_000_000
DEFAULT_START = dt.datetime(2026, 11, 25, 12, 0)
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}  # fmt: skip
_DURATION = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_DIALECT_KEY = re.compile(r"^v\d+-comment$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
#: What PyYAML's reader refuses as non-printable (yaml.reader.Reader.NON_PRINTABLE), a byte order mark and the
#: Unicode line breaks: text with any of them is left to the pure-Python loader (see _safe_load).
_UNUSUAL = re.compile(yaml.reader.Reader.NON_PRINTABLE.pattern + "|[\x85\u2028\u2029\ufeff]")


class FixtureError(RosbillError):
    """The fixture file is not in the documented format; ``line``/``column`` (1-based) where it is known."""

    def __init__(self, message: str, line: int = 0, column: int = 0, keys: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.line, self.column = line, column
        #: The key path of what is wrong (``("users", 3, "comment")``): :func:`load` finds its line and column.
        self.keys = keys


@dataclass(frozen=True, slots=True)
class Volume:
    download: int = 0  # bytes
    upload: int = 0

    @property
    def empty(self) -> bool:
        return self.download == 0 and self.upload == 0


@dataclass(frozen=True, slots=True)
class Daily:
    """Every day: ``volume`` moved evenly between ``start`` and ``end`` local time (end ≤ start: past midnight)."""

    volume: Volume
    start: dt.time = dt.time(8, 0)
    end: dt.time = dt.time(22, 0)


@dataclass(frozen=True, slots=True)
class Session:
    """An explicit session at a constant rate; ``end`` None means it never ends by itself."""

    start: dt.datetime
    end: dt.datetime | None
    per_day: Volume


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    price: str = "0"
    validity_s: int = 0  # 0: unlimited
    starts: str = "assigned"  # "assigned" (v6 starts-at=now) | "first-auth" (v6 logon)


@dataclass(frozen=True, slots=True)
class User:
    name: str
    password: str = ""
    package: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    comment: str | None = None
    disabled: bool = False
    service: str = "ppp"
    interim_s: int | None = None  # overrides accounting.interim
    reconnect_s: int = 30
    daily: Daily | None = None
    days: dict[dt.date, Volume] = field(default_factory=dict)
    sessions: tuple[Session, ...] = ()


@dataclass(frozen=True, slots=True)
class Fixture:
    start: dt.datetime = DEFAULT_START
    time_zone: str = "manual"
    interim_s: int = 300  # PPP `interim-update=5m` as commonly configured ([SEEN] platform.md §7)
    latency_s: float = 2.0
    email: dict[str, str | int] = field(default_factory=dict)
    #: ``/system ntp client`` settings (``enabled``, ``servers``); empty: the client is left as a new router has it.
    ntp: dict[str, str | bool] = field(default_factory=dict)
    v7_comment: str = "{comment}"
    profiles: tuple[Profile, ...] = ()
    users: tuple[User, ...] = ()


def load(source: str | Path) -> Fixture:
    """Parses a fixture from a path or YAML text."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    data = _safe_load(text) or {}
    if not isinstance(data, dict):
        raise FixtureError("fixture: the top level must be a mapping")
    try:
        return parse(data)
    except FixtureError as error:
        if error.line or not error.keys:
            raise
        line, column = _position(text, error.keys)
        raise FixtureError(str(error), line, column) from None


def _safe_load(text: str) -> Any:
    """``yaml.safe_load`` of ``text``, parsed by libyaml where PyYAML has it (6x faster on a 1,000-user fixture).

    The C parser feeds the same constructor and resolver, so the data is the same; text it might judge differently
    (:data:`_UNUSUAL` characters) and every error go through the pure-Python loader, so a broken fixture gets
    the same message and position either way."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None or _UNUSUAL.search(text):
        return yaml.safe_load(text)
    try:
        return yaml.load(text, Loader=loader)  # CSafeLoader: the safe constructor
    except yaml.YAMLError:
        return yaml.safe_load(text)


def _position(text: str, keys: tuple[str | int, ...]) -> tuple[int, int]:
    """Line and column (1-based) of the key at ``keys`` (mapping keys and list indexes), or (0, 0)."""
    node: yaml.Node | None = yaml.compose(text)
    found = (0, 0)
    for key in keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            pair = next(((k, v) for k, v in node.value if getattr(k, "value", None) == key), None)
            if pair is None:
                break
            found = (pair[0].start_mark.line + 1, pair[0].start_mark.column + 1)
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            found = (node.start_mark.line + 1, node.start_mark.column + 1)
        else:
            break
    return found


# --- value parsers -------------------------------------------------------------------------------------------------


def size(value: Any, where: str) -> int:
    """``800MB`` (10^6), ``1.5GiB`` (2^30), or a plain number of bytes."""
    if isinstance(value, bool):
        raise FixtureError(f"{where}: expected a size such as 800MB, got {value!r}")
    if isinstance(value, int):
        return value
    found = _SIZE.match(str(value))
    if not found:
        raise FixtureError(f"{where}: expected a size such as 800MB or 1.5GiB, got {value!r}")
    return int(float(found.group(1)) * _UNITS[(found.group(2) or "").upper()])


def duration(value: Any, where: str) -> int:
    """``5m``, ``1d``, ``30s`` or a number of seconds → seconds (``unlimited``/``0`` → 0)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text in ("unlimited", "0s", "0"):
        return 0
    found = _DURATION.match(text)
    if not found or not any(found.groups()):
        raise FixtureError(f"{where}: expected a duration such as 5m, 1d or 30s, got {value!r}")
    w, d, h, m, s = (int(g or 0) for g in found.groups())
    return (((w * 7 + d) * 24 + h) * 60 + m) * 60 + s


def seconds(value: Any, where: str) -> float:
    """A duration that may be fractional: ``0.5`` (seconds) or ``2s``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return float(duration(value, where))


def clock(value: Any, where: str) -> dt.time:
    if not isinstance(value, str):
        # YAML 1.1 reads an unquoted 8:00 as the number 480 (base 60), so times of day must be quoted.
        raise FixtureError(f'{where}: write times of day in quotes, e.g. "08:00"')
    found = _CLOCK.match(value.strip())
    if not found:
        raise FixtureError(f'{where}: expected a time of day such as "08:00", got {value!r}')
    return dt.time(int(found.group(1)) % 24, int(found.group(2)), int(found.group(3) or 0))


def moment(value: Any, where: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise FixtureError(f"{where}: expected a date-time such as 2026-11-29 18:00:00, got {value!r}") from None


def day(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FixtureError(f"{where}: expected a date such as 2026-11-30, got {value!r}") from None


def volume(value: Any, where: str, *, suffix: str = "") -> Volume:
    if not isinstance(value, dict):
        raise FixtureError(f"{where}: expected download{suffix}/upload{suffix}")
    return Volume(
        size(value.get("download" + suffix, 0), f"{where}.download{suffix}"),
        size(value.get("upload" + suffix, 0), f"{where}.upload{suffix}"),
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# --- the document --------------------------------------------------------------------------------------------------


def _section(data: dict[str, Any], key: str, kind: type, what: str) -> Any:
    value = data.get(key) or kind()
    if not isinstance(value, kind):
        raise FixtureError(f"{key}: expected {what}, got {type(value).__name__}")
    return value


def parse(data: dict[str, Any]) -> Fixture:
    if not isinstance(data, dict):
        raise FixtureError("the fixture must be a mapping (router, accounting, e-mail, profiles, users)")
    router = _section(data, "router", dict, "a mapping such as {start: 2026-11-25 12:00:00}")
    accounting = _section(data, "accounting", dict, "a mapping such as {interim: 5m, latency: 2s}")
    email = _section(data, "e-mail", dict, "a mapping of /tool e-mail settings")
    _section(data, "profiles", list, "a list of profiles")
    _section(data, "users", list, "a list of users")
    ntp = _ntp(data.get("ntp"))
    profiles = tuple(_profile(p, f"profiles[{i}]") for i, p in enumerate(data.get("profiles") or []))
    users = tuple(_user(u, f"users[{i}]") for i, u in enumerate(data.get("users") or []))
    v7_comment = str(data.get("v7-comment", "{comment}"))
    _check_comments(v7_comment, data.get("users") or [], users)
    return Fixture(
        start=moment(router["start"], "router.start") if "start" in router else DEFAULT_START,
        time_zone=str(router.get("time-zone", "manual")),
        interim_s=duration(accounting.get("interim", "5m"), "accounting.interim"),
        latency_s=seconds(accounting.get("latency", 2), "accounting.latency"),
        email={str(k): (v if isinstance(v, int) else str(v)) for k, v in email.items()},
        ntp=ntp,
        v7_comment=v7_comment,
        profiles=profiles,
        users=users,
    )  # fmt: skip


def _check_comments(template: str, raws: list[Any], users: tuple[User, ...]) -> None:
    """One rule for a user's ``comment:`` and the dialect-specific comment (docs/simulator.md "User fixtures"):
    RouterOS 7 gets the top-level ``v7-comment`` template with ``{comment}`` standing for the user's comment, so the
    comment is part of it, never replaced by it. Refused, with the place: a per-user ``v6-comment:``/``v7-comment:``
    (there is one comment per user), a user ``comment:`` the template would drop (no ``{comment}`` in it), and a
    v7 comment with two ``rb{`` blocks (the billing state is one block: docs/comment-format.md)."""
    for i, (raw, user) in enumerate(zip(raws, users, strict=True)):
        where = f"users[{i}]"
        for key in raw:
            if isinstance(key, str) and _DIALECT_KEY.match(key):
                raise FixtureError(
                    f"{where}.{key}: a user has one comment: (on RouterOS 7 the top-level v7-comment template "
                    "builds it, {comment} standing for this one); put the text in comment:",
                    keys=("users", i, key),
                )
        if user.comment and "{comment}" not in template:
            raise FixtureError(
                f"{where}.comment: {user.name}'s comment would be dropped on RouterOS 7: the v7-comment template "
                f'{template!r} has no {{comment}}; add {{comment}} to it (e.g. "{template} {{comment}}")',
                keys=("users", i, "comment"),
            )
        fields = {"email": user.email or "", "first_name": user.first_name or "", "last_name": user.last_name or "",
                  "phone": user.phone or "", "comment": user.comment or ""}  # fmt: skip
        try:
            made = template.format_map(fields)
        except (KeyError, ValueError, IndexError) as error:
            raise FixtureError(
                f"v7-comment: {template!r} is not a template of {{email}} {{first_name}} {{last_name}} {{phone}} "
                f"{{comment}} (write a literal brace twice: {{{{ }}}}): {error}",
                keys=("v7-comment",),
            ) from None
        if made.count("rb{") > 1:
            raise FixtureError(
                f"{where}.comment: on RouterOS 7 {user.name}'s comment would be {made!r}, two rb{{ blocks; the "
                "billing state is one block: put the comment's keys into the template's block or drop them",
                keys=("users", i, "comment"),
            )


def _ntp(raw: Any) -> dict[str, str | bool]:
    """``ntp: {enabled: yes, servers: "pool.ntp.org"}``: the router's NTP client (``servers`` a comma list)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise FixtureError("ntp: expected a mapping such as {enabled: yes}")
    out: dict[str, str | bool] = {}
    for key, value in raw.items():
        if key == "enabled":
            if not isinstance(value, bool):
                raise FixtureError(f"ntp.enabled: expected yes or no, got {value!r}")
            out["enabled"] = value
        elif key == "servers":
            items = value if isinstance(value, list) else str(value).split(",")
            out["servers"] = ",".join(str(v).strip() for v in items if str(v).strip())
        else:
            raise FixtureError(f"ntp.{key}: unknown key (expected enabled, servers)")
    return out


def _profile(raw: Any, where: str) -> Profile:
    if not isinstance(raw, dict) or "name" not in raw:
        raise FixtureError(f"{where}: a profile needs a name")
    starts = str(raw.get("starts", "assigned"))
    if starts not in ("assigned", "first-auth"):
        raise FixtureError(f"{where}.starts: expected assigned or first-auth, got {starts!r}")
    return Profile(
        name=str(raw["name"]),
        price=str(raw.get("price", "0")),
        validity_s=duration(raw.get("validity", "unlimited"), f"{where}.validity"),
        starts=starts,
    )


def _user(raw: Any, where: str) -> User:
    if not isinstance(raw, dict) or raw.get("name") in (None, ""):
        raise FixtureError(f"{where}: a user needs a name")
    service = str(raw.get("service", "ppp"))
    if service not in ("ppp", "hotspot"):
        raise FixtureError(f"{where}.service: expected ppp or hotspot, got {service!r}")
    daily = None
    if raw.get("daily") is not None:
        d = raw["daily"]
        daily = Daily(
            volume(d, f"{where}.daily"),
            clock(d.get("from", "08:00"), f"{where}.daily.from"),
            clock(d.get("to", "22:00"), f"{where}.daily.to"),
        )
    days = {day(k, f"{where}.days"): volume(v, f"{where}.days.{k}") for k, v in (raw.get("days") or {}).items()}
    sessions = []
    for i, s in enumerate(raw.get("sessions") or []):
        place = f"{where}.sessions[{i}]"
        if not isinstance(s, dict) or "start" not in s:
            raise FixtureError(f"{place}: a session needs a start")
        end = moment(s["end"], f"{place}.end") if s.get("end") is not None else None
        sessions.append(Session(moment(s["start"], f"{place}.start"), end, volume(s, place, suffix="-per-day")))
    return User(
        name=str(raw["name"]),
        password=str(raw.get("password", "")),
        package=_text(raw.get("package")),
        email=_text(raw.get("email")),
        first_name=_text(raw.get("first-name")),
        last_name=_text(raw.get("last-name")),
        phone=_text(raw.get("phone")),
        comment=_text(raw.get("comment")),
        disabled=bool(raw.get("disabled", False)),
        service=service,
        interim_s=duration(raw["interim"], f"{where}.interim") if "interim" in raw else None,
        reconnect_s=duration(raw.get("reconnect", "30s"), f"{where}.reconnect"),
        daily=daily,
        days=days,
        sessions=tuple(sessions),
    )
