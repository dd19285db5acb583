"""Builds shared by the deploy tests: the same billing for RouterOS 7.16, 6.49 and 7.9, and a changed one (B)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.labkit import config_data, load_build, router_entry, write_config
from generator.deploy.desired import Build

SMTP_IP = {"server": "192.0.2.25", "port": 587, "tls": "starttls", "user": "billing@example.net"}


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """``a`` = config/billing.yaml for r1 on 7.16; ``b`` = the same with another schedule time, warning subject and
    SMTP port/TLS; ``v6`` and ``v7_9`` = the billing built for those versions (SMTP server as an IP)."""
    root = tmp_path_factory.mktemp("builds")
    out: dict[str, Build] = {}
    smtp = {"server": "smtp.example.net", "port": 465, "tls": "yes", "user": "billing@example.net"}
    changed = {"schedule_time": "23:40", "subject": "{company}: {level}% used", "smtp": smtp}
    variants = {
        "a": config_data(router_entry("r1", "7.16")),
        "b": config_data(router_entry("r1", "7.16"), **changed),
        "v6": config_data(router_entry("r1", "6.49.10"), smtp=SMTP_IP),
        "v7_9": config_data(router_entry("r1", "7.9"), smtp=SMTP_IP),
    }
    for name, data in variants.items():
        path = write_config(root / name, data)
        out[name] = load_build(path, root / name / "build")
    return out


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    return tmp_path / "backups"
