"""Backups of the entries rosbill manages, taken before every deploy that writes, and restored by ``rosbill rollback``
or by a failed deploy.

A backup is two files in ``build/backups/<router>/``: ``<stamp>.json`` (exact bytes, what rollback reads) and
``<stamp>.rsc`` (the same entries as a RouterOS import file, for restoring by hand with ``/import file-name=…``). Both
hold the managed ``/system script`` and ``/system scheduler`` items and the ``/tool e-mail`` values rosbill sets; the
SMTP password is never read into a backup, so a restore leaves the password as it is.

Must not: print, talk to routers, or store a password.
"""

from __future__ import annotations

import datetime as dt
import json
import os
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


@dataclass(frozen=True, slots=True)
class Backup:
    router: str
    taken_at: str  # UTC, ISO 8601
    routeros_version: str  # as the router reported it
    state: State


def snapshot(router: str, routeros_version: str, actual: Actual, email_fields: tuple[str, ...]) -> Backup:
    """The managed entries of ``actual`` (every property rosbill reads) and the listed ``/tool e-mail`` values."""
    entries = []
    for menu in (SCRIPT, SCHEDULER):
        keep = [p for p in PROPLISTS[menu] if p not in (".id", "name")]
        for row in actual.rows(menu):
            if is_managed(row):
                fields = tuple((k, row[k]) for k in keep if k in row)
                entries.append(Entry(menu, row["name"].decode("utf-8", "surrogateescape"), fields))
    email = None
    if actual.email is not None and email_fields:
        email = EmailSettings(tuple((k, actual.email[k]) for k in email_fields if k in actual.email))
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")  # file names sort by it
    return Backup(router, stamp, routeros_version, State(tuple(entries), email))


def write(backup: Backup, folder: Path) -> Path:
    """Writes ``<stamp>.json`` and ``<stamp>.rsc`` into ``folder`` (created); returns the JSON path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = backup.taken_at.replace("+00:00", "Z").replace("-", "").replace(":", "")  # 20261127T053548.123456Z
    base, number = stamp, 1
    while (folder / f"{base}.json").exists():  # two backups within one microsecond
        number += 1
        base = f"{stamp}-{number}"
    json_path = folder / f"{base}.json"
    _atomic(json_path, (json.dumps(_to_json(backup), indent=2) + "\n").encode("ascii"))
    _atomic(folder / f"{base}.rsc", restore_rsc(backup))
    return json_path


def _atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def newest(folder: Path) -> Path | None:
    found = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return found[-1] if found else None


def load(path: Path) -> Backup:
    """Reads a backup; ``path`` may name the ``.json`` or its ``.rsc`` sibling."""
    json_path = path.with_suffix(".json")
    try:
        data = json.loads(json_path.read_text(encoding="ascii"))
    except OSError as error:
        raise BackupProblem(f"{json_path}: {error.strerror}") from None
    except ValueError as error:
        raise BackupProblem(f"{json_path}: not a rosbill backup ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupProblem(f"{json_path}: not a rosbill backup (format {FORMAT})")
    entries = tuple(Entry(e["menu"], e["name"], tuple((k, _bytes(v)) for k, v in e["fields"])) for e in data["entries"])
    email = data.get("email")
    settings = EmailSettings(tuple((k, _bytes(v)) for k, v in email)) if email is not None else None
    return Backup(data["router"], data["taken_at"], data["routeros_version"], State(entries, settings))


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
