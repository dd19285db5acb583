"""Deploying to an emulated router over a real socket with the real routeros-api client."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from deploy.labkit import PASSWORD, add_unmanaged_and_stale, install, job, lab, managed, unmanaged
from emulator.api import Faults
from emulator.lab import emulated_router
from emulator.version import RouterOSVersion
from generator.deploy import fleet
from generator.deploy.credentials import Secret
from generator.deploy.desired import Build
from generator.deploy.plan import Action
from generator.deploy.state import SCRIPT, Entry, State
from generator.deploy.transport import ApiTarget, Deadline, Endpoint, Row, Target
from generator.errors import ExitCode
from generator.render import SCRIPTS


def reference(build: Build, version: str = "7.16") -> dict[str, object]:
    """What install.rsc makes of the same build on a fresh router: the API deploy must give the same state."""
    router = emulated_router(RouterOSVersion.parse(version))
    result = router.import_file((build.folder / "install.rsc").read_bytes(), name="install.rsc")
    assert result.ok, result.error
    return managed(router)


def test_first_deploy_creates_every_entry_and_matches_what_install_rsc_makes(builds: dict[str, Build], backups: Path):
    with lab() as one:
        result = fleet.deploy(job(builds["a"], one.endpoint(), backups))
        assert result.status is fleet.Status.APPLIED and result.exit_code == ExitCode.OK, result.message
        actions = [c.action for c in result.plan.pending]
        assert (
            actions.count(Action.CREATE) == len(SCRIPTS) + 2 and actions.count(Action.UPDATE) == 1
        )  # the scripts, 2 schedulers; e-mail
        assert managed(one.router) == reference(builds["a"])


def test_a_second_deploy_of_the_same_build_writes_nothing(builds: dict[str, Build], backups: Path):
    with lab() as one:
        fleet.deploy(job(builds["a"], one.endpoint(), backups))
        before = managed(one.router)
        one.recorder.calls.clear()
        again = fleet.deploy(job(builds["a"], one.endpoint(), backups))
        assert again.status is fleet.Status.UNCHANGED and again.exit_code == ExitCode.OK
        assert again.writes == 0 and one.recorder.writes() == []
        assert again.round_trips <= 10  # login, 5 preflight reads, 3 state reads
        assert managed(one.router) == before
        assert len(list(backups.rglob("*.json"))) == 1  # only the deploy that wrote made a backup


def test_a_router_holding_crlf_sources_counts_as_up_to_date(builds: dict[str, Build], backups: Path):
    router = emulated_router(RouterOSVersion.parse("7.16"))
    crlf = State(
        tuple(
            Entry(e.menu, e.name, tuple((k, v.replace(b"\n", b"\r\n") if k == "source" else v) for k, v in e.fields))
            for e in builds["a"].state.entries
        ),
        builds["a"].state.email,
    )
    install(router, crlf)
    with lab(router=router) as one:
        result = fleet.deploy(job(builds["a"], one.endpoint(), backups))
        assert result.status is fleet.Status.UNCHANGED, result.plan and [c.fields for c in result.plan.pending]


def test_an_update_changes_only_what_differs_and_deletes_managed_leftovers(builds: dict[str, Build], backups: Path):
    router = emulated_router(RouterOSVersion.parse("7.16"))
    install(router, builds["a"].state)
    add_unmanaged_and_stale(router)
    mine = unmanaged(router)
    with lab(router=router) as one:
        result = fleet.deploy(job(builds["b"], one.endpoint(), backups))
        assert result.status is fleet.Status.APPLIED, result.message
        changed = {(c.action, c.name): c.fields for c in result.plan.pending}
        # Every script's header names the build and the config's hash, so a changed config reaches every source.
        assert changed == {
            (Action.UPDATE, "UsageWarnings"): ("source",),
            (Action.UPDATE, "BillingFunctions"): ("source",),
            (Action.UPDATE, "MonthEnd"): ("source",),
            (Action.UPDATE, "Billing"): ("source",),
            (Action.UPDATE, "BillingMail"): ("source",),
            (Action.UPDATE, "Enforce"): ("source",),
            (Action.UPDATE, "BillingNotify"): ("source",),
            (Action.UPDATE, "settings"): ("port", "tls"),
            (Action.UPDATE, "Oversight"): ("start-time",),
            (Action.DELETE, "OldHelper"): (),
        }
        assert managed(one.router) == reference(builds["b"])
        assert unmanaged(one.router) == mine


def test_an_unmanaged_entry_with_a_wanted_name_is_a_conflict_and_nothing_is_written(
    builds: dict[str, Build], backups: Path
):
    router = emulated_router(RouterOSVersion.parse("7.16"))
    router.invoke("/system script", "add", {"name": b"Billing", "source": b":log info hand-made", "comment": b"ops"})
    with lab(router=router) as one:
        result = fleet.deploy(job(builds["a"], one.endpoint(), backups))
        assert result.status is fleet.Status.FAILED and result.exit_code == ExitCode.DEPLOY
        assert [c.name for c in result.plan.conflicts] == ["Billing"]
        assert one.recorder.writes() == []
        (row,) = one.router.rows("/system script")
        assert row["source"] == b":log info hand-made" and row["comment"] == b"ops"


def test_dry_run_reports_pending_changes_and_writes_nothing(builds: dict[str, Build], backups: Path):
    with lab() as one:
        dry = fleet.deploy(job(builds["a"], one.endpoint(), backups, dry_run=True))
        assert dry.status is fleet.Status.PENDING and dry.exit_code == ExitCode.CHANGES_PENDING
        assert one.recorder.writes() == [] and not backups.exists()
        fleet.deploy(job(builds["a"], one.endpoint(), backups))
        dry = fleet.deploy(job(builds["a"], one.endpoint(), backups, dry_run=True))
        assert dry.status is fleet.Status.UNCHANGED and dry.exit_code == ExitCode.OK


def test_a_wrong_password_fails_without_writing_and_without_showing_the_password(
    builds: dict[str, Build], backups: Path
):
    with lab() as one:
        bad = fleet.deploy_job(builds["a"], one.endpoint(), Secret("nope"), backups)
        result = fleet.deploy(bad)
        assert result.status is fleet.Status.FAILED and result.exit_code == ExitCode.DEPLOY
        assert "refused the login" in result.message and "invalid user name or password" in result.message
        assert "nope" not in result.message and PASSWORD not in result.message
        assert one.recorder.calls == []


def test_a_v6_build_is_refused_by_a_v7_router(builds: dict[str, Build], backups: Path):
    with lab("7.16") as one:
        result = fleet.deploy(job(builds["v6"], one.endpoint(), backups))
        assert result.status is fleet.Status.FAILED and result.exit_code == ExitCode.DEPLOY
        assert "this router runs 7.16 (stable); the build is for RouterOS 6.49.10," in result.message
        assert "dialect_name" not in result.message and 'set version: "7.16"' in result.message
        assert one.recorder.writes() == []


def test_a_7_16_build_is_refused_by_a_router_that_reports_7_9(builds: dict[str, Build], backups: Path):
    with lab("7.16", faults=Faults(reported_version="7.9.2")) as one:
        result = fleet.deploy(job(builds["a"], one.endpoint(), backups))
        assert result.exit_code == ExitCode.DEPLOY
        assert "has_import_dry_run" not in result.message  # gates are internal names: the message is in words
        assert "this router runs 7.9.2 (stable); the build is for RouterOS 7.16," in result.message
        assert 'set version: "7.9.2" for this router in the config and rebuild' in result.message
        assert one.recorder.writes() == []


def test_a_patch_release_with_the_same_gates_is_accepted(builds: dict[str, Build], backups: Path):
    with lab("7.16", faults=Faults(reported_version="7.16.2")) as one:
        assert fleet.deploy(job(builds["a"], one.endpoint(), backups)).status is fleet.Status.APPLIED


def test_a_router_without_user_manager_is_refused(builds: dict[str, Build], backups: Path):
    with lab("7.16", faults=Faults(without_user_manager=True)) as one:
        result = fleet.deploy(job(builds["a"], one.endpoint(), backups))
        assert result.exit_code == ExitCode.DEPLOY and "User Manager is not installed" in result.message
    with lab("7.16", user_manager=False) as one:
        assert "User Manager is not installed" in fleet.deploy(job(builds["a"], one.endpoint(), backups)).message


def test_a_v7_router_whose_user_manager_is_disabled_is_refused(builds: dict[str, Build], backups: Path):
    router = emulated_router(RouterOSVersion.parse("7.16"))
    router.invoke("/user-manager", "set", {"enabled": b"no"})
    with lab(router=router) as one:
        result = fleet.deploy(job(builds["a"], one.endpoint(), backups))
        assert "not enabled" in result.message and one.recorder.writes() == []


def test_v6_and_7_9_routers_take_their_own_builds_without_the_syntax_gate(builds: dict[str, Build], backups: Path):
    for name, version in (("v6", "6.49.10"), ("v7_9", "7.9")):
        with lab(version) as one:
            result = fleet.deploy(job(builds[name], one.endpoint(), backups))
            assert result.status is fleet.Status.APPLIED, result.message
            assert not any(call.menu == ("file",) for call in one.recorder.calls)  # no /import dry-run before 7.16
            ours, theirs = managed(one.router), reference(builds[name], version)
            # install.rsc resolves address= on the router, and the emulator's :resolve answers a made-up TEST-NET
            # address even for an IP literal; the API deploy sets the IP itself.
            assert ours["/tool/e-mail"].pop("address") == b"192.0.2.25"
            theirs["/tool/e-mail"].pop("address")
            assert ours == theirs
            assert fleet.deploy(job(builds[name], one.endpoint(), backups)).writes == 0


def test_the_syntax_gate_refuses_a_broken_script_before_anything_is_written(builds: dict[str, Build], backups: Path):
    state = builds["a"].state
    broken = tuple(
        Entry(e.menu, e.name, tuple((k, b":log info (unclosed\n" if k == "source" else v) for k, v in e.fields))
        if e.name == "Billing" and e.menu == SCRIPT else e
        for e in state.entries
    )  # fmt: skip
    with lab() as one:
        bad = fleet.Job(one.endpoint(), Secret(PASSWORD), State(broken, state.email), backups,
                        builds["a"].version)  # fmt: skip
        result = fleet.deploy(bad)
        assert result.status is fleet.Status.FAILED and "/import dry-run refused script Billing" in result.message
        assert "(line 1 column" in result.message  # the script's own line, not the check file's
        writes = one.recorder.writes()
        assert writes and all(w.startswith(("file ", " import")) for w in writes), writes
        assert one.router.rows("/system script") == [] and one.router.rows("/file") == []


def test_an_unreachable_router_fails_cleanly(builds: dict[str, Build], backups: Path):
    with lab() as one:
        port = one.server.port
    endpoint = Endpoint("r1", "127.0.0.1", port, False, "rosbill", timeout=2.0)
    result = fleet.deploy(job(builds["a"], endpoint, backups))
    assert result.status is fleet.Status.FAILED and "cannot connect" in result.message


class KeepsPart(Target):
    """A connection to a router that keeps only the first 4096 bytes of an uploaded file (as /file print shows)."""

    def __init__(self, inner: Target) -> None:
        super().__init__(inner.label)
        self.inner = inner
        self.commands = inner.commands

    def print(
        self, menu: str, proplist: Sequence[str] | None = None, query: Mapping[str, bytes] | None = None
    ) -> list[Row]:
        rows = self.inner.print(menu, proplist, query)
        return [{**r, "size": b"4096"} if menu == "/file" and "size" in r else r for r in rows]

    def command(self, menu: str, command: str, args: Mapping[str, bytes]) -> Row:
        return self.inner.command(menu, command, args)

    def close(self) -> None:
        self.inner.close()


def test_a_router_that_truncates_the_check_file_skips_the_gate_with_a_note(builds: dict[str, Build], backups: Path):
    def connect(endpoint: Endpoint, password: Secret, deadline: Deadline) -> Target:
        return KeepsPart(ApiTarget.connect(endpoint, password, deadline))

    with lab() as one:
        result = fleet.deploy(job(builds["a"], one.endpoint(), backups), connect=connect)
        assert result.status is fleet.Status.APPLIED, result.message
        assert any(n.startswith("syntax gate skipped: the router kept 4096 of") for n in result.notes), result.notes
        assert one.router.rows("/file") == [] and managed(one.router) == reference(builds["a"])
