"""What one router should hold, from its build folder: ``build/<router>/manifest.json`` and the script files it names,
plus the ``/tool e-mail`` settings of the config's ``smtp:`` section.

The build must be the one this config produces now: :func:`check_fresh` re-renders and re-lints it in memory (cheap:
render and lint are cached) and refuses a stale, edited or lint-failing build, so what reaches a router is always what
``rosbill build`` showed and checked.

Must not: talk to routers, print, or accept a build that differs from the config.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import build as build_stage
from generator.config import Config, RouterConfig
from generator.deploy.credentials import Secret, notify_keys
from generator.deploy.state import EMAIL, SCHEDULER, SCRIPT, EmailSettings, Entry, NotifyKeysEntry, State
from generator.dialects import RouterOSVersion, for_version
from generator.errors import LintFailed, RosbillError

Resolver = Callable[[str], list[str]]


class BuildProblem(RosbillError):
    """The build folder is missing, stale or edited: nothing was sent to any router (exit 2)."""


@dataclass(frozen=True, slots=True)
class Build:
    router: str
    version: RouterOSVersion
    folder: Path
    state: State  # entries from the manifest, e-mail settings from the config
    config_sha256: str = ""  # the config hash the manifest records


def resolve_ipv4(host: str) -> list[str]:
    """The IPv4 addresses of ``host`` as this machine resolves it (for ``address=`` before 7.12)."""
    try:
        infos = socket.getaddrinfo(host, None, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return []
    return sorted({str(info[4][0]) for info in infos})


def check_fresh(config: Config, config_sha256: str, out_dir: Path, router: RouterConfig) -> None:
    """Refuses unless ``out_dir/<router>/`` holds exactly what the config renders now, lint clean."""
    folder = out_dir / router.name
    if not (folder / "manifest.json").is_file():
        raise BuildProblem(f"{folder}: no build for router {router.name}; run `rosbill build` (make deploy does)")
    # Rendered with the config hash the build records: the scripts' headers name the config file they were built from,
    # so a change that renders nothing different (a router's host, port, TLS, fingerprint, CA file or user, a YAML
    # comment) leaves the build fresh; a change to anything that reaches the router makes a file differ.
    recorded = _recorded_sha256(folder)
    (built,) = build_stage.build(config, recorded or config_sha256, out_dir, [router.name])
    if built.failing:
        raise LintFailed(built.failing)
    on_disk = {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}
    for name, content in built.rendered.files.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != content:
            raise BuildProblem(
                f"{path}: not what the config builds now (changed config, edited file or another rosbill version); "
                "run `rosbill build` and review the result before deploying"
            )
    extra = sorted(on_disk - set(built.rendered.files))
    if extra:
        raise BuildProblem(f"{folder}: unexpected files {', '.join(extra)}; run `rosbill build`")


def _recorded_sha256(folder: Path) -> str | None:
    try:
        value = _manifest(folder).get("config_sha256")
    except BuildProblem:
        return None
    return value if isinstance(value, str) and len(value) == 64 and value.isalnum() else None


def load(
    folder: Path,
    config: Config,
    router: RouterConfig,
    *,
    smtp_password: Secret | None = None,
    resolve: Resolver = resolve_ipv4,
    environ: Mapping[str, str] | None = None,
) -> Build:
    """Reads ``folder/manifest.json`` and the files it lists into a :class:`Build`, with the notify channels' tokens
    from ``environ`` (default: this process's environment; the variables the config's ``token_env:`` names)."""
    manifest = _manifest(folder)
    if manifest.get("router") != router.name:
        raise BuildProblem(f"{folder}/manifest.json: built for router {manifest.get('router')!r}, not {router.name!r}")
    comment = str(manifest["managed_comment"]).encode()
    entries: list[Entry] = []
    for script in manifest["scripts"]:
        path = folder / script["file"]
        try:
            source = path.read_bytes()
        except OSError as error:
            raise BuildProblem(f"{path}: {error.strerror}; run `rosbill build`") from None
        fields = (("source", source), ("policy", str(script["policy"]).encode()),
                  ("dont-require-permissions", b"no"), ("comment", comment))  # fmt: skip
        entries.append(Entry(SCRIPT, str(script["name"]), fields))
    for scheduler in manifest["schedulers"]:
        entries.append(
            Entry(
                SCHEDULER,
                str(scheduler["name"]),
                (
                    ("start-time", str(scheduler["start_time"]).encode()),
                    ("interval", str(scheduler["interval"]).encode()),
                    ("on-event", str(scheduler["on_event"]).encode()),
                    ("policy", str(scheduler["policy"]).encode()),
                    ("comment", comment),
                ),
            )
        )
    email = email_settings(config, router.version, smtp_password, resolve)
    keys, notes = _notify_keys(config, os.environ if environ is None else environ)
    recorded = manifest.get("config_sha256")
    return Build(router.name, router.version, folder, State(tuple(entries), email, keys, notes),
                 recorded if isinstance(recorded, str) else "")  # fmt: skip


def _notify_keys(config: Config, environ: Mapping[str, str]) -> tuple[NotifyKeysEntry | None, tuple[str, ...]]:
    """The keys entry when every channel's token is in the environment; else none (the router keeps its own) and a
    note naming the variables (never their values). A token that cannot be used is refused before connecting."""
    found = notify_keys(config, environ)
    if found.malformed:
        names = ", ".join(f"{variable} (channel {channel})" for channel, variable in found.malformed)
        raise BuildProblem(
            f"{names}: a notify token may hold only letters, digits and _ : . ~ + / = - (up to 512); "
            "nothing was sent to any router"
        )
    if found.missing:
        names = ", ".join(f"{variable} (channel {channel})" for channel, variable in found.missing)
        return None, (f"notify keys not written: {names} not set in the environment; the router keeps its keys",)
    if not found.tokens:
        return None, ()
    return NotifyKeysEntry.of(found.tokens), ()


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise BuildProblem(f"{path}: missing; run `rosbill build` (make deploy does)") from None
    except ValueError as error:
        raise BuildProblem(f"{path}: not valid JSON ({error}); run `rosbill build`") from None
    if not isinstance(data, dict) or not {"scripts", "schedulers", "managed_comment", "router"} <= set(data):
        raise BuildProblem(f"{path}: not a rosbill manifest; run `rosbill build`")
    return data


def email_settings(
    config: Config, version: RouterOSVersion, password: Secret | None, resolve: Resolver = resolve_ipv4
) -> EmailSettings | None:
    """The ``/tool e-mail set`` of ``install.rsc`` as API values (the same properties, in this version's names)."""
    smtp = config.smtp
    if smtp is None:
        return None
    dialect = for_version(version)
    server_param = dialect.email_server_param
    server = smtp.server.encode()
    accept: tuple[tuple[str, tuple[bytes, ...]], ...] = ()
    if dialect.email_server_wants_ip and not _is_ip(smtp.server):
        # address= takes an IP (platform.md §3.1); install.rsc resolves the name on the router at import, the API
        # cannot run :resolve, so the name is resolved here and any of its addresses counts as right.
        addresses = resolve(smtp.server)
        if not addresses:
            raise BuildProblem(
                f"smtp.server: cannot resolve {smtp.server!r} here, and RouterOS {version} wants an IP address in "
                f"/tool e-mail {server_param}=; write the server's IP address in smtp.server"
            )
        server = addresses[0].encode()
        accept = ((server_param, tuple(a.encode() for a in addresses)),)
    fields = ((server_param, server), ("port", str(smtp.port).encode()),
              (dialect.email_tls_param, dialect.email_tls_value(smtp.tls).encode()), ("user", smtp.user.encode()),
              ("from", config.company.sender.encode()))  # fmt: skip
    return EmailSettings(fields, accept, password)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


__all__ = ["EMAIL", "Build", "BuildProblem", "check_fresh", "email_settings", "load", "resolve_ipv4"]
