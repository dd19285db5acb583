"""The emulated RouterOS router (menus, clock, scheduler, e-mail, NAS accounting, User Manager v6/v7).

Public entry points: :class:`Router` (one router of one RouterOS version), :class:`Traffic` (a session's rate for
:meth:`Nas.connect`), :class:`Usage` and :class:`Mail` (what tests read back). This package must not parse scripts:
scripts run through the ScriptRunner injected into :class:`Router`.
"""

from emulator.router.log import LogEntry
from emulator.router.mail import Mail
from emulator.router.nas import NasSession, Traffic
from emulator.router.router import DEFAULT_START, Router
from emulator.router.usermanager import Usage

__all__ = ["DEFAULT_START", "LogEntry", "Mail", "NasSession", "Router", "Traffic", "Usage"]
