"""Emulated routers to probe: users with traffic, a Behaviour, served on loopback over the API; and a full dump of
every table of a router, to compare before and after a probe."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from emulator.api import Credentials, Faults, RunningServer, start_server
from emulator.interp import Interpreter
from emulator.router import Router, Traffic
from emulator.router.behaviour import Behaviour
from emulator.version import RouterOSVersion
from generator.deploy.credentials import Secret
from generator.deploy.transport import Endpoint

START = dt.datetime(2026, 11, 20, 12, 0, 0)
SECOND = 10**9
RATE = Traffic(download=1000 * 3600, upload=100 * 3600, per_ns=3600 * SECOND)
V6, V7, V7_9 = "6.49.10", "7.16.2", "7.9"
USER, PASSWORD = "rosbill", "Probe-pw-7f3k-OTTER"
PASSWORD_SECRET = Secret(PASSWORD)
ROOT = Path(__file__).resolve().parents[2]
BASE = yaml.safe_load((ROOT / "config" / "billing.yaml").read_text(encoding="utf-8"))


def config(folder: Path, port: int, version: str = "7.16", **billing: Any) -> Path:
    """config/billing.yaml with one router r1 on loopback (plain API, the probe's user) and ``billing`` changes."""
    data = copy.deepcopy(BASE)
    data["routers"] = [{"name": "r1", "host": "127.0.0.1", "port": port, "tls": False, "version": version,
                        "user": USER}]  # fmt: skip
    data["billing"].update(billing)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "billing.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def router(version: str, behaviour: Behaviour | None = None, *, traffic: bool = True, removed: bool = False) -> Router:
    """A router with User Manager, users alice and bob (a ``;``/``=`` name, to check nothing parses names), and
    with ``traffic`` a closed session each and an open one for alice. ``removed``: bob's closed session row is
    removed afterwards (what a reset by a billing run does), so totals and session sums can part."""
    made = Router(RouterOSVersion.parse(version), start=START, runner_factory=Interpreter,
                  behaviour=behaviour or Behaviour())  # fmt: skip
    names = ("alice", "bob;x=1")
    if made.version.user_manager_v7:
        made.invoke("/user-manager", "set", {"enabled": "yes"})
        made.invoke("/user-manager profile", "add", {"name": "Gold"})
        for name in names:
            made.invoke("/user-manager user", "add", {"name": name, "password": "user-secret-pw"})
            made.invoke("/user-manager user-profile", "add", {"user": name, "profile": "Gold"})
    else:
        made.invoke("/tool user-manager profile", "add", {"name": "Gold", "starts-at": "now"})
        for name in names:
            made.invoke("/tool user-manager user", "add", {"customer": "admin", "username": name,
                                                            "password": "user-secret-pw"})  # fmt: skip
            made.invoke("/tool user-manager user", "create-and-activate-profile", {"numbers": name, "profile": "Gold"})
    made.invoke("/tool e-mail", "set", {"from": "billing@example.net"})
    if traffic:
        for name in names:
            session = made.nas.connect(name, RATE, interim_ns=300 * SECOND)
            assert session is not None
            made.advance(100)
            made.nas.disconnect(session, "user-request")
            made.advance(3)
        made.nas.connect("alice", RATE, interim_ns=300 * SECOND)
        made.advance(310)
    if removed:
        menu = "/user-manager session" if made.version.user_manager_v7 else "/tool user-manager session"
        rows = made.invoke(menu, "find", {"user": "bob;x=1"})
        made.invoke(menu, "remove", {"numbers": rows})
    return made


def with_ntp(made: Router) -> Router:
    if made.version.user_manager_v7:
        made.invoke("/system ntp client", "set", {"enabled": "yes", "servers": "pool.ntp.org"})
    else:
        made.invoke("/system ntp client", "set", {"enabled": "yes", "primary-ntp": "192.0.2.123"})
    return made


def dump(made: Router) -> dict[str, Any]:
    """Every row of every menu of the router (sensitive values included), every v7 user's ``monitor`` totals, its
    globals and its outbox size. Only the clock readings, which move by themselves, are left out."""
    out: dict[str, Any] = {}
    for path in sorted(made.menus):
        name = "/" + " ".join(path)
        if path in (("system", "clock"), ("system", "resource")):
            continue
        try:
            out[name] = made.rows(name)
        except Exception as error:  # a menu without rows (a command-only one)
            out[name] = f"no rows: {type(error).__name__}"
    if made.version.user_manager_v7:  # the totals User Manager may keep apart from the rows (keeps-totals)
        out["monitor"] = [
            made.invoke("/user-manager user", "monitor", {"numbers": row[".id"]}, flags={"once", "as-value"})
            for row in made.rows("/user-manager user")
        ]
    out["globals"] = dict(made.environment)
    out["outbox"] = len(made.mail.outbox)
    return out


@dataclass
class Served:
    router: Router
    server: RunningServer

    def endpoint(self, timeout: float = 20.0) -> Endpoint:
        return Endpoint("r1", "127.0.0.1", self.server.port, self.server.info.tls, USER, None, None, timeout)


@contextmanager
def served(made: Router, faults: Faults | None = None) -> Iterator[Served]:
    with start_server(made, made.version, credentials=Credentials(USER, PASSWORD), faults=faults) as server:
        yield Served(made, server)
