"""Backups of the entries rosbill manages, taken before every deploy that writes, and restored by ``rosbill rollback``
or by a failed deploy.

A backup is two files in ``build/backups/<router>/``: ``<stamp>.json`` (exact bytes, what rollback reads) and
``<stamp>.rsc`` (the same entries as a RouterOS import file, for restoring by hand with ``/import file-name=…``). Both
hold the managed ``/system script`` and ``/system scheduler`` items (and, before ``deploy --adopt``, the unmanaged items
being adopted, as they were) and the ``/tool e-mail`` values rosbill sets; the SMTP password is never read into a
backup, so a restore leaves the password as it is.

A backup's id is its file name without ``.json``. Each one says what made it (``kind``: ``deploy`` or ``rollback``; a
rollback's backup names the backup it restored in ``restores``; a deploy's names the build's config hash) and, once
known, the outcome of a deploy that failed (``restored``: the router was given its backup back; ``failed``: the restore
could not be verified). :func:`history` turns that into "what was the router like N deploys ago" (docs/deploy.md).

Must not: print, talk to routers, or store a password.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import encode
from generator.deploy.state import EMAIL, PROPLISTS, SCHEDULER, SCRIPT, Actual, EmailSettings, Entry, State, is_managed
from generator.encode import Rsc
from generator.errors import RosbillError
from generator.render import MANAGED_MARK

FORMAT = 1
_CLI_MENUS = {SCRIPT: "/system script", SCHEDULER: "/system scheduler", EMAIL: "/tool e-mail"}


class BackupProblem(RosbillError):
    """A backup file is missing or unreadable (exit 2: nothing was sent)."""


DEPLOY = "deploy"
ROLLBACK = "rollback"
KINDS = (DEPLOY, ROLLBACK)
OUTCOMES = ("", "restored", "failed")


@dataclass(frozen=True, slots=True)
class Backup:
    router: str
    taken_at: str  # UTC, ISO 8601
    routeros_version: str  # as the router reported it
    state: State
    kind: str = DEPLOY  # what wrote it: a deploy or a rollback (backups from before kinds existed: deploy)
    restores: str | None = None  # a rollback's: the id of the backup it put back
    config_sha256: str = ""  # a deploy's: the config hash its build records
    outcome: str = ""  # a deploy that failed after writing began: "restored" (verified) or "failed"


def snapshot(
    router: str,
    routeros_version: str,
    actual: Actual,
    email_fields: tuple[str, ...],
    *,
    adopted: frozenset[tuple[str, str]] = frozenset(),
    kind: str = DEPLOY,
    restores: str | None = None,
    config_sha256: str = "",
) -> Backup:
    """The managed entries of ``actual`` (every property rosbill reads), the unmanaged rows named in ``adopted``
    (``(menu, name)``, about to be taken over) and the listed ``/tool e-mail`` values."""
    entries = []
    for menu in (SCRIPT, SCHEDULER):
        keep = [p for p in PROPLISTS[menu] if p not in (".id", "name")]
        for row in actual.rows(menu):
            name = row.get("name", b"").decode("utf-8", "surrogateescape")
            if is_managed(row) or (menu, name) in adopted:
                # An adopted row without a comment gets an empty one: restoring it must take the mark off again.
                fields = tuple((k, row.get(k, b"")) for k in keep if k in row or k == "comment")
                entries.append(Entry(menu, row["name"].decode("utf-8", "surrogateescape"), fields))
    email = None
    if actual.email is not None and email_fields:
        email = EmailSettings(tuple((k, actual.email[k]) for k in email_fields if k in actual.email))
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")  # file names sort by it
    return Backup(router, stamp, routeros_version, State(tuple(entries), email), kind, restores, config_sha256)


def write(backup: Backup, folder: Path) -> Path:
    """Writes ``<stamp>.json`` and ``<stamp>.rsc`` into ``folder`` (created); returns the JSON path."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupProblem(f"{folder}: cannot make the backup folder: {error.strerror or error}; nothing was "
                            "written to the router") from None  # fmt: skip
    stamp = backup.taken_at.replace("+00:00", "Z").replace("-", "").replace(":", "")  # 20261127T053548.123456Z
    base, number = stamp, 1
    while (folder / f"{base}.json").exists():  # two backups within one microsecond
        number += 1
        base = f"{stamp}-{number}"
    json_path = folder / f"{base}.json"
    try:
        _atomic(json_path, (json.dumps(_to_json(backup), indent=2) + "\n").encode("ascii"))
        _atomic(folder / f"{base}.rsc", restore_rsc(backup))
    except OSError as error:
        where = error.filename if error.filename is not None else json_path
        raise BackupProblem(f"{where}: cannot write the backup: {error.strerror or error}; nothing was written to "
                            "the router") from None  # fmt: skip
    return json_path


