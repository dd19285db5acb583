"""Apply a plan to a router safely: syntax gate, write, read back, and restore the backup on any failure.

Order of work (the backup file is already written by the caller):

1. **Syntax gate** (routers with ``/import … dry-run``, 7.16+, and ``/file add``): every script source that will be
   written is uploaded as ``rosbill-check-<name>.rsc`` wrapped in one ``{ … }`` block (a script is one scope; in an
   import file each top-level line is its own, platform.md §6), its stored size compared, checked with
   ``/import file-name=… dry-run``, and the file removed. A syntax error stops the deploy before anything is written.
   A router that will not take the whole file (size, missing ``ftp`` policy) skips the gate with a note; lint and the
   read-back still stand.
2. **Write** the plan's changes in order (``plan.py``: callees, ``Oversight``, e-mail, scheduler, deletes).
3. **Read back** every entry and compare it with the wanted state (``state.same``: sources byte for byte, line
   endings normalised).
4. On a failed write, a lost connection or a mismatch: **restore** the backup (reconnecting if the link is gone),
   read back again, and raise :class:`ApplyFailed` saying whether the restore was verified.

Must not: print, decide what the router should hold (that is the plan), or touch an entry rosbill does not manage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.deploy.plan import Action, Change, Plan, plan
from generator.deploy.state import EMAIL, SCRIPT, State, read_actual
from generator.deploy.transport import Deadline, Refused, Target, TransportError
from generator.dialects import RouterOSVersion, for_version
from generator.errors import DeployError

CHECK_PREFIX = "rosbill-check-"
_LINE = re.compile(r"\(line (\d+) column (\d+)\)")
Progress = Callable[[str], None]


class SyntaxGateFailed(DeployError):
    """The router's ``/import … dry-run`` refused a script; nothing was written."""


class ApplyFailed(DeployError):
    """A write, the connection or the read-back failed after writing began. ``restored`` says whether the router holds
    the backed-up entries again (read back and checked)."""

    def __init__(self, message: str, *, restored: bool) -> None:
        super().__init__(message)
        self.restored = restored


@dataclass(slots=True)
class Session:
    """The connection apply works on; ``reconnect`` opens a fresh one after the link failed."""

    target: Target
    reconnect: Callable[[], Target]
    #: The router's deadline (shared with its connections); a restore renews it: it gets as long again.
    deadline: Deadline | None = None
    broken: bool = False

    def live(self) -> Target:
        if self.broken:
            self.target.close()
            self.target = self.reconnect()
            self.broken = False
        return self.target


def syntax_gate(target: Target, result: Plan, version: RouterOSVersion, progress: Progress) -> list[str]:
    """Checks each script source the plan writes with the router's own parser; returns notes."""
    dialect = for_version(version)
    if not (dialect.has_import_dry_run and dialect.has_file_add):
        return []
    scripts = [c for c in result.pending if c.menu == SCRIPT and "source" in dict(c.values)]
    if not scripts:
        return []
    progress(f"syntax gate: /import dry-run of {len(scripts)} script(s)")
    stale = [r for r in target.print("/file", (".id", "name")) if r.get("name", b"").startswith(CHECK_PREFIX.encode())]
    for row in stale:  # left over by an interrupted deploy
        target.remove("/file", row[".id"].decode())
    for change in scripts:
        note = _check_one(target, change.name, dict(change.values)["source"])
        if note:
            return [note]
    return []


def _check_one(target: Target, name: str, source: bytes) -> str | None:
    """Uploads one wrapped source, dry-runs it and removes it: a note when the gate cannot run, SyntaxGateFailed on a
    syntax error."""
    file_name = f"{CHECK_PREFIX}{name}.rsc"
    contents = b"{\n" + source + b"\n}\n"
    try:
        target.add("/file", {"name": file_name.encode(), "contents": contents})
    except Refused as refused:
        return f"syntax gate skipped: the router did not take {file_name} ({refused.message})"
    # Found by name: before ~7.13 add returns no id (platform.md §6). A router that keeps only part of the contents
    # (size limits are undocumented, §5.2) would report a false syntax error, so the size is checked first.
    rows = target.print("/file", (".id", "size"), {"name": file_name.encode()})
    if not rows:
        return f"syntax gate skipped: {file_name} did not appear in /file"
    file_id = rows[0][".id"].decode()
    try:
        size = rows[0].get("size", b"")
        if size.isdigit() and int(size) != len(contents):
            return f"syntax gate skipped: the router kept {int(size)} of {len(contents)} bytes of {file_name}"
        target.command("/", "import", {"file-name": file_name.encode(), "dry-run": b""})
    except Refused as refused:
        raise SyntaxGateFailed(
            f"/import dry-run refused script {name}: {_unwrapped(refused.message)}; nothing was written"
        ) from None
    finally:
        target.remove("/file", file_id)
    return None


