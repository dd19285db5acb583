"""Where RouterOS behaviour is not known, the emulated router models each plausible alternative behind a switch.

Principle: the emulator must never be kinder than RouterOS. Each field of :class:`Behaviour` is one open question, its
default today's model, its alternatives what a real router might do instead; a test matrix runs the billing scripts
under every alternative (:meth:`Behaviour.alternatives`). Each field names its source: ``[DOC]`` documented,
``[SEEN]`` observed in public scripts or reports, ``[INF]`` inferred, and the row of the review
(``../shared/reference/router-review.md``, "RR n") it belongs to.

Construct once and pass to :class:`~emulator.router.Router` (``Router(version, behaviour=Behaviour(...))``),
:func:`emulator.fixture_usage.build_router` or :func:`emulator.prepare`.

Must not: hold state or know menus; it is a value.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

UmSessionRemove = Literal["lowers-totals", "keeps-totals"]
V6ResetCounters = Literal["zeroes", "keeps"]
UmCloseSession = Literal["disconnects", "marks-only"]
UmDisabledAccounting = Literal["accepted", "ignored"]
V6PrintCounters = Literal["included", "omitted"]
MailStatus = Literal["immediate", "lagging"]
BootClock = Literal["rtc", "1970"]
TonumLeadingZero = Literal["decimal", "octal"]
PowerCutMail = Literal["lost", "delivered"]
UmAttributesRead = Literal["text", "array"]
FetchHttpError = Literal["raises", "returns"]
V6ClearProfiles = Literal["all", "waiting-only"]
V6ActualProfileWaiting = Literal["shown", "empty"]
V6LimitationAddressList = Literal["sent", "not-sent"]
ApiGlobals = Literal["listed", "hidden"]
ApiScriptJobs = Literal["listed", "hidden"]

_CHOICES: dict[str, tuple[str, ...]] = {
    "um_session_remove": ("lowers-totals", "keeps-totals"),
    "v6_reset_counters": ("zeroes", "keeps"),
    "um_close_session": ("disconnects", "marks-only"),
    "um_disabled_accounting": ("accepted", "ignored"),
    "v6_print_counters": ("included", "omitted"),
    "mail_status": ("immediate", "lagging"),
    "boot_clock": ("rtc", "1970"),
    "tonum_leading_zero": ("decimal", "octal"),
    "power_cut_mail": ("lost", "delivered"),
    "um_attributes_read": ("text", "array"),
    "fetch_http_error": ("raises", "returns"),
    "api_globals": ("listed", "hidden"),
    "api_script_jobs": ("listed", "hidden"),
    "v6_clear_profiles": ("all", "waiting-only"),
    "v6_actual_profile_waiting": ("shown", "empty"),
    "v6_limitation_address_list": ("sent", "not-sent"),
}

#: The non-default values worth testing for each switch (the test matrix). For the durations: one shorter and one
#: longer than the thing they race with (accounting latency 2 s, mail delivery 1 s, a nightly run's minutes).
_ALTERNATIVES: dict[str, tuple[object, ...]] = {
    "um_session_remove": ("keeps-totals",),
    "v6_reset_counters": ("keeps",),
    "reset_delay_s": (1.0, 5.0),
    "um_close_session": ("marks-only",),
    "um_disabled_accounting": ("ignored",),
    "v6_print_counters": ("omitted",),
    "mail_status": ("lagging",),
    "mail_status_lag_s": (0.5, 5.0),
    "boot_clock": ("1970",),
    "ntp_sync_delay_s": (0.0, 600.0),
    "tonum_leading_zero": ("octal",),
    "power_cut_mail": ("delivered",),
    "um_attributes_read": ("array",),
    "power_cut_loses_writes_s": (1.0, 4.0),
    "fetch_http_error": ("returns",),
    "api_globals": ("hidden",),
    "api_script_jobs": ("hidden",),
    "v6_clear_profiles": ("waiting-only",),
    "v6_actual_profile_waiting": ("empty",),
    "v6_limitation_address_list": ("not-sent",),
}


@dataclass(frozen=True, slots=True)
class Behaviour:
    """One emulated router's answers to the open questions. ``Behaviour()`` is the emulator's model before the switches
    existed (except where a field says otherwise)."""

    um_session_remove: UmSessionRemove = "lowers-totals"
    """v7 ``/user-manager session remove``: ``lowers-totals`` (``user monitor`` totals are the sum over stored rows, so
    removing rows resets them; [INF] platform.md §2.4) or ``keeps-totals`` (User Manager keeps per-user totals of its
    own, fed by the increments each accounting packet brings; removing rows changes nothing; [SEEN] a third-party panel,
    GreenNet controller, "sessions don't suffice for zeroing"). RR 3, likely failure 1."""

    v6_reset_counters: V6ResetCounters = "zeroes"
    """v6 ``/tool user-manager user reset-counters``: ``zeroes`` (closed part zeroed, active sessions hidden until their
    next packet; [INF] platform.md §7) or ``keeps`` (accepted, changes nothing; [INF] the command is seen in API code
    but its effect is undocumented). RR 6."""

    reset_delay_s: float = 0.0
    """Seconds after the command returns until v6 ``reset-counters`` or v7 ``session remove`` takes effect (an
    asynchronous reset; 0 = at once). [INF] User Manager writes its database in the background. RR 3, 6."""

    um_close_session: UmCloseSession = "disconnects"
    """``close-session`` (v6 and v7): ``disconnects`` (reaches the NAS, which ends the session and sends a Stop; [INF]
    platform.md §1.4, §2.5: CoA assumed configured) or ``marks-only`` (User Manager marks the row inactive, the NAS
    session goes on; later packets make the row active again with their cumulative totals; [DOC] MikroTik wiki
    User_Manager/Active_sessions: closing in UM alone only makes the session inactive). RR 7, likely failure 2."""

    um_disabled_accounting: UmDisabledAccounting = "accepted"
    """Interim and Stop packets for a user whose User Manager entry is disabled: ``accepted`` or ``ignored`` (dropped:
    that traffic never reaches the counters). [INF] nothing documents it."""

    v6_print_counters: V6PrintCounters = "included"
    """v6 ``/tool user-manager user print as-value`` rows: ``included`` or ``omitted`` (no ``download-used``,
    ``upload-used``, ``uptime-used``; ``get $id download-used`` still works). [INF] v6 ``print`` leaves out some values
    without ``detail``; RR 5 ("seen in real API code", not documented)."""

    mail_status: MailStatus = "immediate"
    """``/tool e-mail`` ``last-status`` after an asynchronous send (before 7.21): ``immediate`` (``in-progress`` the
    moment send returns) or ``lagging`` (the previous value for ``mail_status_lag_s``, then ``in-progress`` until the
    outcome; with a lag at least the delivery time ``in-progress`` is never seen). [SEEN] EW6 and older EW wait 1 s
    before the first poll; BV lists ``resolving-dns`` before ``in-progress``. RR 9, likely failure 3."""

    mail_status_lag_s: float = 2.0
    """The lag of ``mail_status="lagging"``, seconds. [INF]"""

    boot_clock: BootClock = "rtc"
    """The clock after a reboot or power cut: ``rtc`` (keeps time) or ``1970`` (shows jan/02/1970 00:00:00 and runs
    from there until the NTP client syncs, ``ntp_sync_delay_s`` after boot; routers without an RTC; [DOC] CLOCK page,
    routeros-scripting.md §8). RR likely failure 7."""

    ntp_sync_delay_s: float = 60.0
    """Seconds from boot until an enabled NTP client synchronises (``boot_clock="1970"``). [INF]"""

    tonum_leading_zero: TonumLeadingZero = "decimal"
    """``:tonum`` of a string with a leading zero: ``decimal`` (``"08"`` is 8, ``"010"`` is 10) or ``octal`` (``"010"``
    is 8; ``"08"`` and ``"09"`` are nil, as C's strtol with base 0 gives). [SEEN] v6/v7 date code relies on decimal
    (EW6 daily-psk, EW ParseDate), undocumented. RR 12."""

    power_cut_mail: PowerCutMail = "lost"
    """A mail in flight when the power is cut: ``lost`` (the server never got it: outbox status ``lost``) or
    ``delivered`` (the server got it: ``succeeded``, but the router never learns; ``last-status`` after boot is
    ``none``). [INF] an SMTP exchange is cut either before or after the final ``250``."""

    power_cut_loses_writes_s: float = 0.0
    """Writes to User Manager users, ``/system script`` and ``/system scheduler`` made within this many seconds before a
    power cut are lost (not yet on flash when the power went; 0 = every completed write survives). [INF] nothing
    documents when RouterOS commits a change; v7 User Manager keeps its data in SQLite with a write-ahead log (research
    notes of issue 7, §5). Register row 29."""

    fetch_http_error: FetchHttpError = "raises"
    """``/tool fetch`` when the server answers with a status outside 2xx: ``raises`` (the command fails with
    ``Fetch failed with status 500``; [SEEN] routeros-scripting.md §4, forum) or ``returns`` (the ``as-value`` map
    with ``status=failed`` and no error). [INF] neither manual says. BillingNotify counts only a returned map with
    ``status=finished`` as delivered, so both give the same outcome. docs/assumptions.md (issue 12 rows)."""

    um_attributes_read: UmAttributesRead = "text"
    """v7 ``/user-manager user get $id attributes`` (and ``print as-value``): ``text`` (one string
    ``Attr:value,Attr:value`` as the list is written; [INF]) or ``array`` (one element per attribute, as RouterOS 7
    returns some list properties; [INF]). Enforce reads both. docs/assumptions.md (Enforce rows)."""

    api_globals: ApiGlobals = "listed"
    """``/system script environment print`` (and ``get``, ``find``) over the API: ``listed`` (every global, as a script
    or the console sees them) or ``hidden`` (none of the globals the scripts set, e.g. ``rosbillLock``: globals are
    "accessible from all scripts created by the current user" [DOC] Scripting manual, and nothing says what an API
    session sees). docs/assumptions.md row 35."""

    api_script_jobs: ApiScriptJobs = "listed"
    """``/system script job print`` over the API: ``listed`` (every running script, also one the scheduler or another
    script's ``/system script run`` started) or ``hidden`` (only jobs started over the API itself; a scheduler's or a
    script's are not shown to an API session). [DOC] each running script is a job (Scripting manual, "Job"); who sees
    which job is undocumented [INF]. docs/assumptions.md row 36."""

    v6_clear_profiles: V6ClearProfiles = "all"
    """v6 ``/tool user-manager user clear-profiles``: ``all`` (every assigned profile goes, the running one too, so the
    next ``create-and-activate-profile`` is actual at once; [INF] the command's name) or ``waiting-only`` (the running
    profile stays and only the queued ones go, so a newly activated profile waits behind it; [INF]). Enforce on
    RouterOS 6 reads ``actual-profile`` back after the move and reports a user it did not move (docs/assumptions.md
    row 55)."""

    v6_actual_profile_waiting: V6ActualProfileWaiting = "shown"
    """v6 ``actual-profile`` of a user whose current profile has ``starts-at=logon`` and has not started (no login since
    it was activated): ``shown`` (its name) or ``empty`` (nothing until the first login). [INF] platform.md §1.1 only
    says it is empty once every profile expired. Enforce repairs a user whose actual profile is not the one it asks
    for on every run, and bills from ``tpk=``, so both give the same bills (docs/assumptions.md row 56)."""

    v6_limitation_address_list: V6LimitationAddressList = "sent"
    """v6 ``/tool user-manager profile limitation``'s ``address-list`` (platform.md §1.2, seen in v6 exports): ``sent``
    (the Access-Accept of a user whose actual profile has that limitation carries ``Mikrotik-Address-List``, as the
    rate limit is sent as ``Mikrotik-Rate-Limit``; [INF]) or ``not-sent`` (the list is stored only). Only the v6 walled
    garden depends on it, which rosbill does not rely on: no bill or state changes (docs/assumptions.md row 67)."""

    def __post_init__(self) -> None:
        for name, choices in _CHOICES.items():
            value = getattr(self, name)
            if value not in choices:
                raise ValueError(f"Behaviour.{name} must be one of {', '.join(choices)}, not {value!r}")
        for name in ("reset_delay_s", "mail_status_lag_s", "ntp_sync_delay_s", "power_cut_loses_writes_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"Behaviour.{name} must be a number of seconds >= 0, not {value!r}")

    @staticmethod
    def alternatives() -> dict[str, tuple[object, ...]]:
        """For each switch, the non-default values worth testing (a test matrix builds ``Behaviour(**{name: v})``)."""
        return dict(_ALTERNATIVES)

    def changed(self) -> dict[str, object]:
        """The switches that differ from the defaults, in field order."""
        default = Behaviour()
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    def describe(self) -> str:
        """``um_session_remove=keeps-totals, reset_delay_s=5.0``; ``defaults`` when nothing differs."""
        changed = self.changed()
        return ", ".join(f"{name}={value}" for name, value in changed.items()) or "defaults"
