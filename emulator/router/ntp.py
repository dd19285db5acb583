"""``/system ntp client`` per version, and the clock jump when it synchronises after a boot without a real-time clock.

v7 (RFC 5905 client in the main package, [DOC] help.mikrotik.com NTP page; names checked against the 7.21.4 command
tree, [O db]): ``enabled`` (default ``no``), ``mode`` (``broadcast|manycast|multicast|unicast``), ``servers``, ``vrf``
(default ``main``), read-only ``status`` (``synchronized, stopped, waiting, using-local-clock`` [DOC] NTP page "Status":
``stopped`` while disabled, ``waiting`` until it syncs, ``synchronized`` after), ``synced-server``,
``synced-stratum``. ``system-offset`` and ``freq-drift`` are not emulated (``get`` of them is a runtime error).

v6 (the SNTP client of the system package, RFC 4330, [DOC] same page, "RouterOS version 6"): ``enabled``,
``primary-ntp``, ``secondary-ntp`` (default ``0.0.0.0``), ``server-dns-names``, ``mode`` (read-only: ``unicast`` once
a server is configured, else ``broadcast``), read-only ``active-server``, ``last-update-from``, ``last-update-before``,
``last-adjustment``. No ``status``: the SNTP client has none (only the separate ``ntp`` package's client does), so
``get status`` is a runtime error as on the router; public v6 scripts test ``[:typeof [/system ntp client get
last-update-from]] = "nil"`` instead ([SEEN] filimonic/mikrotik-sms-forward-telegram ``tgbot-startup.rsc``; scripts
that read ``status`` on v6 first check for the ``ntp`` package). The ``last-*`` values are nil until the client has
synchronised ([SEEN] DinoTools/monitoring-check_routeros ``system_ntp_client.py``: "Looks like NTP client not
running" when they are missing).

When it synchronises ([INF] unless noted): the router's clock is correct unless ``Behaviour.boot_clock == "1970"``
and the client has not yet synchronised since the last boot; it does so ``Behaviour.ntp_sync_delay_s`` after the
boot (or after it is enabled, whichever is later), when the shown time jumps to the emulator's true time (skew 0) and
the scheduler re-plans from the new wall time without replaying missed runs. Servers are shown but not checked: an
enabled client synchronises even with none configured. A disabled client never moves the clock.

Which client a version has: both arrived with 7.0, so it asks ``RouterOSVersion.user_manager_v7`` (the 7.0 line);
``emulator/version.py`` has no NTP property of its own yet.

Must not: run scripts, or compare RouterOS versions.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from emulator.contract import RunContext, Value
from emulator.router.clock import SECOND
from emulator.router.menu import Singleton
from emulator.router.proptypes import BOOL, NUM, STR, TIME, Enum, Prop, PropType, text_of
from emulator.values import NIL, Time, tostr

if TYPE_CHECKING:
    from emulator.router.router import Router

#: What a router without an RTC shows right after boot ([DOC] CLOCK page, routeros-scripting.md §8).
BOOT_TIME = dt.datetime(1970, 1, 2, 0, 0, 0)


class NilWhenUnset(PropType):
    """A read-only value that ``get`` returns as nil while it is not set (v6 SNTP ``last-update-from`` before the
    first sync: scripts test ``:typeof … = "nil"``, see the module docstring)."""

    def __init__(self, inner: PropType) -> None:
        self.inner = inner
        self.name = inner.name
        self.empty = NIL

    def coerce(self, prop: str, value: Value) -> Value:
        return self.inner.coerce(prop, value)


class NtpClientMenu(Singleton):
    """``/system ntp client`` of the emulated version, and the sync that moves the clock."""

    def __init__(self, router: Router) -> None:
        self.v7 = router.version.user_manager_v7  # the RFC 5905 client of the main package: the 7.0 line [DOC]
        if self.v7:
            props = [
                Prop("enabled", BOOL, default=False),
                Prop("mode", Enum("broadcast", "manycast", "multicast", "unicast"), default=b"unicast"),
                Prop("servers", STR, default=b""),
                Prop("vrf", STR, default=b"main"),
                Prop("status", STR, readonly=True),
                Prop("synced-server", STR, readonly=True),
                Prop("synced-stratum", NUM, readonly=True),
            ]
        else:
            props = [
                Prop("enabled", BOOL, default=False),
                Prop("primary-ntp", STR, default=b"0.0.0.0"),
                Prop("secondary-ntp", STR, default=b"0.0.0.0"),
                Prop("server-dns-names", STR, default=b""),
                Prop("mode", STR, readonly=True),
                Prop("active-server", NilWhenUnset(STR), readonly=True),
                Prop("last-update-from", NilWhenUnset(STR), readonly=True),
                Prop("last-update-before", NilWhenUnset(TIME), readonly=True),
                Prop("last-adjustment", NilWhenUnset(TIME), readonly=True),
            ]
        super().__init__(("system", "ntp", "client"), props)
        self.router = router
        #: True instant of the last synchronisation since boot (None: not synchronised since the last boot).
        self.synced_ns: int | None = router.clock.now
        self._enabled_ns = router.clock.now

    # --- state -------------------------------------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return bool(self.record.get("enabled"))

    def synchronised(self) -> bool:
        """Whether the client reports a sync now (the clock may be right without it: an RTC keeps time)."""
        return self.enabled and self.synced_ns is not None

    def _server(self) -> bytes:
        """The server it reports, [INF] the first configured one."""
        if self.v7:
            first = text_of(self.record.get("servers", b"")).split(",")[0].strip()
            return first.encode()
        for name in ("primary-ntp", "secondary-ntp"):
            value = self.record.get(name, b"0.0.0.0")
            if value not in (b"", b"0.0.0.0"):
                return bytes(value)
        names = [n.strip() for n in text_of(self.record.get("server-dns-names", b"")).split(",") if n.strip()]
        return tostr(self.router.resolve(names[0])) if names else b""

    def computed(self) -> dict[str, Value]:
        synced = self.synchronised()
        server = self._server() if synced else b""
        if self.v7:
            status = b"synchronized" if synced else b"waiting" if self.enabled else b"stopped"
            out: dict[str, Value] = {"status": status}
            if synced:
                out["synced-server"] = server
                out["synced-stratum"] = 2  # [INF] a pool server's stratum
            return out
        addresses = [self.record.get(n, b"0.0.0.0") for n in ("primary-ntp", "secondary-ntp")]
        configured = any(a not in (b"", b"0.0.0.0") for a in addresses) or bool(self.record.get("server-dns-names"))
        out = {"mode": b"unicast" if configured else b"broadcast"}
        if synced:
            assert self.synced_ns is not None
            # [INF] it polls at most every 15 min ([DOC] poll-interval "increased by doubling to 15 minutes")
            since = Time((self.router.clock.now - self.synced_ns) % (15 * 60 * SECOND))
            out |= {"active-server": server, "last-update-from": server, "last-update-before": since,
                    "last-adjustment": Time(0)}  # fmt: skip
        return out

    def changed(self, names: frozenset[str], ctx: RunContext) -> None:
        if "enabled" in names and self.enabled:
            self._enabled_ns = self.router.clock.now
            if self.synced_ns is None:
                self._plan_sync()

    # --- boot and sync -----------------------------------------------------------------------------------------------

    def boot(self) -> None:
        """After a reboot or power cut: with an RTC the clock is right and an enabled client counts as synchronised;
        without one the router shows jan/02/1970 00:00:00 ([DOC] CLOCK) until the client synchronises."""
        router = self.router
        if router.behaviour.boot_clock == "rtc":
            self.synced_ns = router.clock.now
            return
        self.synced_ns = None
        router.clock.show(BOOT_TIME)  # the scheduler's boot, which follows, plans in this wall time
        if self.enabled:
            self._plan_sync()

    def _plan_sync(self) -> None:
        router = self.router
        delay = int(router.behaviour.ntp_sync_delay_s * SECOND)
        at = max(router.boot_ns, self._enabled_ns) + delay
        router.at(at, "ntp-sync", self._sync)

    def _sync(self) -> None:
        if not self.enabled or self.synced_ns is not None:
            return
        router = self.router
        self.synced_ns = router.clock.now
        router.clock.skew_ns = 0  # the true time: what the emulator's timeline says
        router.clock_changed()
