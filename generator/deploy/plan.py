"""The deploy plan: a pure diff of what rosbill wants (:class:`~generator.deploy.state.State`) against what the router
has (:class:`~generator.deploy.state.Actual`), and its description for people.

Rules:

* entries match by name within their menu; only rows whose comment starts with ``managed by rosbill`` are rosbill's;
* a wanted entry whose name is taken by an unmanaged row is a :class:`Conflict`: reported, never touched, unless the
  plan is made with ``adopt=True``: then it is an ``ADOPT`` change that takes the row over (every field, the managed
  comment included), shown with what the row holds now; the caller backs it up first;
* an entry of a backup that is unmanaged (an adopted row's state before its adoption) and equals the router's row is
  unchanged, so a rollback that gave an adopted row back is verified;
* a managed row whose name the state does not list is deleted (a script or scheduler entry a later build dropped);
* unmanaged rows are never written, whatever their name;
* writes come in an order that keeps the router working: scripts (callees before ``Oversight``, the manifest's order),
  then ``/tool e-mail``, then the scheduler entry, then deletes.

Must not: do I/O, print, or show a password (the e-mail password is only ever named, never shown).
"""

from __future__ import annotations

import difflib
import enum
import hashlib
from dataclasses import dataclass, field

from generator.deploy.credentials import Secret
from generator.deploy.state import (
    EMAIL,
    KEYS_MARK,
    KEYS_NAME,
    SCHEDULER,
    SCRIPT,
    Actual,
    EmailSettings,
    Entry,
    NotifyKeysEntry,
    State,
    is_managed,
    normalise_source,
    same,
    text,
)
from generator.deploy.transport import Row

MENU_NAMES = {SCRIPT: "/system script", SCHEDULER: "/system scheduler", EMAIL: "/tool e-mail"}


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    ADOPT = "adopt"  # an unmanaged row with the wanted name, taken over (only with adopt=True)
    DELETE = "delete"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Change:
    """One write (or, for ``UNCHANGED``, none). ``values`` are what to send: every field for a create, the differing
    ones for an update; ``before`` the router's values of those fields (for display and diffs)."""

    action: Action
    menu: str
    name: str
    item_id: str | None = None
    values: tuple[tuple[str, bytes], ...] = ()
    before: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)
    password: Secret | None = field(default=None, repr=False)

    @property
    def fields(self) -> tuple[str, ...]:
        secret = "source" if self.menu == SCRIPT else "password"  # the notify keys' source, or the SMTP password
        return tuple(k for k, _ in self.values) + ((secret,) if self.password is not None else ())

    def diff(self, label: str = "build") -> list[str]:
        """A unified diff of the script source (line endings normalised); empty when the source does not change.
        ``label`` names what the plan writes (``build``, or ``backup/<id>`` for a rollback)."""
        new = dict(self.values).get("source")
        old = dict(self.before).get("source", b"")
        if new is None and self.action is not Action.DELETE:
            return []
        if self.action is Action.DELETE:
            new = b""
        return list(
            difflib.unified_diff(
                text(normalise_source(old)).splitlines(),
                text(normalise_source(new or b"")).splitlines(),
                fromfile=f"router/{self.name}",
                tofile=f"{label}/{self.name}",
                lineterm="",
            )
        )


@dataclass(frozen=True, slots=True)
class Conflict:
    menu: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    changes: tuple[Change, ...]
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[str, ...] = ()
    #: What the plan writes, for people: ``build`` for a deploy, ``backup/<id>`` for a rollback.
    label: str = "build"

    @property
    def pending(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action is not Action.UNCHANGED)

    @property
    def has_changes(self) -> bool:
        return bool(self.pending)


