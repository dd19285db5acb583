"""install.rsc on the emulated router: creates everything once; a second import changes nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from billing.harness import ROOT
from emulator.contract import MenuCall, RunContext
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.version import RouterOSVersion
from generator.cli_sim import target
from generator.config import load
from generator.render import SCRIPTS, render

CONFIGS = {
    "6.49": ROOT / "tests/data/v6.yaml",
    "7.9": ROOT / "tests/data/v7_9.yaml",
    "7.16": ROOT / "config/billing.yaml",
}


def fresh(version: str):
    config = load(CONFIGS[version])
    rendered = render(config, target(config.routers[0], version), "x")
    router = Router(RouterOSVersion.parse(version), runner_factory=Interpreter, start=dt.datetime(2026, 11, 10, 12, 0))
    writes: Counter[str] = Counter()
    original = router.call

    def counting(call: MenuCall, ctx: RunContext):
        if call.command in ("add", "set", "remove"):
            writes[f"/{' '.join(call.menu)} {call.command}"] += 1
        return original(call, ctx)

    router.call = counting  # type: ignore[method-assign]
    return router, rendered, writes


def snapshot(router: Router) -> list:
    return [router.rows("/system script"), router.rows("/system scheduler"), router.rows("/tool e-mail")]


@pytest.mark.parametrize("version", sorted(CONFIGS))
def test_importing_twice_changes_nothing_the_second_time(version):
    router, rendered, writes = fresh(version)
    assert router.import_file(rendered.files["install.rsc"], name="install.rsc").ok
    scripts = {r["name"].decode(): r for r in router.rows("/system script")}
    for file, name, _ in SCRIPTS:
        assert scripts[name]["source"] == rendered.files[file]
        assert scripts[name]["comment"].startswith(b"managed by rosbill")
    nightly, boot = router.rows("/system scheduler")
    assert nightly["name"] == b"Oversight" and nightly["on-event"] == b"/system script run Oversight"
    assert boot["name"] == b"OversightAtBoot" and boot["start-time"] == b"startup"
    assert boot["on-event"] == b":delay 60s; /system script run Oversight"
    assert writes["/system script add"] == len(SCRIPTS) and writes["/system scheduler add"] == 2
    assert writes["/tool e-mail set"] == 1
    before = snapshot(router)
    writes.clear()
    assert router.import_file(rendered.files["install.rsc"], name="install.rsc").ok
    assert writes == Counter()
    assert snapshot(router) == before


def test_an_older_install_is_updated_in_place(tmp_path):
    router, rendered, writes = fresh("7.16")
    old = (
        rendered.files["install.rsc"].replace(b"23:50:00", b"22:00:00").replace(b"rosbill: Oversight", b"rosbill: OLD")
    )
    assert router.import_file(old, name="install.rsc").ok
    ids = {r["name"]: r[".id"] for r in router.rows("/system script")}
    writes.clear()
    assert router.import_file(rendered.files["install.rsc"], name="install.rsc").ok
    assert writes == Counter({"/system script set": 1, "/system scheduler set": 1})
    assert {r["name"]: r[".id"] for r in router.rows("/system script")} == ids
    assert router.rows("/system scheduler")[0]["start-time"] != b"22:00:00"


def test_the_scheduler_runs_oversight_every_night_with_the_minimal_policy():
    router, rendered, _ = fresh("7.16")
    assert router.import_file(rendered.files["install.rsc"], name="install.rsc").ok
    router.advance_to(dt.datetime(2026, 11, 13, 0, 0))
    runs = [e for e in router.logs.entries if b"UsageWarnings:" in e.message and b"warnings sent" in e.message]
    assert len(runs) == 3  # the 10th, 11th and 12th at 23:50
    entry, boot = router.rows("/system scheduler")
    assert entry["run-count"] == 3 and boot["run-count"] == 0
    scripts = [r for r in router.rows("/system script") if r["comment"].startswith(b"managed by rosbill")]
    assert len(scripts) == len(SCRIPTS)  # and BillingState, which Billing made: the ledger, never run
    for row in [*scripts, entry, boot]:
        assert row["policy"] == b"read,write,test"
        assert row.get("dont-require-permissions", False) is False
