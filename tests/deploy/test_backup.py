"""Backups before every writing deploy, and rollback (over the API, and by hand with the .rsc)."""

from __future__ import annotations

import json
from pathlib import Path

from deploy.labkit import PASSWORD, add_unmanaged_and_stale, install, job, lab, managed, unmanaged
from emulator.lab import emulated_router
from emulator.version import RouterOSVersion
from generator.deploy import backup as backup_stage
from generator.deploy import fleet
from generator.deploy.credentials import Secret
from generator.deploy.desired import Build
from generator.deploy.state import SCRIPT, Actual, EmailSettings, Entry, State
from generator.errors import ExitCode


def router_with_a(builds: dict[str, Build]):  # type: ignore[no-untyped-def]
    router = emulated_router(RouterOSVersion.parse("7.16"))
    install(router, builds["a"].state)
    add_unmanaged_and_stale(router)
    return router


def test_a_deploy_that_writes_backs_up_the_managed_entries_first(builds: dict[str, Build], backups: Path):
    router = router_with_a(builds)
    before = managed(router)
    with lab(router=router) as one:
        result = fleet.deploy(job(builds["b"], one.endpoint(), backups))
    assert result.status is fleet.Status.APPLIED and result.backup is not None
    assert result.backup.parent == backups / "r1" and result.backup.with_suffix(".rsc").is_file()
    saved = backup_stage.load(result.backup)
    names = [(e.menu, e.name) for e in saved.state.entries]
    assert ("/system/script", "OldHelper") in names and ("/system/script", "Custom") not in names
    assert saved.routeros_version == "7.16 (stable)"
    # the backup holds exactly what the router had
    restored = emulated_router(RouterOSVersion.parse("7.16"))
    install(restored, saved.state)
    assert managed(restored) == before


def test_rollback_restores_the_previous_entries_and_backs_up_the_current_ones(builds: dict[str, Build], backups: Path):
    router = router_with_a(builds)
    before, mine = managed(router), unmanaged(router)
    with lab(router=router) as one:
        deployed = fleet.deploy(job(builds["b"], one.endpoint(), backups))
        after_b = managed(one.router)
        saved = backup_stage.load(deployed.backup)
        undo = fleet.rollback_job(saved, one.endpoint(), Secret(PASSWORD), backups)
        result = fleet.deploy(undo)
        assert result.status is fleet.Status.APPLIED and result.exit_code == ExitCode.OK, result.message
        assert managed(one.router) == before and unmanaged(one.router) == mine
        # the rollback itself made a backup: rolling that back returns to B
        again = fleet.deploy(fleet.rollback_job(backup_stage.load(result.backup), one.endpoint(), Secret(PASSWORD),
                                                backups))  # fmt: skip
        assert again.status is fleet.Status.APPLIED and managed(one.router) == after_b
        assert fleet.deploy(job(builds["b"], one.endpoint(), backups)).writes == 0


def test_the_rsc_backup_restores_by_import_and_leaves_unmanaged_entries_alone(builds: dict[str, Build], backups: Path):
    router = router_with_a(builds)
    before, mine = managed(router), unmanaged(router)
    with lab(router=router) as one:
        deployed = fleet.deploy(job(builds["b"], one.endpoint(), backups))
    assert managed(router) != before
    result = router.import_file(deployed.backup.with_suffix(".rsc").read_bytes(), name="restore.rsc")
    assert result.ok, result.error
    assert managed(router) == before and unmanaged(router) == mine


def test_backups_keep_every_byte_and_no_password(tmp_path: Path):
    odd = b'# caf\xc3\xa9 \xff\xfe raw bytes\r\n:log info "x"\r\n'
    actual = Actual(
        ({".id": b"*1", "name": b"MonthEnd", "source": odd, "policy": b"read", "comment": b"managed by rosbill"},),
        (),
        {"server": b"192.0.2.1", "port": b"25", "password": b"never-in-a-backup"},
    )
    saved = backup_stage.snapshot("r1", "7.16", actual, ("server", "port"))
    path = backup_stage.write(saved, tmp_path)
    loaded = backup_stage.load(path.with_suffix(".rsc"))
    assert loaded.state == saved.state
    assert loaded.state.entries[0] == Entry(SCRIPT, "MonthEnd", (("source", odd), ("policy", b"read"),
                                                                  ("comment", b"managed by rosbill")))  # fmt: skip
    assert loaded.state.email == EmailSettings((("server", b"192.0.2.1"), ("port", b"25")))
    for file in tmp_path.iterdir():
        assert b"never-in-a-backup" not in file.read_bytes()
    assert json.loads(path.read_text())["format"] == 1
    second = backup_stage.write(saved, tmp_path)  # same second: a new name, never an overwrite
    assert second != path and backup_stage.newest(tmp_path) in (path, second)


def test_an_empty_backup_removes_what_a_first_deploy_created(builds: dict[str, Build], backups: Path):
    router = emulated_router(RouterOSVersion.parse("7.16"))
    router.invoke("/system script", "add", {"name": b"Custom", "source": b":log info custom"})
    with lab(router=router) as one:
        deployed = fleet.deploy(job(builds["a"], one.endpoint(), backups))
        saved = backup_stage.load(deployed.backup)
        assert [e.name for e in saved.state.entries] == []
        fleet.deploy(fleet.rollback_job(saved, one.endpoint(), Secret(PASSWORD), backups))
        assert [r["name"] for r in one.router.rows("/system script")] == [b"Custom"]
        assert one.router.rows("/system scheduler") == []


def test_state_equality_ignores_the_password() -> None:
    assert EmailSettings((("port", b"1"),), password=Secret("a")) == EmailSettings((("port", b"1"),))
    assert State(()) == State(())
