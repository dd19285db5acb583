"""Helpers for the deploy tests: configs and builds in a temporary folder, emulated routers served on loopback, a
recorder of what reaches the router, and the router's managed state read directly (not through the API)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from emulator.api import Credentials, Faults, RunningServer, start_server
from emulator.contract import MenuCall, RunContext, Value
from emulator.lab import emulated_router
from emulator.router import Router
from emulator.version import RouterOSVersion
from generator import build as build_stage
from generator.config import Config
from generator.deploy import desired as desired_stage
from generator.deploy import fleet
from generator.deploy.credentials import Secret
from generator.deploy.desired import Build
from generator.deploy.state import EMAIL, SCHEDULER, SCRIPT, State
from generator.deploy.transport import Endpoint
from generator.render import MANAGED_COMMENT

ROOT = Path(__file__).resolve().parents[2]
#: Distinctive, so a test can search every output and file for it.
PASSWORD = "Pw-9f3Kq-zebra-TOPSECRET"
SMTP_PASSWORD = "Smtp-77-walrus-HUSH"
USER = "rosbill"
BASE = yaml.safe_load((ROOT / "config" / "billing.yaml").read_text(encoding="utf-8"))


def config_data(*routers: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """config/billing.yaml with other routers; ``schedule_time``, ``subject``, ``smtp`` change the billing."""
    data = copy.deepcopy(BASE)
    data["routers"] = list(routers)
    if len(routers) > 1:  # every router counts its own invoice numbers
        data["billing"]["invoice"]["format"] = "{router}-{number}"
    if "schedule_time" in changes:
        data["schedule"]["time"] = changes["schedule_time"]
    if "subject" in changes:
        data["mail"]["user_warning"]["subject"] = changes["subject"]
    if "smtp" in changes:
        if changes["smtp"] is None:
            data.pop("smtp", None)
        else:
            data["smtp"] = changes["smtp"]
    return data


def router_entry(name: str, version: str, port: int = 8728, *, tls: bool = False, **extra: Any) -> dict[str, Any]:
    return {"name": name, "host": "127.0.0.1", "port": port, "tls": tls, "version": version, "user": USER, **extra}


def write_config(folder: Path, data: dict[str, Any], name: str = "billing.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def build(config_path: Path, out: Path) -> tuple[Config, str]:
    """What ``rosbill build`` does (render, lint, write), asserting lint is clean."""
    config, digest = build_stage.load(config_path)
    for built in build_stage.build(config, digest, out):
        assert not built.failing, built.failing
        build_stage.write(built, out)
    return config, digest


def load_build(config_path: Path, out: Path, router: str = "r1", smtp: Secret | None = None) -> Build:
    config, digest = build(config_path, out)
    (router_config,) = [r for r in config.routers if r.name == router]
    desired_stage.check_fresh(config, digest, out, router_config)
    return desired_stage.load(out / router, config, router_config, smtp_password=smtp)


class Recorder:
    """A RouterPort that passes every call to the router and records it (what the API server made of each command)."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.tree = router.tree
        self.calls: list[MenuCall] = []

    def call(self, call: MenuCall, ctx: RunContext) -> Value:
        self.calls.append(call)
        return self.router.call(call, ctx)

    def writes(self) -> list[str]:
        return ["/".join(c.menu) + " " + c.command for c in self.calls if c.command not in ("print", "get")]


@dataclass
class Lab:
    router: Router
    recorder: Recorder
    server: RunningServer
    version: RouterOSVersion

    def endpoint(self, name: str = "r1", *, user: str = USER, fingerprint: str | None = None,
                 ca_file: str | None = None, timeout: float = 5.0) -> Endpoint:  # fmt: skip
        tls = self.server.info.tls
        return Endpoint(name, "127.0.0.1", self.server.port, tls, user, ca_file, fingerprint, timeout)


@contextmanager
def lab(
    version: str = "7.16",
    *,
    router: Router | None = None,
    tls: bool = False,
    faults: Faults | None = None,
    user_manager: bool = True,
) -> Iterator[Lab]:
    parsed = RouterOSVersion.parse(version)
    emulated = router or emulated_router(parsed, user_manager=user_manager)
    recorder = Recorder(emulated)
    with start_server(recorder, parsed, tls=tls, credentials=Credentials(USER, PASSWORD), faults=faults) as server:
        yield Lab(emulated, recorder, server, parsed)


def job(build: Build, endpoint: Endpoint, backups: Path, *, dry_run: bool = False) -> fleet.Job:
    return fleet.deploy_job(build, endpoint, Secret(PASSWORD), backups, dry_run=dry_run)


def install(router: Router, state: State) -> None:
    """Puts a state on the router directly (as an earlier deploy would have), without the API."""
    for entry in state.entries:
        menu = "/system script" if entry.menu == SCRIPT else "/system scheduler"
        router.invoke(menu, "add", {"name": entry.name.encode(), **dict(entry.fields)})
    if state.email is not None:
        router.invoke("/tool e-mail", "set", dict(state.email.fields))


def managed(router: Router) -> dict[str, Any]:
    """The router's managed entries and e-mail settings as plain data, for equality checks."""
    out: dict[str, Any] = {}
    for menu, path in ((SCRIPT, "/system script"), (SCHEDULER, "/system scheduler")):
        for row in router.rows(path):
            if bytes(row.get("comment", b"")).startswith(b"managed by rosbill"):
                keep = {k: v for k, v in row.items() if k not in (".id", "run-count", "next-run", "last-started",
                                                                   "start-date", "owner")}  # fmt: skip
                out[f"{menu} {row['name'].decode()}"] = keep
    (email,) = router.rows("/tool e-mail")
    out[EMAIL] = {k: v for k, v in email.items() if k != "last-status"}
    return out


def unmanaged(router: Router) -> list[dict[str, Any]]:
    rows = []
    for path in ("/system script", "/system scheduler"):
        rows += [r for r in router.rows(path) if not bytes(r.get("comment", b"")).startswith(b"managed by rosbill")]
    return rows


def add_unmanaged_and_stale(router: Router) -> None:
    """An operator's own script (never to be touched) and a managed script a newer build no longer has."""
    router.invoke("/system script", "add", {"name": b"Custom", "source": b":log info custom", "comment": b"mine"})
    router.invoke(
        "/system script", "add", {"name": b"OldHelper", "source": b":log info old", "comment": MANAGED_COMMENT.encode()}
    )


def files_under(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file())
