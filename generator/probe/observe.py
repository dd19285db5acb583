"""What the probe concludes, as pure functions over what the router returned: :class:`Readings` in, one
:class:`Observation` per row of the register (docs/assumptions.md) out.

Verdicts: ``holds`` (the router did what the row assumes), ``differs`` (it did something else: ``observed`` says
what), ``could not observe`` (the probe cannot see it safely, or the router gave nothing to look at: ``observed``
says why). A row that does not apply to the router's RouterOS (row 1 on v6, row 6 on v7) is left out.

Must not: talk to the router, print, or ask which release it is (the ``Dialect``'s flags only).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from generator.dialects import Dialect

Verdict = Literal["holds", "differs", "could not observe"]
HOLDS: Verdict = "holds"
DIFFERS: Verdict = "differs"
UNSEEN: Verdict = "could not observe"
Row = Mapping[str, bytes]
#: The policy the scripts and the scheduler entry run with, plus the API login right (deploy/preflight.py).
NEEDED_POLICY = ("read", "write", "test", "api")
#: The v7 NTP client's ``status`` values (help.mikrotik.com NTP, "Status"; register row 21).
NTP_STATUSES = frozenset({"synchronized", "stopped", "waiting", "using-local-clock"})
FINAL_MAIL = frozenset({"succeeded", "failed"})
#: MonthEnd trusts no date before this year (docs/billing-safety.md).
TRUSTED_YEAR = 2026
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_OLD = re.compile(r"^([a-z]{3})/(\d{2})/(\d{4})$")


@dataclass(frozen=True, slots=True)
class Observation:
    row: int  # the row of docs/assumptions.md
    assumption: str
    expected: str
    observed: str
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class Readings:
    """Everything the probe read. A ``None`` part was not read; ``problems`` says why (key: the part's name)."""

    dialect: Dialect  # the router's (its flags decide what is expected)
    version_text: str
    api_user: str
    user_names: Mapping[str, str] = field(default_factory=dict)  # User Manager ``.id`` → login name
    ntp: Row | None = None
    policy_groups: tuple[Row, ...] | None = None  # the API user's group row(s), read from /user group
    script: Mapping[str, str] | None = None  # the probe script's answers (script.parse)
    comment_kept: int | None = None  # characters of the probe script's comment read back
    comment_written: int = 0
    mail_to: str | None = None
    problems: Mapping[str, str] = field(default_factory=dict)


def observe(readings: Readings) -> list[Observation]:
    """One observation per register row that applies to the router, in row order."""
    dialect = readings.dialect
    found: list[Observation | None] = []
    if dialect.user_manager_v7:
        found.append(totals_follow_sessions(readings))
    else:
        found.append(_unseen(2, "v6 reset-counters clears download-used/upload-used", "a reset writes to users"))
        found.append(v6_print_counters(readings))
    found += [
        _unseen(3, "a reset takes effect when the command returns", "a reset writes to users"),
        _unseen(4, "close-session ends the NAS session", "closing a session ends a customer's connection"),
        _unseen(5, "User Manager records accounting for a disabled user", "needs a disabled user with traffic"),
        _unseen(7, "v6: an expired profile leaves actual-profile empty", "needs a profile to expire")
        if not dialect.user_manager_v7
        else None,
        session_rows(readings),
        _unseen(9, "reset-counters, session remove, /ppp active remove take an id list", "these commands write"),
        _unseen(10, "a set of several properties is applied together", "needs a set on a user"),
        _unseen(
            11,
            "a User Manager comment holds ~200 characters",
            "needs a write to a user (row 30: the probe's own script comment)",
        ),
        mail_send_returns(readings),
        mail_status_moves(readings),
        _unseen(14, "only this script sends mail while it runs", "depends on the operator's other scripts"),
        _unseen(15, "a mail body just under 64 kB is the limit", "needs a 64 kB mail"),
        email_server_setting(readings),
        _unseen(17, "a hanging SMTP server eventually fails the send", "needs a hanging SMTP server"),
        _unseen(18, "a power cut during SMTP: the server may have the mail", "needs a power cut"),
        email_get_shape(readings),
        clock_trusted(readings),
        ntp_status(readings),
        date_format(readings),
        tonum_leading_zero(readings),
        _unseen(25, "a clock jump does not replay skipped runs", "needs a clock jump"),
        _unseen(26, "start-time=startup runs 3 s after boot, User Manager ready", "needs a reboot"),
        _unseen(27, "globals are shared and lost at reboot", "needs a reboot"),
        api_user_policy(readings),
        _unseen(29, "a completed set survives a power cut right after it", "needs a power cut"),
        script_comment(readings),
        _unseen(
            31,
            "a function stored in a global can be called from another script",
            "would need a second script",
        ),
        find_and_pick(readings),
        control_byte_regex(readings),
        digit_keys(readings),
    ]
    return sorted((o for o in found if o is not None), key=lambda o: o.row)


def _unseen(row: int, assumption: str, why: str) -> Observation:
    return Observation(row, assumption, "—", f"not probed: {why}", UNSEEN)


def _answer(readings: Readings, key: str) -> str | None:
    """The script's answer ``key``, or None (the script did not run, or left the part out)."""
    if readings.script is None:
        return None
    return readings.script.get(key)


def _why_no_script(readings: Readings) -> str:
    return readings.problems.get("script", "the probe script did not run")


def _fields(text: str | None) -> dict[str, str]:
    """``name:type,name:type,`` → ``{name: type}``."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        name, sep, kind = part.rpartition(":")
        if sep and name:
            out[name] = kind
    return out


# --- User Manager --------------------------------------------------------------------------------------------------


def totals_follow_sessions(readings: Readings) -> Observation:
    """Row 1: v7 ``user monitor`` totals equal the sum of the user's session rows (compared by the probe script)."""
    what = "v7 monitor totals are the sum of the user's session rows"
    expected = "totals = session sums for every user"
    answer = _answer(readings, "totals")
    if answer is None or answer == "error":
        why = _why_no_script(readings) if readings.script is None else "monitor or session print failed"
        return Observation(1, what, expected, why, UNSEEN)
    try:
        compared, traffic, apart, users = (int(n) for n in answer.split(","))
    except ValueError:
        return Observation(1, what, expected, f"unreadable answer {answer!r}", UNSEEN)
    if not traffic:
        return Observation(1, what, expected, f"none of {users} users has traffic or session rows to compare", UNSEEN)
    if apart:
        shown = []
        for part in (_answer(readings, "totalsapart") or "").split(","):
            bits = part.split("/")
            if len(bits) == 5:
                name = readings.user_names.get(bits[0], bits[0])
                shown.append(f"{name}: totals {bits[1]}/{bits[2]}, sessions {bits[3]}/{bits[4]}")
        more = f" (and {apart - len(shown)} more)" if apart > len(shown) else ""
        return Observation(1, what, expected, f"{apart} of {traffic} users differ: {'; '.join(shown)}{more}", DIFFERS)
    partial = f" (the first {compared} of {users} users)" if compared < users else ""
    note = (
        f"equal for {traffic} users with traffic{partial}, download and upload; a router whose session rows were "
        "never removed cannot tell keeps-totals apart"
    )
    return Observation(1, what, expected, note, HOLDS)


def v6_print_counters(readings: Readings) -> Observation:
    """Row 6: v6 ``user print as-value`` rows carry ``download-used`` and ``upload-used``."""
    what = "v6 user print as-value rows carry download-used, upload-used"
    expected = "download-used:num, upload-used:num"
    text = _answer(readings, "userfields")
    if text is None:
        why = _why_no_script(readings) if readings.script is None else "no users to look at"
        return Observation(6, what, expected, why, UNSEEN)
    fields = _fields(text)
    if not fields:
        return Observation(6, what, expected, "print as-value failed", DIFFERS)
    got = ", ".join(f"{n}:{fields[n]}" if n in fields else f"{n} missing" for n in ("download-used", "upload-used"))
    ok = fields.get("download-used") == "num" and fields.get("upload-used") == "num"
    return Observation(6, what, expected, got, HOLDS if ok else DIFFERS)


def session_rows(readings: Readings) -> Observation:
    """Row 8: a session row's ``user`` is the login name (a str), ``active`` a bool, ``where active`` works."""
    what = "session rows: user is the login name, active a bool, print as-value where active works"
    expected = "user:str, active:bool, where active accepted"
    if readings.script is None:
        return Observation(8, what, expected, _why_no_script(readings), UNSEEN)
    where = _answer(readings, "whereactive")
    if where == "error":
        return Observation(8, what, expected, "print as-value where active failed", DIFFERS)
    text = _answer(readings, "sessionfields")
    if text is None:
        return Observation(
            8, what, expected, f"no session rows to look at (where active accepted: {where} rows)", UNSEEN
        )
    fields = _fields(text)
    got = ", ".join(f"{n}:{fields.get(n, 'missing')}" for n in ("user", "active"))
    ok = fields.get("user") == "str" and fields.get("active") == "bool"
    return Observation(8, what, expected, f"{got}; where active: {where} rows", HOLDS if ok else DIFFERS)


# --- e-mail ---------------------------------------------------------------------------------------------------------


def _mail_sequence(readings: Readings) -> list[tuple[int, str]] | None:
    text = _answer(readings, "mailseq")
    if text is None or text == "error":
        return None
    out = []
    for part in text.split(","):
        ms, sep, status = part.partition(":")
        if sep and ms.isdigit():
            out.append((int(ms), status))
    return out or None


def _mail_unseen(readings: Readings) -> str | None:
    if readings.mail_to is None:
        return "needs --send-test-mail ADDRESS (sends one mail)"
    if readings.script is None:
        return _why_no_script(readings)
    if _answer(readings, "mailsend") == "error":
        return "the test mail's send command failed"
    if _mail_sequence(readings) is None:
        return "last-status could not be read"
    return None


def mail_send_returns(readings: Readings) -> Observation:
    """Row 12: ``send`` returns at once before 7.21 (the status is not final yet); from 7.21 it waits."""
    what = "e-mail send returns at once before 7.21, waits from 7.21"
    waits = readings.dialect.email_send_failure_raises
    expected = "send waits: last-status final when it returns" if waits else "send returns before the outcome"
    if waits and readings.mail_to is not None and _answer(readings, "mailsend") == "error":
        return Observation(12, what, expected, "send raised the mail's failure: it waited for the outcome", HOLDS)
    why = _mail_unseen(readings)
    if why is not None:
        return Observation(12, what, expected, why, UNSEEN)
    seq = _mail_sequence(readings) or []
    before = _answer(readings, "mailbefore") or ""
    first = seq[0][1]
    observed = (
        "status right after send: "
        + first
        + "; then "
        + (", ".join(f"{s} at {ms} ms" for ms, s in seq[1:]) or "no change")
    )
    if first not in FINAL_MAIL or len(seq) > 1:
        returned_early = True
    elif first != before:
        returned_early = False
    else:
        return Observation(12, what, expected, observed + " (the same as before the send: cannot tell)", UNSEEN)
    return Observation(12, what, expected, observed, HOLDS if returned_early != waits else DIFFERS)


def mail_status_moves(readings: Readings) -> Observation:
    """Row 13: ``last-status`` is ``in-progress`` as soon as ``send`` returns (before 7.21)."""
    what = "last-status shows in-progress as soon as send returns"
    expected = "in-progress right after send"
    if readings.dialect.email_send_failure_raises:
        return Observation(
            13, what, expected, "from 7.21 send waits for the outcome; the row applies before 7.21", UNSEEN
        )
    why = _mail_unseen(readings)
    if why is not None:
        return Observation(13, what, expected, why, UNSEEN)
    seq = _mail_sequence(readings) or []
    steps = ", ".join(f"{s} at {ms} ms" for ms, s in seq)
    if seq[0][1] == "in-progress":
        return Observation(13, what, expected, steps, HOLDS)
    return Observation(13, what, expected, f"{steps} (lagging)", DIFFERS)


def email_server_setting(readings: Readings) -> Observation:
    """Row 16: the SMTP server setting is ``address=`` before 7.12, ``server=`` from 7.12."""
    what = "the e-mail server setting is address= before 7.12, server= from 7.12"
    name = readings.dialect.email_server_param
    expected = f"{name}= in [/tool e-mail get]"
    text = _answer(readings, "emailfields")
    if text is None or text == "error":
        return Observation(16, what, expected, _why_no_script(readings) if text is None else "get failed", UNSEEN)
    fields = _fields(text)
    present = [n for n in ("address", "server") if n in fields]
    got = ", ".join(f"{n}=" for n in present) or "neither address= nor server="
    return Observation(16, what, expected, got, HOLDS if name in fields else DIFFERS)


def email_get_shape(readings: Readings) -> Observation:
    """Row 19: ``[/tool e-mail get]`` is a keyed array."""
    what = "[/tool e-mail get] is a keyed array"
    expected = "array with named keys"
    kind = _answer(readings, "emailget")
    if kind is None:
        return Observation(19, what, expected, _why_no_script(readings), UNSEEN)
    keys = list(_fields(_answer(readings, "emailfields")))
    observed = f"{kind}" + (f" with keys {', '.join(keys)}" if keys else "")
    return Observation(19, what, expected, observed, HOLDS if kind == "array" and keys else DIFFERS)


# --- clock ----------------------------------------------------------------------------------------------------------


def _year(date: str) -> int | None:
    found = _ISO.match(date) or _OLD.match(date)
    if not found:
        return None
    return int(found.group(1) if _ISO.match(date) else found.group(3))


def _ntp_state(readings: Readings) -> tuple[bool | None, str]:
    """(synchronised?, how it was seen); None when the NTP client could not be read or is not enabled."""
    row = readings.ntp
    if row is None:
        return None, readings.problems.get("ntp", "NTP client not read")
    enabled = row.get("enabled", b"") in (b"true", b"yes")
    if not enabled:
        return None, "NTP client disabled"
    if "status" in row:
        status = row["status"].decode("utf-8", "replace")
        return status == "synchronized", f"NTP status {status}"
    adjusted = bool(row.get("last-adjustment", b""))
    return adjusted, "NTP last-adjustment " + (
        row["last-adjustment"].decode("utf-8", "replace") if adjusted else "empty (not yet synchronised)"
    )


def clock_trusted(readings: Readings) -> Observation:
    """Row 20: the clock is set (not the 1970 of a router without a battery clock) and NTP has synchronised."""
    what = "a router without a battery clock shows 1970 until NTP syncs; billing needs a set clock"
    expected = f"date {TRUSTED_YEAR} or later, the enabled NTP client synchronised"
    date = _answer(readings, "date")
    if date is None or date == "error":
        return Observation(20, what, expected, _why_no_script(readings) if date is None else "date not read", UNSEEN)
    year = _year(date)
    synced, how = _ntp_state(readings)
    observed = f"date {date}, {how}"
    if year is None:
        return Observation(20, what, expected, observed + " (date not understood)", DIFFERS)
    if year < TRUSTED_YEAR or synced is False:
        return Observation(20, what, expected, observed + ": nothing is billed until the clock is right", DIFFERS)
    return Observation(20, what, expected, observed, HOLDS)


def ntp_status(readings: Readings) -> Observation:
    """Row 21 (v7): ``status`` is one of the documented values; row 22 (v6): no ``status``, ``last-adjustment``."""
    row = readings.ntp
    if readings.dialect.user_manager_v7:
        what, expected, number = (
            "v7 NTP client status is synchronized when synced",
            "status in " + ", ".join(sorted(NTP_STATUSES)),
            21,
        )
    else:
        what, expected, number = (
            "v6 SNTP client has no status; last-adjustment after a good reply",
            ("no status property"),
            22,
        )
    if row is None:
        return Observation(number, what, expected, readings.problems.get("ntp", "NTP client not read"), UNSEEN)
    status = row["status"].decode("utf-8", "replace") if "status" in row else None
    if number == 21:
        if status is None:
            return Observation(21, what, expected, "no status property", DIFFERS)
        return Observation(21, what, expected, f"status {status}", HOLDS if status in NTP_STATUSES else DIFFERS)
    if status is not None:
        return Observation(22, what, expected, f"status {status} (the ntp package's client?)", DIFFERS)
    adjusted = row.get("last-adjustment", b"").decode("utf-8", "replace") or "empty"
    return Observation(22, what, expected, f"no status; last-adjustment {adjusted}", HOLDS)


def date_format(readings: Readings) -> Observation:
    """Row 23: ``/system clock get date`` is ``nov/30/2026`` before 7.10, ``2026-11-30`` from 7.10."""
    what = "clock date format: nov/30/2026 before 7.10, 2026-11-30 from 7.10"
    iso = readings.dialect.iso_dates
    expected = "2026-11-30 style" if iso else "nov/30/2026 style"
    date = _answer(readings, "date")
    if date is None or date == "error":
        return Observation(23, what, expected, _why_no_script(readings) if date is None else "date not read", UNSEEN)
    ok = bool((_ISO if iso else _OLD).match(date))
    return Observation(23, what, expected, date, HOLDS if ok else DIFFERS)


# --- scripting ------------------------------------------------------------------------------------------------------


def tonum_leading_zero(readings: Readings) -> Observation:
    """Row 24: ``:tonum "08"`` is 8 (and ``"010"`` is 10)."""
    what = ':tonum "08" is 8'
    expected = '"08" → 8, "010" → 10'
    eight, ten = _answer(readings, "tonum08"), _answer(readings, "tonum010")
    if eight is None or ten is None:
        return Observation(24, what, expected, _why_no_script(readings), UNSEEN)

    def shown(answer: str) -> str:
        kind, _, text = answer.partition(":")
        return text if kind == "num" else kind

    observed = f'"08" → {shown(eight)}, "010" → {shown(ten)}'
    return Observation(24, what, expected, observed, HOLDS if eight == "num:8" and ten == "num:10" else DIFFERS)


def api_user_policy(readings: Readings) -> Observation:
    """Row 28: the API user's group has ``read,write,test`` (the scripts' policy) and ``api``."""
    what = "scripts run with the caller's policy; read,write,test suffices"
    expected = "the API user's group has " + ",".join(NEEDED_POLICY)
    ran = ""
    if readings.script is not None:
        ran = "; a script with policy read,write,test ran and set a global"
    if readings.policy_groups is None:
        return Observation(28, what, expected, readings.problems.get("policy", "not read") + ran, UNSEEN)
    if not readings.policy_groups:
        return Observation(28, what, expected, f"no group found for user {readings.api_user}{ran}", UNSEEN)
    text = readings.policy_groups[0].get("policy", b"").decode("utf-8", "replace")
    policy = {w.strip() for w in text.split(",") if w.strip() and not w.strip().startswith("!")}
    missing = [p for p in NEEDED_POLICY if p not in policy]
    group = readings.policy_groups[0].get("name", b"").decode("utf-8", "replace")
    observed = f"group {group}: {','.join(sorted(policy)) or 'no policy'}" + (
        f" (lacks {','.join(missing)})" if missing else ""
    )
    return Observation(28, what, expected, observed + ran, DIFFERS if missing else HOLDS)


def script_comment(readings: Readings) -> Observation:
    """Row 30: a ``/system script`` comment holds the ledger (the probe writes a long one on its own script)."""
    what = "a /system script comment holds the ledger"
    expected = f"a {readings.comment_written}-character comment reads back whole"
    if "comment refused" in readings.problems:
        return Observation(30, what, expected, readings.problems["comment refused"], DIFFERS)
    if readings.comment_kept is None:
        return Observation(30, what, expected, readings.problems.get("comment", "not read back"), UNSEEN)
    ok = readings.comment_kept == readings.comment_written
    return Observation(30, what, expected, f"{readings.comment_kept} characters read back", HOLDS if ok else DIFFERS)


def find_and_pick(readings: Readings) -> Observation:
    """Row 32: ``:find`` of a missing value is nil; ``:pick`` past the end is ``""``."""
    what = ':find of a missing value is nil; :pick past the end is ""'
    expected = 'nil; "" (str of length 0)'
    find, pick = _answer(readings, "find"), _answer(readings, "pick")
    if find is None or pick is None:
        return Observation(32, what, expected, _why_no_script(readings), UNSEEN)
    observed = f"{find}; {pick.replace(':', ' of length ')}"
    return Observation(32, what, expected, observed, HOLDS if find == "nil" and pick == "str:0" else DIFFERS)


def _one_answer(readings: Readings, row: int, what: str, key: str, expected: str) -> Observation:
    """A row the probe script answers with one value: it holds when the answer is ``expected``."""
    answer = _answer(readings, key)
    if answer is None:
        return Observation(row, what, expected, _why_no_script(readings), UNSEEN)
    return Observation(row, what, expected, answer, HOLDS if answer == expected else DIFFERS)


def control_byte_regex(readings: Readings) -> Observation:
    """Row 33: ``~`` with a bracket ``[\\01-\\1F]`` matches a control byte."""
    return _one_answer(readings, 33, "~ with [\\01-\\1F] matches control bytes", "ctlre", "true")


def digit_keys(readings: Readings) -> Observation:
    """Row 34: an all-digit array key stays a string key."""
    return _one_answer(readings, 34, "array keys that are all digits stay string keys", "digitkey", "str")


def field_types(readings: Readings) -> dict[str, dict[str, str]]:
    """The field names and types the script saw (users, sessions, monitor, e-mail), for the profile."""
    out = {}
    for key, name in (
        ("userfields", "user"),
        ("sessionfields", "session"),
        ("monitorfields", "monitor"),
        ("emailfields", "email"),
    ):
        text = _answer(readings, key)
        if text and text != "error":
            out[name] = _fields(text)
    return out
