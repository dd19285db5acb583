"""Faults during a deploy: the connection cut at every step, read-back mismatches. The router must end with the
complete old set or the complete new set, and a rerun must converge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from deploy.labkit import add_unmanaged_and_stale, install, job, lab, managed, unmanaged
from emulator.api import Faults, Misread
from emulator.lab import emulated_router
from emulator.router import Router
from emulator.version import RouterOSVersion
from generator.deploy import fleet
from generator.deploy.credentials import Secret
from generator.deploy.desired import Build
from generator.deploy.state import SCRIPT
from generator.deploy.transport import ApiTarget, Deadline, Endpoint, Row, Target
from generator.errors import ExitCode


def router_with_a(builds: dict[str, Build]) -> Router:
    router = emulated_router(RouterOSVersion.parse("7.16"))
    install(router, builds["a"].state)
    add_unmanaged_and_stale(router)
    return router


def empty_router(builds: dict[str, Build]) -> Router:
    router = emulated_router(RouterOSVersion.parse("7.16"))
    router.invoke("/system script", "add", {"name": b"Custom", "source": b":log info custom", "comment": b"mine"})
    return router


#: Scenario → (the router before the deploy, the build deployed): an update of a working set, and a first deploy.
SCENARIOS = {"update": (router_with_a, "b"), "first": (empty_router, "a")}
States = dict[str, dict[str, object]]


@pytest.fixture(scope="module")
def states(builds: dict[str, Build], tmp_path_factory: pytest.TempPathFactory) -> States:
    """Per scenario: the managed state before and after a clean deploy, and how many commands that deploy sends."""
    out = {}
    for name, (setup, build) in SCENARIOS.items():
        router = setup(builds)
        old = managed(router)
        with lab(router=router) as one:
            result = fleet.deploy(job(builds[build], one.endpoint(), tmp_path_factory.mktemp("bk")))
        assert result.status is fleet.Status.APPLIED
        out[name] = {"old": old, "new": managed(router), "commands": result.round_trips - 1}  # login not counted
    return out


def cut_and_rerun(builds: dict[str, Build], states: States, faults: Faults, backups: Path, scenario: str) -> str:
    setup, build = SCENARIOS[scenario]
    expected = states[scenario]
    router = setup(builds)
    mine = unmanaged(router)
    with lab(router=router, faults=faults) as one:
        first = fleet.deploy(job(builds[build], one.endpoint(), backups))
        assert one.server.fault_state.cut_fired
        state = managed(router)
        assert state in (expected["old"], expected["new"]), f"{faults}: a partial set after {first.message}"
        if first.status is fleet.Status.APPLIED:
            assert state == expected["new"]
        else:
            assert first.exit_code == ExitCode.DEPLOY and state == expected["old"], first.message
        rerun = fleet.deploy(job(builds[build], one.endpoint(), backups))  # a cut fires once per server
        assert rerun.exit_code == ExitCode.OK, rerun.message
        assert managed(router) == expected["new"] and unmanaged(router) == mine
        assert fleet.deploy(job(builds[build], one.endpoint(), backups)).writes == 0
        return first.status.value


@pytest.mark.slow
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("when", ["before", "after"])
def test_a_connection_cut_at_any_step_leaves_the_old_or_the_new_set_and_a_rerun_converges(
    builds: dict[str, Build], states: States, scenario: str, when: str, tmp_path: Path
):
    commands = states[scenario]["commands"]
    assert isinstance(commands, int) and commands > 15
    outcomes = [
        cut_and_rerun(builds, states, Faults(cut_after=step, cut_when=when), tmp_path / str(step), scenario)  # type: ignore[arg-type]
        for step in range(commands)
    ]
    assert "restored" in outcomes and "failed" in outcomes  # cuts before and after writing began


@pytest.mark.parametrize("command", ["/system/script/set", "/tool/e-mail/set", "/system/scheduler/set",
                                     "/system/script/remove", "/import"])  # fmt: skip
def test_a_cut_at_each_kind_of_write_is_restored(
    builds: dict[str, Build], states: States, command: str, tmp_path: Path
):
    faults = Faults(cut_at=command, cut_when="after")
    assert cut_and_rerun(builds, states, faults, tmp_path, "update") in ("restored", "failed")


def test_a_read_back_mismatch_on_a_first_deploy_removes_what_it_created(builds: dict[str, Build], backups: Path):
    faults = Faults(misreads=(Misread("source", b":log info tampered", "/system/script"),))
    with lab(faults=faults) as one:
        result = fleet.deploy(job(builds["a"], one.endpoint(), backups))
        assert result.status is fleet.Status.RESTORED and result.exit_code == ExitCode.DEPLOY
        assert "read-back mismatch" in result.message and "restored and verified" in result.message
        assert one.router.rows("/system script") == [] and one.router.rows("/system scheduler") == []


class LyingOnce(Target):
    """Passes everything to a real connection, but the first script print after a write reports one changed byte."""

    def __init__(self, inner: Target) -> None:
        super().__init__(inner.label)
        self.inner = inner
        self.commands = inner.commands
        self.lied = False

    def print(
        self, menu: str, proplist: Sequence[str] | None = None, query: Mapping[str, bytes] | None = None
    ) -> list[Row]:
        rows = self.inner.print(menu, proplist, query)
        if menu == SCRIPT and self.inner.writes and not LyingOnce.done:
            LyingOnce.done = True
            for row in rows:
                if row.get("name") == b"UsageWarnings":
                    row["source"] = row["source"][:-2] + b"?\n"
        return rows

    def command(self, menu: str, command: str, args: Mapping[str, bytes]) -> Row:
        return self.inner.command(menu, command, args)

    def close(self) -> None:
        self.inner.close()

    done = False


def test_a_read_back_mismatch_restores_the_previous_set_and_exits_5(
    builds: dict[str, Build], states: States, backups: Path
):
    router = router_with_a(builds)
    LyingOnce.done = False

    def connect(endpoint: Endpoint, password: Secret, deadline: Deadline) -> Target:
        return LyingOnce(ApiTarget.connect(endpoint, password, deadline))

    with lab(router=router) as one:
        result = fleet.deploy(job(builds["b"], one.endpoint(), backups), connect=connect)
        assert result.status is fleet.Status.RESTORED and result.exit_code == ExitCode.DEPLOY, result.message
        assert "UsageWarnings: update still needed (source)" in result.message
        assert managed(router) == states["update"]["old"]
        assert fleet.deploy(job(builds["b"], one.endpoint(), backups)).status is fleet.Status.APPLIED
        assert managed(router) == states["update"]["new"]


class FailsOnce(LyingOnce):
    """A connection whose first e-mail write fails with an unexpected Python error (a bug, not a router answer)."""

    def command(self, menu: str, command: str, args: Mapping[str, bytes]) -> Row:
        if menu == "/tool/e-mail" and not FailsOnce.done:
            FailsOnce.done = True
            raise RuntimeError("smtp-secret in a message that must not be shown")
        return self.inner.command(menu, command, args)

    def print(
        self, menu: str, proplist: Sequence[str] | None = None, query: Mapping[str, bytes] | None = None
    ) -> list[Row]:
        return self.inner.print(menu, proplist, query)


def test_an_unexpected_error_while_writing_still_restores_the_backup(
    builds: dict[str, Build], states: States, backups: Path
):
    router = router_with_a(builds)
    FailsOnce.done = False

    def connect(endpoint: Endpoint, password: Secret, deadline: Deadline) -> Target:
        return FailsOnce(ApiTarget.connect(endpoint, password, deadline))

    with lab(router=router) as one:
        result = fleet.deploy(job(builds["b"], one.endpoint(), backups), connect=connect)
        assert result.status is fleet.Status.RESTORED, result.message
        assert "internal error (RuntimeError)" in result.message and "smtp-secret" not in result.message
        assert managed(router) == states["update"]["old"]