def plan(desired: State, actual: Actual, *, adopt: bool = False, label: str = "build") -> Plan:
    """The changes that make the router's managed entries equal ``desired``; with ``adopt``, unmanaged rows that have
    a wanted name (one each) are taken over instead of refused."""
    changes: list[Change] = []
    conflicts: list[Conflict] = []
    notes: list[str] = []
    deletes: list[Change] = []
    for menu in (SCRIPT, SCHEDULER):
        rows = actual.rows(menu)
        wanted = [e for e in desired.entries if e.menu == menu]
        by_name: dict[str, list[Row]] = {}
        for row in rows:
            by_name.setdefault(text(row.get("name", b"")), []).append(row)
        for entry in wanted:
            found = by_name.get(entry.name, [])
            change, conflict = _entry_change(entry, found, adopt)
            if conflict is not None:
                conflicts.append(conflict)
            elif change is not None:
                changes.append(change)
                if menu == SCHEDULER and found and found[0].get("disabled", b"") in (b"true", b"yes"):
                    notes.append(f"{MENU_NAMES[menu]} {entry.name} is disabled on the router; left disabled")
        names = {e.name for e in wanted}
        for row in rows:
            name = text(row.get("name", b""))
            if is_managed(row) and name not in names:
                deletes.append(Change(Action.DELETE, menu, name, _id(row), before=_fields(row)))
        if menu == SCRIPT and desired.email is not None:
            email_change, email_notes = _email_change(desired.email, actual.email)
            changes.append(email_change)
            notes.extend(email_notes)
        if menu == SCRIPT and desired.keys is not None:
            keys_change, keys_conflict = _keys_change(desired.keys, by_name.get(KEYS_NAME, []))
            if keys_conflict is not None:
                conflicts.append(keys_conflict)
            elif keys_change is not None:
                changes.append(keys_change)
    notes.extend(desired.notes)
    # Scheduler deletes first: an entry must not fire a script that is already gone.
    deletes.sort(key=lambda c: c.menu != SCHEDULER)
    return Plan(tuple(changes + deletes), tuple(conflicts), tuple(notes), label)


def _entry_change(entry: Entry, found: list[Row], adopt: bool) -> tuple[Change | None, Conflict | None]:
    menu = MENU_NAMES[entry.menu]
    if not found:
        return Change(
            Action.CREATE, entry.menu, entry.name, values=(("name", entry.name.encode()), *entry.fields)
        ), None
    if len(found) > 1:
        return None, Conflict(entry.menu, entry.name, f"{len(found)} items in {menu} have this name; remove the extra")
    row = found[0]
    if not is_managed(row):
        if all(same(k, v, row.get(k)) for k, v in entry.fields):  # a backup's unmanaged entry, given back already
            return Change(Action.UNCHANGED, entry.menu, entry.name, _id(row)), None
        if adopt and is_managed_value(entry.value("comment")):
            before = tuple((k, row[k]) for k, _ in entry.fields if k in row)
            return Change(Action.ADOPT, entry.menu, entry.name, _id(row), entry.fields, before), None
        return None, Conflict(
            entry.menu,
            entry.name,
            f'{menu} {entry.name} exists but its comment does not start with "managed by rosbill": rosbill never '
            "touches it; rerun with --adopt to take it over (its contents are shown and backed up first), or "
            "rename or remove it by hand, then deploy again",
        )
    differing = tuple((k, v) for k, v in entry.fields if not same(k, v, row.get(k)))
    before = tuple((k, row[k]) for k, _ in differing if k in row)
    action = Action.UPDATE if differing else Action.UNCHANGED
    return Change(action, entry.menu, entry.name, _id(row), differing, before), None


def _email_change(wanted: EmailSettings, row: Row | None) -> tuple[Change, list[str]]:
    have = row or {}
    differing = []
    for key, value in wanted.fields:
        current = have.get(key)
        if not (same(key, value, current) or (current is not None and current in wanted.accepted(key))):
            differing.append((key, value))
    before = tuple((k, have[k]) for k, _ in differing if k in have)
    notes = []
    password = None
    if wanted.password is not None:
        if "password" not in have:
            # Without the sensitive policy the router leaves the password out of print: it cannot be compared, and
            # setting it on every deploy would make no deploy a no-op.
            notes.append(
                "the SMTP password was not set: the API user cannot read /tool e-mail password to compare it "
                "(give its group the sensitive policy, or set the password once by hand)"
            )
        elif have["password"] != wanted.password.reveal().encode():
            password = wanted.password
    action = Action.UPDATE if differing or password is not None else Action.UNCHANGED
    return Change(action, EMAIL, "settings", None, tuple(differing), before, password), notes


