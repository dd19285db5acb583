"""``rosbill demo`` (``make demo``): the whole system on one machine, no hardware. A CLI entry module: one of the few
product modules that may use the emulator, and only through its public surface (``import emulator``).

It builds ``config/billing.yaml``'s scripts for an emulated router served on loopback over ``api-ssl``, deploys them
exactly as to a real router (the same :func:`generator.deploy.fleet.deploy`, routeros-api over a real socket, the
router's certificate pinned by fingerprint, a throw-away password), deploys again to show the second deploy writes
nothing, lets the emulated clock run through the month end, and returns the mails the router sent.

The config variant that points at the emulated router is written under ``build/demo/`` (never into ``config/``).

Must not: print (it reports through ``progress`` and its result), or touch anything outside ``build/demo/``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import emulator
from emulator import Credentials, Mail, emulated_router, start_server
from generator import build as build_stage
from generator.deploy import desired as desired_stage
from generator.deploy import fleet
from generator.deploy.credentials import Secret
from generator.deploy.transport import Endpoint
from generator.errors import ConfigProblem, LintFailed
from generator.yamlmarks import shown

ROUTER_NAME = "emulated"
API_USER = "rosbill"


@dataclass(frozen=True, slots=True)
class DemoReport:
    version: str
    port: int
    fingerprint: str
    config: Path
    first: fleet.Result
    second: fleet.Result
    started: dt.datetime
    ended: dt.datetime
    mails: tuple[Mail, ...]


def write_variant(config_path: Path, folder: Path, *, port: int, fingerprint: str) -> Path:
    """``folder/billing.yaml``: the config with its routers replaced by the emulated one (first router's version)."""
    data: dict[str, Any] = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    routers = data.pop("routers", None) or [data.pop("router")]
    data.pop("router", None)
    version = str(routers[0]["version"])
    data["routers"] = [{"name": ROUTER_NAME, "host": "127.0.0.1", "port": port, "tls": True, "version": version,
                        "user": API_USER, "fingerprint": fingerprint}]  # fmt: skip
    target = folder / "billing.yaml"
    header = (
        f"# Written by rosbill demo from {shown(str(config_path))}: the same billing, deployed to an emulated router.\n"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=False), encoding="utf-8")
    except OSError as error:
        where = error.filename if error.filename is not None else target
        raise build_stage.OutputProblem(
            f"{where}: cannot write the demo's config there: {error.strerror}; check --out"
        ) from None
    return target


def run(
    config_path: Path,
    users: Path,
    out_dir: Path,
    *,
    until: dt.datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
    warnings: Callable[[list[ConfigProblem]], None] = lambda found: None,
    deployed: Callable[[fleet.Result, fleet.Result], None] = lambda first, second: None,
) -> DemoReport:
    """Runs the demo; ``until`` defaults to ten minutes into the month after the fixture's start. ``warnings``
    receives the config's warnings (once: the variant written for the emulated router has the same ones);
    ``deployed`` the two deploys' results as soon as they are done, before the clock runs."""
    config, _, found = build_stage.load_with_warnings(config_path)
    warnings(found)
    version = emulator.RouterOSVersion.parse(str(config.routers[0].version))
    progress(f"starting an emulated RouterOS {version} router with the users of {users}")
    router = emulated_router(version, users)
    started = router.now()
    end = until or _after_month_end(started)
    password = Secret(secrets.token_urlsafe(18))
    credentials = Credentials(API_USER, password.reveal())
    with start_server(router, version, tls=True, credentials=credentials) as server:
        certificate = server.info.certificate
        assert certificate is not None
        progress(f"api-ssl on 127.0.0.1:{server.port}, certificate SHA-256 {certificate.sha256}")
        folder = out_dir / "demo"
        variant = write_variant(config_path, folder, port=server.port, fingerprint=certificate.sha256)
        demo_config, digest = build_stage.load(variant)
        (built,) = build_stage.build(demo_config, digest, folder)
        if built.failing:
            raise LintFailed(built.failing)
        build_stage.write(built, folder)
        progress(f"built {folder / ROUTER_NAME}/ from {variant}")
        (router_config,) = demo_config.routers
        desired_stage.check_fresh(demo_config, digest, folder, router_config)
        build = desired_stage.load(folder / ROUTER_NAME, demo_config, router_config)
        job = fleet.deploy_job(build, Endpoint.of(router_config), password, folder / "backups")
        first = fleet.deploy(job, progress=lambda _, message: progress(f"deploy: {message}"))
        second = fleet.deploy(job)
    deployed(first, second)
    # The server is stopped: nothing else touches the router while its clock runs (it is not thread-safe).
    if first.exit_code == 0:
        progress(f"running the router's clock from {started:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}")
        router.advance_to(end)
    return DemoReport(str(version), server.port, certificate.sha256, variant, first, second, started, end,
                      tuple(router.mail.outbox))  # fmt: skip


def _after_month_end(moment: dt.datetime) -> dt.datetime:
    first_of_next = (moment.replace(day=28) + dt.timedelta(days=4)).replace(day=1, hour=0, minute=10, second=0)
    return first_of_next