def _unwrapped(message: str) -> str:
    """The router's message with line numbers of the script, not of the ``{``-wrapped check file."""

    def shift(found: re.Match[str]) -> str:
        return f"(line {max(1, int(found.group(1)) - 1)} column {found.group(2)})"

    return _LINE.sub(shift, message)


def write(target: Target, result: Plan, progress: Progress) -> None:
    """Sends the plan's changes in order."""
    pending = result.pending
    progress(f"writing {len(pending)} change(s)")
    for change in pending:
        _write_one(target, change)


def _write_one(target: Target, change: Change) -> None:
    values = dict(change.values)
    if change.menu == EMAIL:
        if change.password is not None:
            values["password"] = change.password.reveal().encode()
        target.set(EMAIL, None, values)
    elif change.password is not None:  # the notify keys entry: its source is the secret (docs/notify.md)
        values["source"] = change.password.reveal().encode()
        if change.action is Action.CREATE:
            target.add(change.menu, values)
        else:
            target.set(change.menu, change.item_id, values)
    elif change.action is Action.CREATE:
        target.add(change.menu, values)
    elif change.action in (Action.UPDATE, Action.ADOPT):
        target.set(change.menu, change.item_id, values)
    elif change.action is Action.DELETE and change.item_id:
        target.remove(change.menu, change.item_id)


def verify(target: Target, desired: State) -> list[str]:
    """Reads everything back; returns what still differs (empty: the router holds ``desired`` exactly)."""
    check = plan(desired, read_actual(target, email=desired.email is not None))
    problems = [
        f"{c.menu} {c.name}: {c.action.value} still needed ({', '.join(c.fields) or 'item'})" for c in check.pending
    ]
    problems += [c.reason for c in check.conflicts]
    return problems


def apply(
    session: Session, desired: State, result: Plan, backup: State, version: RouterOSVersion, progress: Progress
) -> list[str]:
    """Syntax gate, write, verify; on failure restore ``backup`` and raise :class:`ApplyFailed`. Returns notes."""
    notes = syntax_gate(session.target, result, version, progress)
    try:
        write(session.target, result, progress)
        progress("reading back")
        problems = verify(session.target, desired)
        if problems:
            raise _Mismatch("read-back mismatch: " + "; ".join(problems))
    except Exception as failure:  # any failure once writing began, even a bug of ours: put the backup back
        # After anything but a refusal or a mismatch the connection's state is unknown: use a fresh one.
        session.broken = not isinstance(failure, Refused | _Mismatch)
        reason = str(failure) if isinstance(failure, DeployError) else f"internal error ({type(failure).__name__})"
        progress(f"failed ({reason}); restoring the backup")
        restored, how = restore(session, backup, progress)
        raise ApplyFailed(f"{reason}; {how}", restored=restored) from None
    return notes


class _Mismatch(DeployError):
    pass


def restore(session: Session, backup: State, progress: Progress) -> tuple[bool, str]:
    """Puts the backed-up entries back and reads them back. Returns (verified, what happened).

    The restore gets a fresh allowance of the router's deadline: the failure may have been the deadline itself, and a
    router must not be left half-written because the time was used up before the failure."""
    if session.deadline is not None:
        session.deadline.renew()
    try:
        target = session.live()
        undo = plan(backup, read_actual(target, email=backup.email is not None))
        write(target, undo, progress)
        problems = verify(target, backup)
    except (TransportError, Refused) as failure:
        session.broken = session.broken or isinstance(failure, TransportError)
        return False, f"the restore failed too ({failure}); rerun the deploy or `rosbill rollback` with the backup"
    if problems:
        return False, "restored the backup but the read-back differs: " + "; ".join(problems)
    return True, "the previous entries were restored and verified"