def _keys_change(wanted: NotifyKeysEntry, found: list[Row]) -> tuple[Change | None, Conflict | None]:
    """The notify keys entry: created, or its source replaced when it differs. The source travels as the change's
    ``password`` (a :class:`Secret`), so no plan, diff or summary can show it."""
    if not found:
        values = (("name", KEYS_NAME.encode()), *wanted.fields)
        return Change(Action.CREATE, SCRIPT, KEYS_NAME, values=values, password=wanted.source), None
    if len(found) > 1 or not found[0].get("comment", b"").startswith(KEYS_MARK.encode()):
        return None, Conflict(
            SCRIPT,
            KEYS_NAME,
            f"/system script {KEYS_NAME} exists but is not rosbill's notify keys entry (its comment does not start "
            f'with "{KEYS_MARK}"); rename or remove it by hand, then deploy again',
        )
    row = found[0]
    differing = tuple((k, v) for k, v in wanted.fields if not same(k, v, row.get(k)))
    source = wanted.source if not same("source", wanted.source.reveal().encode(), row.get("source")) else None
    if not differing and source is None:
        return Change(Action.UNCHANGED, SCRIPT, KEYS_NAME, _id(row)), None
    before = tuple((k, row[k]) for k, _ in differing if k in row)
    return Change(Action.UPDATE, SCRIPT, KEYS_NAME, _id(row), differing, before, source), None


def is_managed_value(comment: bytes | None) -> bool:
    return comment is not None and is_managed({"comment": comment})


def _id(row: Row) -> str:
    return row.get(".id", b"").decode("ascii", "replace")


def _fields(row: Row) -> tuple[tuple[str, bytes], ...]:
    return tuple((k, v) for k, v in row.items() if k not in (".id", "name"))


# --- description --------------------------------------------------------------------------------------------------


def describe(router: str, result: Plan, *, diffs: bool = True, create_diffs: bool = False) -> list[str]:
    """The plan as lines of text for the CLI: one line per entry, script diffs, conflicts and notes.

    A created script is summarised (lines, bytes, sha256 of what is written) unless ``create_diffs``: its diff would be
    every line with a ``+``. An adopted entry always shows what it holds now (every field that changes, and its whole
    source), since it is someone else's work being taken over; its diff comes with ``create_diffs``. ``diffs`` is
    about updates and deletes."""
    pending = result.pending
    lines = [f"{router}: {_count(len(pending), 'change')}, {_count(len(result.conflicts), 'conflict')}"]
    for change in result.changes:
        lines.append(f"  {change.action.value:<9} {_subject(change)}{_summary(change)}")
        show = (change.action in (Action.CREATE, Action.ADOPT) and create_diffs) or (
            diffs and change.action in (Action.UPDATE, Action.DELETE)
        )
        if change.action is Action.ADOPT:  # what is being taken over, in full: someone's own work
            lines.extend(f"      was: {k}={text(v)!r}" for k, v in change.before if k != "source")
            source = dict(change.before).get("source")
            if source is not None:
                old = text(normalise_source(source)).splitlines()
                lines.append(f"      was: source ({len(old)} lines):")
                lines.extend(f"      | {line}" for line in old)
        if show:
            lines.extend("      " + line for line in change.diff(result.label))
    for conflict in result.conflicts:
        lines.append(f"  conflict  {conflict.reason}")
    lines.extend(f"  note      {note}" for note in result.notes)
    return lines


def _subject(change: Change) -> str:
    menu = MENU_NAMES[change.menu]
    return menu if change.menu == EMAIL else f"{menu} {change.name}"


def _summary(change: Change) -> str:
    if change.action is Action.UNCHANGED or change.action is Action.DELETE:
        return ""
    parts = []
    before = dict(change.before)
    for key, value in change.values:
        if key == "name":
            continue
        if key == "source" and change.action is Action.CREATE:
            source = normalise_source(value)
            digest = hashlib.sha256(value).hexdigest()[:16]
            parts.append(f"source ({len(source.splitlines())} lines, {len(value)} bytes, sha256 {digest}...)")
        elif key == "source":
            parts.append(f"source ({len(normalise_source(value).splitlines())} lines)")
        elif key == "comment":
            parts.append("comment")
        elif change.action is Action.UPDATE and key in before:
            parts.append(f"{key} {text(before[key])!r} -> {text(value)!r}")
        else:
            parts.append(f"{key}={text(value)!r}")
    if change.password is not None:
        parts.append("source (the tokens, not shown)" if change.menu == SCRIPT else "password (not shown)")
    return ": " + ", ".join(parts) if parts else ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
