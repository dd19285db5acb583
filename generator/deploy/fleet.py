"""Deploy (or roll back) one router, or many at once: connect, preflight, plan, back up, apply.

One router: :func:`deploy` / :func:`rollback` return a :class:`Result` (never raise for a router's failure), so
:func:`deploy_many` can run one thread per router (routeros-api is not thread-safe: one connection per thread, S14
#19) and one failing router does not stop the others. Progress and confirmation are callbacks the CLI supplies.

Must not: print, prompt, read the environment, or exit (the CLI does); keep connections open after returning.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.deploy import backup as backup_stage
from generator.deploy import preflight
from generator.deploy.apply import ApplyFailed, Session, apply
from generator.deploy.credentials import Secret
from generator.deploy.desired import Build
from generator.deploy.plan import Action, Plan, plan
from generator.deploy.state import State, read_actual
from generator.deploy.transport import DEFAULT_DEADLINE, ApiTarget, Deadline, Endpoint, Target
from generator.dialects import RouterOSVersion
from generator.errors import ExitCode, RosbillError

Connect = Callable[[Endpoint, Secret, Deadline], Target]
Progress = Callable[[str, str], None]  # (router, what is happening)
Confirm = Callable[[str, Plan], bool]  # (router, plan) -> go ahead?


class Status(enum.StrEnum):
    UNCHANGED = "unchanged"  # nothing to write
    APPLIED = "applied"  # written and verified
    PENDING = "pending"  # dry run: changes waiting
    DECLINED = "declined"  # the operator said no
    RESTORED = "restored"  # failed, the backup is back (verified)
    FAILED = "failed"  # failed before writing, or the restore could not be verified


@dataclass(frozen=True, slots=True)
class Job:
    """Everything one router's deploy needs. ``check_version`` is the build's version (None for a rollback)."""

    endpoint: Endpoint
    password: Secret = field(repr=False)
    desired: State = field(repr=False)
    backups: Path
    check_version: RouterOSVersion | None
    dry_run: bool = False
    deadline: float = DEFAULT_DEADLINE  # seconds this router may take in all (a restore gets as long again)
    adopt: bool = False  # take over unmanaged entries that have the wanted names (backed up first)
    label: str = "build"  # what is written, for diffs: "build" or "backup/<id>"
    restores: str | None = None  # a rollback's: the id of the backup it restores
    config_sha256: str = ""  # a deploy's: the config hash of its build

    @property
    def name(self) -> str:
        return self.endpoint.name


@dataclass(frozen=True, slots=True)
class Result:
    router: str
    status: Status
    message: str
    plan: Plan | None = None
    backup: Path | None = None
    version: str = ""
    notes: tuple[str, ...] = ()
    round_trips: int = 0
    writes: int = 0
    seconds: float = 0.0
    exit_code: ExitCode = ExitCode.OK


def deploy_job(
    build: Build,
    endpoint: Endpoint,
    password: Secret,
    backups: Path,
    *,
    dry_run: bool = False,
    deadline: float = DEFAULT_DEADLINE,
    adopt: bool = False,
) -> Job:
    return Job(endpoint, password, build.state, backups / build.router, build.version, dry_run, deadline, adopt,
               config_sha256=build.config_sha256)  # fmt: skip


def rollback_job(
    saved: backup_stage.Backup,
    endpoint: Endpoint,
    password: Secret,
    backups: Path,
    *,
    dry_run: bool = False,
    deadline: float = DEFAULT_DEADLINE,
    backup_id: str | None = None,
) -> Job:
    """A rollback to ``saved`` (its id, from ``backup.history``, names it in diffs and in the rollback's own backup)."""
    label = f"backup/{backup_id}" if backup_id else "backup"
    return Job(endpoint, password, saved.state, backups / endpoint.name, None, dry_run, deadline,
               label=label, restores=backup_id)  # fmt: skip


def deploy(
    job: Job,
    *,
    connect: Connect = ApiTarget.connect,
    progress: Progress | None = None,
    confirm: Confirm | None = None,
) -> Result:
    """Runs one router's deploy (or rollback) to the end; failures come back as a Result, not an exception.

    The whole run keeps to ``job.deadline`` seconds (every socket wait of its connections is bounded by what is left;
    the time ``confirm`` takes does not count). A restore after a failure gets a fresh allowance of the same length.
    """
    started = time.monotonic()
    deadline = Deadline(job.deadline)
    made: list[Target] = []
    said = progress or (lambda router, message: None)

    def step(message: str) -> None:
        said(job.name, message)

    def open_target() -> Target:
        target = connect(job.endpoint, job.password, deadline)
        made.append(target)
        return target

    def finish(status: Status, message: str, code: ExitCode, **extra: object) -> Result:
        trips = sum(t.round_trips for t in made)
        writes = sum(t.writes for t in made)
        return Result(job.name, status, message, round_trips=trips, writes=writes,
                      seconds=time.monotonic() - started, exit_code=code, **extra)  # type: ignore[arg-type]  # fmt: skip

    try:
        step("connecting")
        target = open_target()
        try:
            return _run(job, target, open_target, step, confirm, finish, deadline)
        finally:
            for one in made:
                one.close()
    except ApplyFailed as failure:
        status = Status.RESTORED if failure.restored else Status.FAILED
        return finish(status, str(failure), ExitCode.DEPLOY)
    except RosbillError as failure:
        return finish(Status.FAILED, str(failure), failure.exit_code)
    except Exception as bug:  # a bug must not stop the other routers of --all; its text is not shown (may hold values)
        message = f"internal error ({type(bug).__name__}) before anything was written"
        return finish(Status.FAILED, message, ExitCode.DEPLOY)


def _run(
    job: Job,
    target: Target,
    open_target: Callable[[], Target],
    step: Callable[[str], None],
    confirm: Confirm | None,
    finish: Callable[..., Result],
    deadline: Deadline,
) -> Result:
    if job.check_version is not None:
        facts = preflight.check(target, job.check_version, job.endpoint.user)
        running, version_text, notes = facts.version, facts.version_text, list(facts.notes)
    else:  # rollback: the backup came from this router; only learn its version
        rows = target.print("/system/resource", ("version",))
        version_text = rows[0].get("version", b"").decode("utf-8", "replace") if rows else ""
        running, notes = preflight.parse_version(version_text), []
    step(f"RouterOS {version_text}: ready")
    actual = read_actual(target, email=job.desired.email is not None)
    result = plan(job.desired, actual, adopt=job.adopt, label=job.label)
    notes.extend(result.notes)
    common = {"plan": result, "version": version_text}
    if result.conflicts:
        message = f"{len(result.conflicts)} conflict(s) with entries rosbill does not manage; nothing was written"
        return finish(Status.FAILED, message, ExitCode.DEPLOY, notes=tuple(notes), **common)
    if not result.has_changes:
        return finish(Status.UNCHANGED, "up to date; nothing written", ExitCode.OK, notes=tuple(notes), **common)
    if job.dry_run:
        message = f"{len(result.pending)} change(s) pending (dry run)"
        return finish(Status.PENDING, message, ExitCode.CHANGES_PENDING, notes=tuple(notes), **common)
    if confirm is not None:
        with deadline.paused():  # the operator's reading and answering (and waiting for their turn) does not count
            go_ahead = confirm(job.name, result)
        if not go_ahead:
            return finish(Status.DECLINED, "not applied", ExitCode.CHANGES_PENDING, notes=tuple(notes), **common)
    fields = tuple(k for k, _ in job.desired.email.fields) if job.desired.email is not None else ()
    adopted = frozenset((c.menu, c.name) for c in result.pending if c.action is Action.ADOPT)
    kind = backup_stage.DEPLOY if job.check_version is not None else backup_stage.ROLLBACK
    saved = backup_stage.snapshot(job.name, version_text, actual, fields, adopted=adopted, kind=kind,
                                  restores=job.restores, config_sha256=job.config_sha256)  # fmt: skip
    path = backup_stage.write(saved, job.backups)
    step(f"backup {path}")
    try:
        notes.extend(apply(Session(target, open_target, deadline), job.desired, result, saved.state, running, step))
    except ApplyFailed as failure:
        outcome = "restored" if failure.restored else "failed"
        try:
            backup_stage.mark_outcome(path, outcome)
        except backup_stage.BackupProblem as problem:
            notes.append(str(problem))
        raise ApplyFailed(f"{failure} (backup: {path})", restored=failure.restored) from None
    message = f"{len(result.pending)} change(s) written and verified"
    return finish(Status.APPLIED, message, ExitCode.OK, notes=tuple(notes), backup=path, **common)


def deploy_many(
    jobs: Sequence[Job],
    *,
    connect: Connect = ApiTarget.connect,
    progress: Progress | None = None,
    confirm: Confirm | None = None,
    workers: int | None = None,
) -> list[Result]:
    """Every job on its own thread and connection; results in the order of ``jobs``."""
    if not jobs:
        return []
    with ThreadPoolExecutor(max_workers=workers or len(jobs), thread_name_prefix="deploy") as pool:
        futures = [pool.submit(deploy, job, connect=connect, progress=progress, confirm=confirm) for job in jobs]
        return [future.result() for future in futures]


def overall(results: Sequence[Result]) -> ExitCode:
    """The exit code of a run: the worst router's (failure 5 > usage 2 > pending 1 > ok 0)."""
    codes = {r.exit_code for r in results}
    for code in (ExitCode.DEPLOY, ExitCode.LINT, ExitCode.USAGE, ExitCode.CHANGES_PENDING):
        if code in codes:
            return code
    return ExitCode.OK