def _atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def mark_outcome(path: Path, outcome: str) -> None:
    """Records on a deploy's backup that the deploy failed and how the restore went (``restored`` or ``failed``)."""
    saved = load(path)
    data = _to_json(dataclasses.replace(saved, outcome=outcome))
    try:
        _atomic(path.with_suffix(".json"), (json.dumps(data, indent=2) + "\n").encode("ascii"))
    except OSError as error:
        raise BackupProblem(f"{path}: cannot record the outcome: {error.strerror or error}") from None


def newest(folder: Path) -> Path | None:
    found = _in_order(folder)
    return found[-1] if found else None


def _in_order(folder: Path) -> list[Path]:
    """The backups of ``folder``, oldest first: by time stamp, then by the ``-N`` of two taken within a microsecond
    (plain name order would put ``…Z-2`` before ``…Z``)."""

    def key(path: Path) -> tuple[str, int]:
        stamp, _, number = path.stem.partition("-")
        return stamp, int(number) if number.isdigit() else 1

    return sorted(folder.glob("*.json"), key=key) if folder.is_dir() else []


def backup_id(path: Path) -> str:
    return path.with_suffix("").name


@dataclass(frozen=True, slots=True)
class Listed:
    """One backup of :func:`history`: its id, file and contents, and what restoring it means."""

    id: str
    path: Path
    backup: Backup
    steps: int | None  # restoring it is ``rollback --steps N`` (None: not on the way back from the present state)


def history(folder: Path) -> tuple[list[Listed], str]:
    """Every backup in ``folder``, oldest first, with the number of steps back each one is; and a sentence about the
    present position when steps cannot be counted (empty when they can).

    The router's states form a tree: a deploy's backup holds the state before it, and the deploy made a new state; a
    rollback's backup holds the state before the rollback, which then returned the router to the state the restored
    backup holds; a failed deploy whose restore was verified changed nothing. One step back from the present state is
    the deploy backup that made it; a rollback's own backups are therefore never a step (``--to ID`` restores them)."""
    _check_folder(folder)
    paths = _in_order(folder)
    loaded = [(backup_id(p), p, load(p)) for p in paths]
    held: dict[str, str] = {}  # backup id -> the state it holds
    made_by: dict[str, str] = {}  # state -> the deploy backup taken just before the deploy that made it
    current, why = "origin", ""
    for ident, _, saved in loaded:
        held[ident] = current
        if saved.outcome == "restored":
            pass  # the run failed and its backup was put back: the state did not change
        elif saved.outcome == "failed":
            current, why = f"unknown:{ident}", f"{saved.kind} {ident} failed and its restore was not verified"
        elif saved.kind == ROLLBACK:
            if saved.restores in held:
                current = held[saved.restores]
            else:
                current, why = f"unknown:{ident}", f"rollback {ident} restored a backup that is not in {folder}"
        else:
            current, why = f"after:{ident}", ""
            made_by[current] = ident
    steps: dict[str, int] = {}
    state, count = current, 0
    while state in made_by:
        count += 1
        ident = made_by[state]
        steps[ident] = count
        state = held[ident]
    listed = [Listed(ident, path, saved, steps.get(ident)) for ident, path, saved in loaded]
    return listed, (why if current.startswith("unknown:") else "")


def _check_folder(folder: Path) -> None:
    """A missing backup folder holds no backups; one that is not a folder, or cannot be read, is a problem."""
    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise BackupProblem(f"{folder}: {error.strerror or error}; give a build folder (--out DIR)") from None
    if not stat.S_ISDIR(mode):
        raise BackupProblem(f"{folder}: not a folder; give a build folder (--out DIR)")


