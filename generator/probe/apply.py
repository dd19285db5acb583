"""The probe's one step that talks to the router: connect over rosbill's API transport (TLS, pinning, deadline, as
deploy does), remove what an earlier cut probe left, read, run the probe script, read its answers back, and remove
everything it wrote.

What is written, and only this: one ``/system script`` entry named ``rosbill-probe-<8 hex>`` (policy
``read,write,test``, a 1000-character comment), run once; the global ``rosbillProbe<8 hex>`` it sets; with
``--send-test-mail`` one mail. Both are removed before :func:`probe` returns. When the connection is cut,
:func:`probe` connects once more to remove them; if that fails too, the next probe of the router removes them first
(:func:`remove_leftovers`: only names of exactly that form, so nothing of the operator's is touched).

Must not: print, read the environment, write to User Manager, or keep a connection open after returning.
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from generator.deploy.credentials import Secret
from generator.deploy.preflight import parse_version
from generator.deploy.transport import (
    DEFAULT_DEADLINE,
    ApiTarget,
    Deadline,
    Endpoint,
    Refused,
    Row,
    Target,
    TransportError,
)
from generator.dialects import for_version
from generator.errors import DeployError
from generator.probe import script as probe_script
from generator.probe.observe import Observation, Readings, observe

Connect = Callable[[Endpoint, Secret, Deadline], Target]
Progress = Callable[[str], None]
POLICY = b"read,write,test"
#: How long to look for the script's answers after ``run`` returned without them (the mail watch takes 10 s).
ANSWER_WAIT_S = 15.0
ANSWER_POLL_S = 0.5
T = TypeVar("T")


class ProbeFailed(DeployError):
    """The probe could not finish (connection, login, TLS, deadline). ``leftovers`` says whether its script may still
    be on the router (the next probe removes it)."""

    def __init__(self, message: str, *, leftovers: bool = False) -> None:
        super().__init__(message)
        self.leftovers = leftovers


@dataclass(frozen=True, slots=True)
class Report:
    router: str
    version_text: str
    readings: Readings
    observations: tuple[Observation, ...]
    notes: tuple[str, ...] = ()
    round_trips: int = 0
    writes: int = 0
    removed_leftovers: tuple[str, ...] = field(default=())
    #: The global the probe could not find (its script may still be running): the next probe removes it.
    maybe_left: str | None = None


def probe(
    endpoint: Endpoint,
    password: Secret,
    *,
    mail_to: str | None = None,
    deadline: float = DEFAULT_DEADLINE,
    connect: Connect = ApiTarget.connect,
    progress: Progress | None = None,
    token: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Report:
    """Probes one router; raises :class:`ProbeFailed` (or the transport's errors, all :class:`DeployError`) when it
    cannot finish. ``token`` names the script and global (default: 8 random hex digits)."""
    say = progress or (lambda message: None)
    limit = Deadline(deadline)
    token = token or secrets.token_hex(4)
    script_name, global_name = probe_script.names(token)
    made: list[Target] = []

    def open_target() -> Target:
        target = connect(endpoint, password, limit)
        made.append(target)
        return target

    try:
        say("connecting")
        target = open_target()
        removed = remove_leftovers(target)
        if removed:
            say(f"removed what an earlier probe left: {', '.join(removed)}")
        version_text, readings = _read(target, endpoint.user)
        say(f"RouterOS {version_text}: read-only reads done")
        try:
            readings = _run_script(target, readings, script_name, global_name, mail_to, say, sleep)
        except TransportError as cut:
            limit.renew()  # the clean-up gets a fresh allowance, as deploy's restore does (a deadline may have cut)
            _clean_after_cut(open_target, script_name)
            raise ProbeFailed(f"{cut}; the probe script was removed on a new connection") from None
        notes: list[str] = []
        maybe_left = (
            global_name
            if readings.script is None and "left no answers" in readings.problems.get("script", "")
            else None
        )
        if maybe_left:
            notes.append(
                f"the probe script left no answers; should it still be running, its global {maybe_left} is "
                "removed by the next rosbill probe"
            )
        return Report(
            endpoint.name,
            version_text,
            readings,
            tuple(observe(readings)),
            tuple(notes),
            sum(t.round_trips for t in made),
            sum(t.writes for t in made),
            tuple(removed),
            maybe_left,
        )
    finally:
        for one in made:
            one.close()


def _clean_after_cut(open_target: Callable[[], Target], script_name: str) -> None:
    try:
        remove_leftovers(open_target())
    except DeployError as again:
        raise ProbeFailed(
            f"the connection was cut while the probe script {script_name} was on the router, and it could not be "
            f"removed ({again}); the next rosbill probe of this router removes it first",
            leftovers=True,
        ) from None


def remove_leftovers(target: Target) -> tuple[str, ...]:
    """Removes probe scripts and probe globals an earlier, cut probe left (names ``rosbill-probe-<8 hex>`` and
    ``rosbillProbe<8 hex>`` only); returns their names."""
    removed = []
    for row in target.print("/system/script", (".id", "name")):
        name = row.get("name", b"").decode("utf-8", "replace")
        if probe_script.is_probe_script(name):
            target.remove("/system/script", row[".id"].decode("ascii", "replace"))
            removed.append(name)
    for row in target.print("/system/script/environment", (".id", "name")):
        name = row.get("name", b"").decode("utf-8", "replace")
        if probe_script.is_probe_global(name):
            target.remove("/system/script/environment", row[".id"].decode("ascii", "replace"))
            removed.append(name)
    return tuple(removed)


def _read(target: Target, api_user: str) -> tuple[str, Readings]:
    resource = target.print("/system/resource", ("version",))
    version_text = resource[0].get("version", b"").decode("utf-8", "replace") if resource else ""
    version = parse_version(version_text)
    problems: dict[str, str] = {}
    dialect = for_version(version)
    um = dialect.um_menu.replace(" ", "/")
    ntp = _first(_try(problems, "ntp", lambda: target.print("/system/ntp/client")))
    names: dict[str, str] = {}
    if dialect.user_manager_v7:  # to name the users whose totals differ (the script reports ids)
        users = _try(problems, "users", lambda: target.print(f"{um}/user", (".id", dialect.login_field)))
        for row in users or []:
            names[row.get(".id", b"").decode("ascii", "replace")] = row.get(dialect.login_field, b"").decode(
                "utf-8", "replace"
            )
    groups = _policy(target, api_user, problems)
    readings = Readings(
        dialect, version_text, api_user, user_names=names, ntp=ntp, policy_groups=groups, problems=problems
    )
    return version_text, readings


def _policy(target: Target, user: str, problems: dict[str, str]) -> tuple[Row, ...] | None:
    users = _try(problems, "policy", lambda: target.print("/user", ("name", "group"), {"name": user.encode()}))
    if users is None:
        return None
    if not users:
        problems["policy"] = f"no /user entry named {user}"
        return None
    group = users[0].get("group", b"")
    groups = _try(problems, "policy", lambda: target.print("/user/group", ("name", "policy"), {"name": group}))
    return tuple(groups) if groups is not None else None


def _run_script(
    target: Target,
    readings: Readings,
    script_name: str,
    global_name: str,
    mail_to: str | None,
    say: Progress,
    sleep: Callable[[float], None],
) -> Readings:
    dialect = readings.dialect
    source = probe_script.source(dialect, global_name, mail_to).encode("ascii")
    comment = probe_script.comment().encode("ascii")
    problems = dict(readings.problems)
    answers: dict[str, str] | None = None
    kept: int | None = None
    entry = {"name": script_name.encode(), "source": source, "policy": POLICY}
    written = {"comment_written": len(comment), "mail_to": mail_to}
    try:
        script_id = target.add("/system/script", entry | {"comment": comment})
    except Refused as long_refused:  # the long comment refused (row 30 differs)? Try again with the short mark
        try:
            script_id = target.add("/system/script", entry | {"comment": probe_script.COMMENT_MARK.encode("ascii")})
        except Refused as refused:  # not the comment: the script cannot be added at all (no write policy, …)
            problems["script"] = f"the probe script could not be added: {refused.message}"
            problems["comment"] = problems["script"]
            return dataclasses.replace(readings, problems=problems, **written)  # type: ignore[arg-type]
        problems["comment refused"] = f"a {len(comment)}-character comment was refused: {long_refused.message}"
    try:
        rows = target.print("/system/script", ("comment",), {"name": script_name.encode()})
        kept = len(rows[0].get("comment", b"")) if rows and "comment refused" not in problems else None
        say("probe script added" + (", sending the test mail" if mail_to else "") + ", running it")
        try:
            target.command("/system/script", "run", {".id": script_id.encode()})
        except Refused as refused:
            problems["script"] = f"the probe script failed: {refused.message}"
        found = _answers(target, global_name, wait="script" not in problems, sleep=sleep)
        if found:
            answers = probe_script.parse(found[0].get("value", b"").decode("utf-8", "replace"))
            target.remove("/system/script/environment", found[0][".id"].decode("ascii", "replace"))
        elif "script" not in problems:
            problems["script"] = "the probe script left no answers"
    finally:
        with contextlib.suppress(Refused):
            target.remove("/system/script", script_id)
    say("probe script removed")
    return dataclasses.replace(readings, script=answers, comment_kept=kept, problems=problems, **written)  # type: ignore[arg-type]


def _answers(target: Target, global_name: str, *, wait: bool, sleep: Callable[[float], None]) -> list[Row]:
    """The probe's global. It is set as the script's last step; should ``run`` answer before the script has ended
    ([INF]: the API manual does not say), look again every :data:`ANSWER_POLL_S` for up to :data:`ANSWER_WAIT_S`."""
    waited = 0.0
    while True:
        found = target.print("/system/script/environment", (".id", "name", "value"), {"name": global_name.encode()})
        if found or not wait or waited >= ANSWER_WAIT_S:
            return found
        sleep(ANSWER_POLL_S)
        waited += ANSWER_POLL_S


def _try(problems: dict[str, str], part: str, read: Callable[[], T]) -> T | None:
    """``read()``, or None with the router's reason in ``problems[part]`` when it refuses (a missing menu, no
    permission)."""
    try:
        return read()
    except Refused as refused:
        problems.setdefault(part, f"{refused.command}: {refused.message}")
        return None


def _first(rows: list[Row] | None) -> Row | None:
    return rows[0] if rows else None
