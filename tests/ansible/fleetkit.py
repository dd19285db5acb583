"""Emulated routers on loopback and ansible-playbook runs against them, for the collection's tests and
``make fleet-demo``.

Each router is an emulated router (``emulator.emulated_router``: scripts run by the interpreter, User Manager
enabled) served in-process by ``emulator.start_server`` over api-ssl with a fresh self-signed certificate; the inventory
pins its fingerprint. ansible-playbook runs as a subprocess with this repository on ANSIBLE_COLLECTIONS_PATH and the
test callback ``rosbill_record`` writing every task result as a JSON line.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from emulator import Credentials, Router, RouterOSVersion, RunningServer, emulated_router, start_server
from emulator.api import Faults

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PLAYBOOK = ROOT / "ansible_collections" / "rosbill" / "routeros" / "playbooks" / "converge.yml"
BIN = Path(sys.executable).parent
DEPLOY_ACTION = "rosbill.routeros.deploy"
#: Distinctive, so a test can search every output for it. A test-only value for emulated routers.
PASSWORD = "Ans-4q8Z-heron-NEVERSHOWN"
USER = "rosbill"
_VOLATILE = frozenset({".id", "run-count", "next-run", "last-started", "start-date", "owner"})
_RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


@dataclass
class Emulated:
    name: str
    version: str
    router: Router
    server: RunningServer

    def host_vars(self) -> dict[str, Any]:
        certificate = self.server.info.certificate
        assert certificate is not None
        return {"rosbill_host": "127.0.0.1", "rosbill_port": self.server.port, "rosbill_user": USER,
                "rosbill_fingerprint": certificate.sha256, "rosbill_routeros_version": self.version}  # fmt: skip

    def managed(self) -> dict[str, dict[str, Any]]:
        """Every managed script and scheduler entry, read directly (not through the API): name -> its properties
        (run counters and times left out)."""
        out = {}
        for path in ("/system script", "/system scheduler"):
            for row in self.router.rows(path):
                if bytes(row.get("comment", b"")).startswith(b"managed by rosbill"):
                    out[f"{path} {bytes(row['name']).decode()}"] = {k: v for k, v in row.items() if k not in _VOLATILE}
        return out


@contextlib.contextmanager
def fleet(specs: Sequence[tuple[str, str]], faults: dict[str, Faults] | None = None) -> Iterator[list[Emulated]]:
    """Serves one emulated router per (name, RouterOS version) on loopback (api-ssl); ``faults`` by name."""
    with contextlib.ExitStack() as stack:
        routers = []
        for name, version in specs:
            parsed = RouterOSVersion.parse(version)
            router = emulated_router(parsed)
            credentials = Credentials(USER, PASSWORD)
            served = start_server(router, parsed, tls=True, credentials=credentials, faults=(faults or {}).get(name))
            server = stack.enter_context(served)
            routers.append(Emulated(name, version, router, server))
        yield routers


def write_config(folder: Path, routers: Sequence[Emulated], *, listed: bool = True, **changes: Any) -> Path:
    """config/billing.yaml for the fleet: every router listed by name and version (connection details come from the
    inventory), invoice numbers carrying the router; ``schedule_time`` and ``warning_mail`` change the billing."""
    data = yaml.safe_load((ROOT / "config" / "billing.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    shown = routers if listed else routers[:1]
    data["routers"] = [{"name": r.name, "host": "192.0.2.1", "version": r.version, "user": USER} for r in shown]
    data["billing"]["invoice"]["format"] = "{router}-{number}"
    if "smtp" in data:  # before 7.12 /tool e-mail address= takes an IP: a name would have to resolve here
        data["smtp"]["server"] = "192.0.2.25"
    if "schedule_time" in changes:
        data["schedule"]["time"] = changes["schedule_time"]
    if "warning_mail" in changes:  # (subject, body) of the usage warning mail
        data["mail"]["user_warning"]["subject"], data["mail"]["user_warning"]["body"] = changes["warning_mail"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "billing.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def write_inventory(folder: Path, routers: Sequence[Emulated], extra: dict[str, dict[str, Any]] | None = None) -> Path:
    hosts = {r.name: r.host_vars() | (extra or {}).get(r.name, {}) for r in routers}
    inventory = {
        "all": {
            "children": {"rosbill_routers": {"hosts": hosts}},
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        }
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "inventory.yml"
    path.write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    return path


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    records: list[dict[str, Any]] = field(default_factory=list)

    def recap(self) -> dict[str, dict[str, int]]:
        return {m[0]: {"ok": int(m[1]), "changed": int(m[2]), "unreachable": int(m[3]), "failed": int(m[4])}
                for m in _RECAP.findall(self.stdout)}  # fmt: skip

    def results(self, action: str) -> dict[str, dict[str, Any]]:
        """host -> the record of its last task of ``action`` (e.g. ``rosbill.routeros.deploy``)."""
        return {r["host"]: r for r in self.records if r["action"] == action}

    def changed_hosts(self) -> int:
        return sum(1 for counts in self.recap().values() if counts["changed"])


def ansible_env(folder: Path) -> dict[str, str]:
    """The environment of an ansible command: this repository's collection, the recording callback, Ansible's files
    under ``folder``, and no rosbill password of the caller's."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ROSBILL_PASSWORD")}
    return base | {
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT),
        "ANSIBLE_CALLBACK_PLUGINS": str(HERE / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "rosbill_record",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCAL_TEMP": str(folder / "ansible-tmp"),
        "ANSIBLE_HOME": str(folder / "ansible-home"),
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
    }


def playbook(
    inventory: Path,
    config: Path,
    build_dir: Path,
    *options: str,
    play: Path = PLAYBOOK,
    env: dict[str, str] | None = None,
    forks: int = 5,
    timeout: float = 600,
    stream: bool = False,
    report: bool = False,
) -> Run:
    """Runs ansible-playbook (a subprocess) and collects the recap and every task result; with ``stream`` its output
    goes to this process's stdout and stderr instead (``Run.stdout`` is then empty). Without ``report`` the
    playbook's facts task is skipped (``rosbill_report=false``), which halves the modules run."""
    record = build_dir.parent / f"record-{time.monotonic_ns()}.jsonl"
    environ = ansible_env(build_dir.parent) | {"ROSBILL_PASSWORD": PASSWORD, "ROSBILL_RECORD": str(record)}
    environ |= env or {}
    for name in [k for k, v in (env or {}).items() if k.startswith("ROSBILL_PASSWORD") and v == ""]:
        del environ[name]  # env={"ROSBILL_PASSWORD": ""} means: not in the environment
    command = [str(BIN / "ansible-playbook"), "-i", str(inventory), "-f", str(forks), "-e",
               f"rosbill_config={config}", "-e", f"rosbill_build_dir={build_dir}", "-e",
               f"rosbill_report={str(report).lower()}", *options, str(play)]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(command, env=environ, capture_output=not stream, text=True, timeout=timeout, check=False)
    seconds = time.monotonic() - started
    records = []
    if record.is_file():
        records = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines() if line]
    return Run(done.returncode, done.stdout or "", done.stderr or "", seconds, records)