def choose(folder: Path, *, steps: int | None = None, to: str | None = None) -> Listed:
    """The backup ``rollback`` restores: ``to`` (an id from ``rosbill backups``), else the one ``steps`` back (1)."""
    listed, why = history(folder)
    if not listed:
        raise BackupProblem(f"{folder}/: no backups here (a deploy that writes makes one)")
    if to is not None:
        for item in listed:
            if item.id == to or item.id == to.removesuffix(".json"):
                return item
        raise BackupProblem(f"{folder}/: no backup {to!r}; `rosbill backups` lists them")
    wanted = steps or 1
    for item in listed:
        if item.steps == wanted:
            return item
    reachable = max((item.steps or 0 for item in listed), default=0)
    if why:
        raise BackupProblem(f"{folder}/: cannot count steps back ({why}); pick a backup with --to ID")
    raise BackupProblem(
        f"{folder}/: only {reachable} deploy(s) to step back through; pick a backup with --to ID (`rosbill backups`)"
    )


def holds(backup: Backup) -> str:
    """What a backup holds, in words: ``6 scripts, 2 scheduler entries, e-mail settings``."""
    scripts = len(backup.state.names(SCRIPT))
    schedulers = len(backup.state.names(SCHEDULER))
    parts = [f"{scripts} script{'' if scripts == 1 else 's'}",
             f"{schedulers} scheduler entr{'y' if schedulers == 1 else 'ies'}"]  # fmt: skip
    if backup.state.email is not None:
        parts.append("e-mail settings")
    if not scripts and not schedulers:
        parts[0:2] = ["no managed entries"]
    return ", ".join(parts)


def origin(backup: Backup) -> str:
    """What made a backup, in words."""
    if backup.kind == ROLLBACK:
        return f"before rollback to {backup.restores}"
    made = f"before deploy of config {backup.config_sha256[:12]}" if backup.config_sha256 else "before deploy"
    if backup.outcome == "restored":
        made += " (the deploy failed; this backup was put back)"
    elif backup.outcome == "failed":
        made += " (the deploy failed; the restore was not verified)"
    return made


