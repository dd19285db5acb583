"""``/system clock``, ``/system identity``, ``/system resource`` and ``/system package`` of the emulated router.

The clock menu is a view of :class:`~emulator.router.clock.Clock`: ``date`` is printed the way the emulated
version prints it (``nov/30/2026`` before 7.10, ``2026-11-30`` from 7.10; ``RouterOSVersion.clock_date``), ``time`` is a
``time`` value (``HH:MM:SS`` since local midnight), ``gmt-offset`` is a num of seconds that wraps to unsigned 32-bit
when negative (routeros-scripting.md §8). Resource and package rows are fixed, plausible values for a CHR.

Must not: run scripts or schedule events (it asks the router to re-plan the scheduler after a clock change).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from emulator.contract import RouterOSError, RunContext, Value
from emulator.router.menu import Singleton
from emulator.router.proptypes import BOOL, NUM, STR, TIME, Prop, format_date, parse_date, parse_time, text_of
from emulator.router.table import Table
from emulator.values import Time

if TYPE_CHECKING:
    from emulator.router.router import Router

SECOND = 1_000_000_000


class ClockMenu(Singleton):
    def __init__(self, router: Router) -> None:
        props = [
            Prop("time", STR),  # shown typed (Time) via computed(); set accepts HH:MM:SS
            Prop("date", STR),
            Prop("time-zone-autodetect", BOOL, default=False),
            Prop("time-zone-name", STR, default=router.clock.time_zone_name.encode()),
            Prop("gmt-offset", NUM, readonly=True),
            Prop("dst-active", BOOL, readonly=True),
        ]
        super().__init__(("system", "clock"), props)
        self.router = router

    def computed(self) -> dict[str, Value]:
        clock = self.router.clock
        local = clock.local()
        since_midnight = (local.hour * 3600 + local.minute * 60 + local.second) * SECOND
        offset = clock.offset()
        return {
            "time": Time(since_midnight),
            "date": format_date(local.date(), self.router.version),
            "time-zone-name": clock.time_zone_name.encode(),
            # Negative offsets come back as unsigned 32-bit numbers (routeros-scripting.md §8 [FORUM 157724]).
            "gmt-offset": offset if offset >= 0 else offset + 2**32,
            "dst-active": clock.dst_active(),
        }

    def check_set(self, changes: dict[str, Value], ctx: RunContext) -> None:
        clock = self.router.clock
        if "time-zone-name" in changes:
            clock.set_zone(text_of(changes.pop("time-zone-name")))
        local = clock.local()
        day = local.date()
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        moved = False
        if "date" in changes:
            parsed = parse_date(text_of(changes.pop("date")), self.router.version)
            if parsed is None:
                raise RouterOSError("invalid value for argument date")
            day, moved = parsed, True
        if "time" in changes:
            ns = parse_time(text_of(changes.pop("time")))
            if ns is None or not 0 <= ns < 86400 * SECOND:
                raise RouterOSError("invalid value for argument time")
            seconds, moved = ns // SECOND, True
        if moved:
            self.router.set_wall_clock(dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds))
        self.router.scheduler.replan_all()


class IdentityMenu(Singleton):
    def __init__(self, name: str) -> None:
        super().__init__(("system", "identity"), [Prop("name", STR, default=name.encode())])


class ResourceMenu(Singleton):
    """Read-only facts; ``version`` is the emulated version with the channel, as RouterOS prints it ([DOC] S4)."""

    def __init__(self, router: Router) -> None:
        names = [
            ("uptime", TIME), ("version", STR), ("build-time", STR), ("factory-software", STR), ("free-memory", NUM),
            ("total-memory", NUM), ("cpu", STR), ("cpu-count", NUM), ("cpu-frequency", NUM), ("cpu-load", NUM),
            ("free-hdd-space", NUM), ("total-hdd-space", NUM), ("architecture-name", STR), ("board-name", STR),
            ("platform", STR),
        ]  # fmt: skip
        super().__init__(("system", "resource"), [Prop(n, t, readonly=True) for n, t in names], settable=False)
        self.router = router
        version = str(router.version).encode()
        self.record.update(
            {
                "version": version + b" (stable)",
                "build-time": b"2026-01-01 00:00:00" if router.version.iso_dates else b"jan/01/2026 00:00:00",
                "factory-software": version,
                "free-memory": 200 * 2**20,
                "total-memory": 256 * 2**20,
                "cpu": b"QEMU",
                "cpu-count": 1,
                "cpu-frequency": 2000,
                "cpu-load": 1,
                "free-hdd-space": 80 * 2**20,
                "total-hdd-space": 128 * 2**20,
                "architecture-name": b"x86_64",  # a CHR on both major versions [INF]
                "board-name": b"CHR",
                "platform": b"MikroTik",
            }
        )

    def computed(self) -> dict[str, Value]:
        return {"uptime": Time(self.router.clock.now - self.router.boot_ns)}


class PackageMenu(Table):
    """Installed packages. v6 shows its split packages ([INF] list), v7 ``routeros`` plus the ``user-manager`` extra
    package ([DOC] S1). Read-only: installing packages is not emulated."""

    def __init__(self, router: Router, *, user_manager: bool) -> None:
        props = [Prop("name", STR, readonly=True, unique=True), Prop("version", STR, readonly=True),
                 Prop("build-time", STR, readonly=True), Prop("scheduled", STR, readonly=True),
                 Prop("disabled", BOOL, readonly=True)]  # fmt: skip
        super().__init__(("system", "package"), props, addable=False, removable=False, settable=False)
        version = str(router.version).encode()
        names = ["routeros"]
        if router.version.split_packages:
            names = ["routeros-x86", "system", "ppp", "dhcp", "hotspot", "security", "advanced-tools"]
        if user_manager:
            names.append("user-manager")
        build = b"2026-01-01 00:00:00" if router.version.iso_dates else b"jan/01/2026 00:00:00"
        for name in names:
            self.items[self.next_id] = {
                "name": name.encode(), "version": version, "build-time": build, "scheduled": b"", "disabled": False,
            }  # fmt: skip
            self.next_id += 1
