"""Deploy for the operator's day (issue 11): created scripts summarised, the backup history (``rosbill backups``,
``rollback --to/--steps``, a second rollback that goes further back), the rollback diff's label, connection-only
settings that leave the build fresh, and ``--adopt`` of hand-made entries."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from deploy.labkit import (
    PASSWORD,
    config_data,
    job,
    lab,
    load_build,
    managed,
    router_entry,
    unmanaged,
    write_config,
)
from emulator.lab import emulated_router
from emulator.version import RouterOSVersion
from generator import build as build_stage
from generator.deploy import backup as backup_stage
from generator.deploy import desired as desired_stage
from generator.deploy import fleet
from generator.deploy.credentials import Secret
from generator.deploy.desired import Build, BuildProblem
from generator.deploy.plan import Action, describe, plan
from generator.deploy.state import SCHEDULER, SCRIPT, Actual

HAND_MADE = b':log info "AutomatedBilling: billing run"\r\n:global billed true\r\n'


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
    monkeypatch.delenv("ROSBILL_SMTP_PASSWORD", raising=False)
    monkeypatch.delenv("ROSBILL_PASSWORD_R1", raising=False)


# --- created scripts are summarised -----------------------------------------------------------------------------------


def test_a_first_plan_summarises_each_created_script_by_lines_bytes_and_hash(builds: dict[str, Build]):
    result = plan(builds["a"].state, Actual((), ()))
    lines = describe("r1", result)
    billing = next(e for e in builds["a"].state.entries if e.menu == SCRIPT and e.name == "Billing")
    source = billing.value("source")
    assert source is not None
    digest = hashlib.sha256(source).hexdigest()[:16]
    (line,) = [x for x in lines if "/system script Billing:" in x]
    assert line.startswith("  create ")
    assert f"source ({len(source.splitlines())} lines, {len(source)} bytes, sha256 {digest}...)" in line
    assert not [x for x in lines if x.startswith("      +")], "no + lines without --diff"
    assert len(lines) < 20  # was ~760 with every line of every script
    with_diffs = describe("r1", result, create_diffs=True)
    assert "      +++ build/Billing" in with_diffs and len(with_diffs) > 300


# --- backups, rollback --steps/--to, a second rollback ----------------------------------------------------------------


def _rollback(one, backups: Path, **how: object) -> fleet.Result:  # type: ignore[no-untyped-def]
    chosen = backup_stage.choose(backups / "r1", **how)  # type: ignore[arg-type]
    return fleet.deploy(fleet.rollback_job(chosen.backup, one.endpoint(), Secret(PASSWORD), backups,
                                           backup_id=chosen.id))  # fmt: skip


def test_a_second_rollback_goes_one_deploy_further_back_instead_of_undoing_the_first(
    builds: dict[str, Build], backups: Path
):
    with lab() as one:
        empty = managed(one.router)
        assert fleet.deploy(job(builds["a"], one.endpoint(), backups)).status is fleet.Status.APPLIED
        after_a = managed(one.router)
        assert fleet.deploy(job(builds["b"], one.endpoint(), backups)).status is fleet.Status.APPLIED
        after_b = managed(one.router)
        assert after_a != after_b != empty

        first = _rollback(one, backups)
        assert first.status is fleet.Status.APPLIED, first.message
        assert managed(one.router) == after_a
        assert first.backup is not None and backup_stage.load(first.backup).kind == backup_stage.ROLLBACK
        second = _rollback(one, backups)
        assert second.status is fleet.Status.APPLIED, second.message
        assert managed(one.router) == empty  # before the first deploy, not back to B
        listed, why = backup_stage.history(backups / "r1")
        assert why == "" and [i.backup.kind for i in listed] == ["deploy", "deploy", "rollback", "rollback"]
        assert [i.steps for i in listed] == [None, None, None, None]  # nothing left to step back through
        with pytest.raises(backup_stage.BackupProblem, match="only 0 deploy"):
            backup_stage.choose(backups / "r1")
        # a rollback's own backup is restored by its id: this undoes the second rollback (back to A)
        undo = _rollback(one, backups, to=listed[3].id)
        assert undo.status is fleet.Status.APPLIED and managed(one.router) == after_a
        assert [i.steps for i in backup_stage.history(backups / "r1")[0]][:2] == [1, None]


def test_rollback_steps_n_goes_n_deploys_back(builds: dict[str, Build], backups: Path):
    with lab() as one:
        empty = managed(one.router)
        for name in ("a", "b"):
            fleet.deploy(job(builds[name], one.endpoint(), backups))
        listed, _ = backup_stage.history(backups / "r1")
        assert [i.steps for i in listed] == [2, 1]
        assert _rollback(one, backups, steps=2).status is fleet.Status.APPLIED
        assert managed(one.router) == empty
        with pytest.raises(backup_stage.BackupProblem, match="no backup 'nope'"):
            backup_stage.choose(backups / "r1", to="nope")


def test_a_failed_deploy_that_was_restored_does_not_count_as_a_step(builds: dict[str, Build], tmp_path: Path):
    folder = tmp_path / "r1"
    state = builds["a"].state

    def saved(kind: str = "deploy", restores: str | None = None, outcome: str = "") -> str:
        made = backup_stage.Backup("r1", "2026-12-01T10:00:00+00:00", "7.16", state, kind, restores, "ab" * 32,
                                   outcome)  # fmt: skip
        return backup_stage.backup_id(backup_stage.write(made, folder))

    first = saved()
    failed = saved(outcome="restored")
    listed, why = backup_stage.history(folder)
    assert why == "" and [(i.id, i.steps) for i in listed] == [(first, 1), (failed, None)]
    assert "the deploy failed; this backup was put back" in backup_stage.origin(listed[1].backup)
    saved(outcome="failed")
    listed, why = backup_stage.history(folder)
    assert "failed and its restore was not verified" in why
    with pytest.raises(backup_stage.BackupProblem, match=r"cannot count steps back.*--to ID"):
        backup_stage.choose(folder)
    # written and read back with every field; a backup from before these fields reads as a deploy's
    data = json.loads((folder / f"{first}.json").read_text())
    assert data["kind"] == "deploy" and data["restores"] is None and data["outcome"] == ""
    for key in ("kind", "restores", "config_sha256", "outcome"):
        del data[key]
    old = folder / "20200101T000000.000000Z.json"
    old.write_text(json.dumps(data))
    assert backup_stage.load(old).kind == "deploy"
    data["kind"] = "undo"
    old.write_text(json.dumps(data))
    with pytest.raises(backup_stage.BackupProblem, match="damaged or edited"):
        backup_stage.load(old)


# --- connection-only settings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"port": 8729, "tls": True},
        {"host": "192.0.2.1"},
        {"fingerprint": "AB:" * 31 + "CD", "tls": True},
        {"user": "billing-admin"},
        {"ca_file": "/etc/ssl/router.pem", "tls": True},
    ],
    ids=["port+tls", "host", "fingerprint", "user", "ca_file"],
)
def test_settings_that_only_say_how_to_connect_leave_the_build_fresh(tmp_path: Path, change: dict[str, object]):
    path = write_config(tmp_path / "config", config_data(router_entry("r1", "7.16")))
    out = tmp_path / "build"
    load_build(path, out)
    write_config(tmp_path / "config", config_data(router_entry("r1", "7.16", **change)))
    config, digest = build_stage.load(path)
    desired_stage.check_fresh(config, digest, out, config.routers[0])  # no BuildProblem


def test_a_setting_that_changes_the_scripts_still_makes_the_build_stale(tmp_path: Path):
    path = write_config(tmp_path / "config", config_data(router_entry("r1", "7.16")))
    out = tmp_path / "build"
    load_build(path, out)
    write_config(tmp_path / "config", config_data(router_entry("r1", "7.16", port=9999), schedule_time="23:40"))
    config, digest = build_stage.load(path)
    with pytest.raises(BuildProblem, match="not what the config builds now"):
        desired_stage.check_fresh(config, digest, out, config.routers[0])


# --- --adopt ----------------------------------------------------------------------------------------------------------


def _hand_made_router():  # type: ignore[no-untyped-def]
    """A router set up with the original AutomatedBilling scripts by hand: a Billing script, an Oversight entry."""
    router = emulated_router(RouterOSVersion.parse("7.16"))
    router.invoke("/system script", "add", {"name": b"Billing", "source": HAND_MADE, "comment": b"from the forum"})
    router.invoke("/system scheduler", "add", {"name": b"Oversight", "interval": b"1d", "start-time": b"23:00:00",
                                               "on-event": b"/system script run Billing"})  # fmt: skip
    return router


def test_without_adopt_hand_made_entries_are_refused_saying_adopt_exists(builds: dict[str, Build], backups: Path):
    router = _hand_made_router()
    mine = unmanaged(router)
    with lab(router=router) as one:
        result = fleet.deploy(job(builds["a"], one.endpoint(), backups))
    assert result.status is fleet.Status.FAILED and result.plan is not None
    assert {c.name for c in result.plan.conflicts} == {"Billing", "Oversight"}
    assert all("rerun with --adopt" in c.reason for c in result.plan.conflicts)
    assert unmanaged(router) == mine and not backups.exists()


def test_adopt_shows_the_entries_backs_them_up_takes_them_over_and_a_rollback_gives_them_back(
    builds: dict[str, Build], backups: Path
):
    router = _hand_made_router()
    mine = unmanaged(router)
    with lab(router=router) as one:
        adopt = fleet.Job(**{**_fields(job(builds["a"], one.endpoint(), backups, dry_run=True)), "adopt": True})
        shown = fleet.deploy(adopt)
        assert shown.status is fleet.Status.PENDING and shown.plan is not None and not shown.plan.conflicts
        adopted = {(c.menu, c.name) for c in shown.plan.pending if c.action is Action.ADOPT}
        assert adopted == {(SCRIPT, "Billing"), (SCHEDULER, "Oversight")}
        text = "\n".join(describe("r1", shown.plan, diffs=False))  # shown even without diffs
        assert "  adopt     /system script Billing" in text and "was: comment='from the forum'" in text
        assert 'was: source (2 lines):\n      | :log info "AutomatedBilling: billing run"\n' in text, text
        assert "was: on-event='/system script run Billing'" in text and "+" not in text.replace("+00:00", "")
        assert one.recorder.writes() == []

        done = fleet.deploy(fleet.Job(**{**_fields(adopt), "dry_run": False}))
        assert done.status is fleet.Status.APPLIED, done.message
        assert unmanaged(one.router) == []
        assert done.backup is not None
        saved = backup_stage.load(done.backup)
        held = {(e.menu, e.name): e for e in saved.state.entries}
        assert held[(SCRIPT, "Billing")].value("source") == HAND_MADE
        assert held[(SCRIPT, "Billing")].value("comment") == b"from the forum"
        assert held[(SCHEDULER, "Oversight")].value("on-event") == b"/system script run Billing"
        assert fleet.deploy(job(builds["a"], one.endpoint(), backups)).writes == 0  # now rosbill's

        back = _rollback(one, backups)
        assert back.status is fleet.Status.APPLIED, back.message  # verified, although the entries are not managed
        assert _strip(unmanaged(one.router)) == _strip(mine)
        assert [k for k in managed(one.router) if k.startswith("/system")] == []


def test_adopt_still_refuses_a_name_that_two_entries_share(builds: dict[str, Build]):
    twice = tuple({".id": f"*{n}".encode(), "name": b"Billing", "source": HAND_MADE, "comment": b""} for n in (1, 2))
    result = plan(builds["a"].state, Actual(twice, ()), adopt=True)
    assert [c.name for c in result.conflicts] == ["Billing"] and "remove the extra" in result.conflicts[0].reason


def _fields(one: fleet.Job) -> dict[str, object]:
    return {name: getattr(one, name) for name in fleet.Job.__dataclass_fields__}


def _strip(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Rows without what the router keeps on its own (ids, counters, owner, next run); no comment and an empty one
    alike (the restore clears the managed mark with comment="")."""
    keep = ("name", "source", "interval", "start-time", "on-event", "policy")
    return [{**{k: r.get(k) for k in keep}, "comment": r.get("comment") or b""} for r in rows]