def load(path: Path) -> Backup:
    """Reads a backup; ``path`` may name the ``.json`` or its ``.rsc`` sibling."""
    try:
        json_path = path.with_suffix(".json")
    except ValueError:  # no file name at all ("", "/")
        raise BackupProblem(f"{path}: not a backup file; give build/backups/<router>/<time>.json") from None
    try:
        info = json_path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise BackupProblem(f"{json_path}: not a regular file; give a backup from build/backups/<router>/")
        with json_path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise BackupProblem(f"{json_path}: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise BackupProblem(f"{json_path}: over {MAX_BYTES // (1024 * 1024)} MB; not a rosbill backup")
    try:
        data = json.loads(raw.decode("ascii"))
    except (ValueError, RecursionError) as error:
        raise BackupProblem(f"{json_path}: not a rosbill backup ({_first_line(error)})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupProblem(f"{json_path}: not a rosbill backup (format {FORMAT})")
    try:
        return _from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BackupProblem(
            f"{json_path}: not a rosbill backup (a damaged or edited file: {_first_line(error)})"
        ) from None


#: Backups are a few hundred kB at most (eight scripts of ~20 kB, each twice); anything far bigger is not one.
MAX_BYTES = 16 * 1024 * 1024


def _first_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0] if text.strip() else type(error).__name__


def _from_json(data: dict[str, Any]) -> Backup:
    """A backup from its JSON, checked: only the menus and properties rosbill manages, every value a string."""
    entries = []
    for item in data["entries"]:
        menu, name = item["menu"], item["name"]
        if menu not in (SCRIPT, SCHEDULER) or not isinstance(name, str) or not name:
            raise ValueError(f"entry {name!r} of menu {menu!r}")
        known = set(PROPLISTS[menu]) - {".id", "name"}
        fields = tuple((_key(k, known), _bytes(_string(v))) for k, v in item["fields"])
        entries.append(Entry(menu, name, fields))
    email = data.get("email")
    settings = None
    if email is not None:
        settings = EmailSettings(tuple((_key(k, None), _bytes(_string(v))) for k, v in email))
    texts = [_string(data[key]) for key in ("router", "taken_at", "routeros_version")]
    kind = _string(data.get("kind", DEPLOY))
    outcome = _string(data.get("outcome", ""))
    restores = data.get("restores")
    if kind not in KINDS or outcome not in OUTCOMES or (restores is not None and not _string(restores)):
        raise ValueError(f"kind {kind!r}, outcome {outcome!r}, restores {restores!r}")
    digest = _string(data.get("config_sha256", ""))
    return Backup(texts[0], texts[1], texts[2], State(tuple(entries), settings), kind, restores, digest, outcome)


def _key(key: object, known: set[str] | None) -> str:
    if not isinstance(key, str) or not key or (known is not None and key not in known):
        raise ValueError(f"property {key!r}")
    return key


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    return value


# Bytes in JSON: UTF-8 text, with any other byte kept as a lone surrogate (\udcXX), so every value round-trips exactly.
def _text(value: bytes) -> str:
    return value.decode("utf-8", "surrogateescape")


def _bytes(value: str) -> bytes:
    return value.encode("utf-8", "surrogateescape")


def _to_json(backup: Backup) -> dict[str, Any]:
    email = backup.state.email
    return {
        "format": FORMAT,
        "router": backup.router,
        "taken_at": backup.taken_at,
        "routeros_version": backup.routeros_version,
        "kind": backup.kind,
        "restores": backup.restores,
        "config_sha256": backup.config_sha256,
        "outcome": backup.outcome,
        "entries": [
            {"menu": e.menu, "name": e.name, "fields": [[k, _text(v)] for k, v in e.fields]}
            for e in backup.state.entries
        ],
        "email": [[k, _text(v)] for k, v in email.fields] if email is not None else None,
    }


# --- the .rsc form --------------------------------------------------------------------------------------------------


def restore_rsc(backup: Backup) -> bytes:
    """A RouterOS import file that puts the backed-up entries back: managed entries it does not list are removed,
    listed ones are set (or added), entries rosbill does not manage are left alone. Every value goes through the one
    literal encoder (``generator.encode``)."""
    mark = encode.string(MANAGED_MARK)
    width = encode.number(len(MANAGED_MARK))
    about = encode.comment_text(f"router {backup.router} (RouterOS {backup.routeros_version}), taken {backup.taken_at}")
    out: list[str] = [
        f"# rosbill backup of {about}.",
        "# Restores the entries rosbill managed then: /import file-name=<this file>. Entries whose comment does not",
        '# start with "managed by rosbill" are never touched. The SMTP password is not in backups.',
        "{",
    ]
    for menu in (SCRIPT, SCHEDULER):
        cli = encode.menu(_CLI_MENUS[menu])
        keep = encode.array([e.name for e in backup.state.entries if e.menu == menu])
        out += [
            "{",
            f":local keep {keep}",
            f":foreach i in=[{cli} find] do={{",
            f"  :if ([:pick [:tostr [{cli} get $i comment]] 0 {width}] = {mark}) do={{",
            f'    :if ([:typeof [:find $keep [{cli} get $i name]]] = "nil") do={{ {cli} remove $i }}',
            "  }",
            "}",
            "}",
        ]
    for entry in backup.state.entries:
        out += _restore_entry(entry, mark, width)
    email = backup.state.email
    if email is not None and email.fields:
        out.append(f"{encode.menu(_CLI_MENUS[EMAIL])} set {_assignments(email.fields)}")
    out.append("}")
    return ("\n".join(out) + "\n").encode("ascii")


def _restore_entry(entry: Entry, mark: Rsc, width: Rsc) -> list[str]:
    cli = encode.menu(_CLI_MENUS[entry.menu])
    name = encode.string(entry.name)
    values = _assignments(entry.fields)
    return [
        "{",
        f":local ids [{cli} find where name={name}]",
        ":if ([:len $ids] = 0) do={",
        f"  {cli} add name={name} {values}",
        "} else={",
        f"  :if ([:pick [:tostr [{cli} get ($ids->0) comment]] 0 {width}] = {mark}) do={{",
        f"    {cli} set ($ids->0) {values}",
        "  } else={",
        f'    :log warning ("rosbill backup: " . {name} . " is not managed by rosbill; left as it is")',
        "  }",
        "}",
        "}",
    ]


def _assignments(fields: tuple[tuple[str, bytes], ...]) -> str:
    # Every value as a string literal: RouterOS parses an argument's text by the property's type (times, policies,
    # booleans alike), and a string literal carries any byte exactly.
    return " ".join(f"{encode.word(k)}={encode.string(v, wrap=100)}" for k, v in fields)
