"""A bench for running the generated scripts on the emulated router with exact usage figures.

The scripts are rendered from a config, installed by importing install.rsc (as on a router), and run by name; usage
is given to a user as one closed RADIUS session of exactly N bytes, so percentages and bills are exact. ``bill()``
runs Billing then BillingMail, as the nightly Oversight does; ``night()`` lets the scheduler run Oversight itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator import fixture, simulate
from emulator.contract import MenuCall, PowerCut, RunContext, RunResult
from emulator.fixture_usage import build_router
from emulator.interp import Interpreter
from emulator.router import Router, Traffic
from emulator.router.behaviour import Behaviour
from emulator.router.mail import Mail
from emulator.router.menu import Singleton
from emulator.router.snapshot import Snapshot
from emulator.router.table import Table
from emulator.version import RouterOSVersion as EmulatedVersion
from generator.cli_sim import build_for, target
from generator.config import Config, loads
from generator.dialects import RouterOSVersion
from generator.render import render

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "config" / "billing.yaml").read_text()
#: The shipped config in reset mode: this router is the NAS (PPP), billed users who are offline are reset.
RESET = SHIPPED.replace("  counter_reset: baseline\n", "  counter_reset: reset\n  close_sessions: [ppp]\n")
#: One accounts copy per bill instead of a digest.
EACH = SHIPPED.replace("accounts_copies: digest", "accounts_copies: each")
#: The shipped users fixture (rosbill simulate --users).
SHIPPED_USERS = ROOT / "config" / "users.yaml"
HOUR = 3600 * 10**9
VERSIONS = ["6.49", "7.9", "7.16"]
PACKAGES = ["Lite", "Home", "Business", "Unlimited"]


def simulation(
    config: Config, version: str | None, users: str | Path | fixture.Fixture, **prepare: Any
) -> simulate.Simulation:
    """The path ``rosbill simulate`` takes: build the config's first router (render and lint, the CLI's
    :func:`~generator.cli_sim.build_for`), then hand the built files to the emulator (:func:`emulator.prepare`)."""
    router = target(config.routers[0], version)
    files = build_for(config, router, "test").rendered.files
    return simulate.prepare(files, EmulatedVersion.parse(str(router.version)), users, **prepare)


def config_text(*pairs: tuple[str, str]) -> str:
    """The shipped config with text replaced (each replacement must apply)."""
    text = SHIPPED
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


class Bench:
    def __init__(
        self,
        version: str,
        users: list[dict[str, Any]],
        *,
        config: str = SHIPPED,
        start: dt.datetime = dt.datetime(2026, 11, 10, 12, 0),
        behaviour: Behaviour | None = None,
        ntp: bool = False,
    ) -> None:
        self.version = RouterOSVersion.parse(version)
        self.config: Config = loads(config)
        router_config = self.config.routers[0].model_copy(update={"version": self.version})
        self.files = render(self.config, router_config, "bench").files
        fx = fixture.parse(
            {
                "router": {"start": start.strftime("%Y-%m-%d %H:%M:%S")},
                "accounting": {"interim": "5m", "latency": "2s"},
                "e-mail": {"server": "192.0.2.25", "port": 587, "tls": "no", "from": "billing@example.net"},
                "profiles": [{"name": p} for p in PACKAGES],
                "users": users,
                **({"ntp": {"enabled": True}} if ntp else {}),
            }
        )
        self.router: Router = build_router(
            fx, EmulatedVersion.parse(version), runner_factory=Interpreter, behaviour=behaviour or Behaviour()
        )
        result = self.router.import_file(self.files["install.rsc"], name="install.rsc")
        assert result.ok, result
        emulated = EmulatedVersion.parse(version)
        self.user_menu = f"{emulated.user_manager_menu} user"
        self.login = emulated.user_login_property
        self._seen = len(self.router.mail.outbox)
        #: Menu commands the scripts issued, by (menu, command): the router-side cost of a run.
        self.calls: Counter[tuple[str, str]] = Counter()
        original = self.router.call

        def counting(call: MenuCall, ctx: RunContext) -> Any:
            self.calls[(" ".join(call.menu), call.command)] += 1
            return original(call, ctx)

        self.router.call = counting  # type: ignore[method-assign]

    def snapshot(self) -> Snapshot[Bench]:
        """A frozen copy of this bench and its router; ``restore()`` gives an independent bench per call (a power-cut
        sweep builds and installs once, then cuts a copy: emulator/router/snapshot.py)."""
        return Snapshot(self, router=self.router)

    def writes(self, menu: str = "") -> int:
        """Comment writes and other changes to the user table so far."""
        menu = menu or self.user_menu.lstrip("/")
        return sum(n for (m, c), n in self.calls.items() if m == menu and c == "set")

    # --- usage ------------------------------------------------------------------------------------------------------

    def use(self, user: str, nbytes: int, upload: int = 0) -> None:
        """Gives ``user`` one closed session of exactly ``nbytes`` download (+ ``upload``), one hour long."""
        session = self.router.nas.connect(user, Traffic(nbytes, upload, HOUR), interim_ns=10 * 60 * 10**9)
        assert session is not None, f"User Manager refused {user}"
        self.router.advance(3600)
        self.router.nas.disconnect(session)
        self.router.advance(5)

    def use_many(self, amounts: dict[str, int]) -> None:
        """Like :meth:`use` for many users at once: their sessions run side by side for the same hour."""
        sessions = []
        for name, nbytes in amounts.items():
            session = self.router.nas.connect(name, Traffic(nbytes, 0, HOUR), interim_ns=10 * 60 * 10**9)
            assert session is not None, f"User Manager refused {name}"
            sessions.append(session)
        self.router.advance(3600)
        for session in sessions:
            self.router.nas.disconnect(session)
        self.router.advance(5)

    def online(self, user: str, per_hour: int) -> Any:
        session = self.router.nas.connect(user, Traffic(per_hour, 0, HOUR), interim_ns=5 * 60 * 10**9)
        assert session is not None
        return session

    def usage(self, user: str) -> int:
        um = self.router.um
        assert um is not None
        usage = um.usage(user)
        return usage.download + usage.upload

    # --- running ----------------------------------------------------------------------------------------------------

    def at(self, moment: dt.datetime) -> None:
        """Moves time to ``moment`` (running whatever falls due on the way, e.g. the scheduler). A naive ``moment`` is
        true time (the bench's router is on UTC): after a boot with a wrong clock, the router shows something else."""
        self.router.advance_to(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))

    def run(self, script: str) -> RunResult:
        result = self.router.run_script(script)
        assert result.ok, result
        return result

    def bill(self) -> None:
        """What a night's Oversight does for billing: Billing records, BillingMail sends."""
        self.run("Billing")
        self.run("BillingMail")

    def night(self, day: dt.date) -> None:
        """Lets the scheduler run Oversight at 23:50 on ``day`` and waits until it is done."""
        self.at(dt.datetime.combine(day, dt.time(23, 49)))
        self.at(dt.datetime.combine(day, dt.time(23, 59, 59)))

    def ledger(self) -> dict[str, str]:
        """The keys of the router-wide billing state (the comment of /system script BillingState)."""
        for row in self.router.rows("/system script"):
            if _text(row.get("name")) == "BillingState":
                return _block(_text(row.get("comment")))
        return {}

    def mails(self) -> list[Mail]:
        """Mails sent since the last call."""
        new = self.router.mail.outbox[self._seen :]
        self._seen = len(self.router.mail.outbox)
        return list(new)

    def comment(self, user: str) -> str:
        for row in self.router.rows(self.user_menu):
            if _text(row.get(self.login)) == user:
                return _text(row.get("comment"))
        raise KeyError(user)

    def set_comment(self, user: str, comment: str) -> None:
        result = self.router.run(f'{self.user_menu} set [find where {self.login}="{user}"] comment="{comment}"')
        assert result.ok, result

    def state(self, user: str) -> dict[str, str]:
        return _block(self.comment(user))

    def field(self, user: str, prop: str) -> str:
        """A property of the user's row as text ("" when empty or absent), e.g. attributes, actual-profile."""
        for row in self.router.rows(self.user_menu):
            if _text(row.get(self.login)) == user:
                value = row.get(prop) or b""
                return value.decode() if isinstance(value, bytes) else str(value)
        raise KeyError(user)

    def disabled(self, user: str) -> bool:
        for row in self.router.rows(self.user_menu):
            if _text(row.get(self.login)) == user:
                return row.get("disabled") is True
        raise KeyError(user)

    def notify_keys(self, **tokens: str) -> None:
        """Writes the notify keys entry BillingNotify reads its tokens from (``/system script BillingNotifyKeys``, as
        rosbill deploy writes it: generator/deploy/state.py), one ``# key <channel>=<token>`` line a channel."""
        lines = ["# rosbill notify keys", *(f"# key {name}={token}" for name, token in sorted(tokens.items()))]
        source = "".join(line.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + "\\n" for line in lines)
        result = self.router.run(f'/system script add name=BillingNotifyKeys policy=read source="{source}"')
        assert result.ok, result

    def warnings_logged(self) -> list[str]:
        return [_text(e.message) for e in self.router.logs.entries if "warning" in e.topics and "script" in e.topics]


def _block(comment: str) -> dict[str, str]:
    start = comment.find("rb{")
    if start < 0:
        return {}
    body = comment[start + 3 : comment.index("}", start)]
    return dict(pair.split("=", 1) for pair in body.split(";") if pair)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else ("" if value is None else str(value))


def user(name: str, package: str = "Lite", **extra: Any) -> dict[str, Any]:
    """A user with e-mail and names in the comment (so the same data works on v6 and v7)."""
    comment = extra.pop("comment", f"rb{{email={name}@example.net;first={name.title()};last=Tester}}")
    return {
        "name": name,
        "package": package,
        "email": f"{name}@example.net",
        "first-name": name.title(),
        "last-name": "Tester",
        "comment": comment,
        **extra,
    }


def users_with_telegram(folder: Path, chat: str = "12345") -> Path:
    """The shipped users fixture with ann's Telegram chat id (``tg=``) in her comment, written to ``folder``."""
    ann = 'comment: "rb{email=ann@example.net;first=Ann;last=Lee}"'
    users = SHIPPED_USERS.read_text()
    assert ann in users
    path = folder / "users.yaml"
    path.write_text(users.replace(ann, ann.replace("last=Lee", f"last=Lee;tg={chat}")))
    return path


def body(mail: Mail) -> str:
    return _text(mail.body)


def subject(mail: Mail) -> str:
    return _text(mail.subject)


def distinct_points(router: Router, run: Callable[[], object], mutating: frozenset[str]) -> tuple[int, list[int]]:
    """Run ``run`` on ``router`` and return how many statements it took and the cut points that give distinct
    routers: before the first statement and right after each statement that calls a ``mutating`` command or waits."""
    base = router.statements_run
    points = {0}
    original_call, original_sleep = router.call, router.sleep

    def call(menu_call: MenuCall, ctx: RunContext) -> object:
        result = original_call(menu_call, ctx)
        if menu_call.command in mutating:
            points.add(router.statements_run - base)
        return result

    def sleep(ns: int, ctx: RunContext) -> None:
        original_sleep(ns, ctx)
        points.add(router.statements_run - base)

    router.call = call  # type: ignore[method-assign,assignment]
    router.sleep = sleep  # type: ignore[method-assign]
    run()
    total = router.statements_run - base
    return total, sorted(p for p in points if p < total)


def cut_and_run_again(
    bench: Bench, script: str, cut: int, again_at: dt.datetime, *, at_cut: Callable[[], None] | None = None
) -> None:
    """A power cut ``cut`` statements into a run of ``script`` (the cut must fire), ``at_cut`` (checks of the state
    the cut left, before any repair), power back after 60 s, the clock to ``again_at`` (whatever the boot starts
    runs on the way, e.g. Oversight's boot entry) and one more run of ``script`` to the end."""
    bench.router.arm_power_cut(cut)
    with pytest.raises(PowerCut):
        bench.run(script)
    if at_cut is not None:
        at_cut()
    bench.router.restore_power(60)
    bench.at(again_at)
    bench.run(script)


ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def end_state(router: Router) -> str:
    """Everything the router holds and the world outside saw, as one text to compare byte for byte: the clock and
    boot, globals, every row of every menu (users and their comments, scripts with the ledger and run counts,
    scheduler, log, settings), every mail the server received, live NAS sessions and the events still queued, and the
    interpreter's statement counter."""
    clock = router.clock
    clock.settle()
    out = [
        f"clock now={clock.now} shown={router.now_ns()} boot={router.boot_ns} epoch={router.epoch}",
        f"powered={router.powered} cut_at={router.power_cut_at} statements={router.statements_run}",
        f"environment={sorted(router.environment.items())!r}",
    ]
    for path, menu in sorted(router.menus.items()):
        if isinstance(menu, Table):
            out.extend(f"/{' '.join(path)} *{item_id:X} {sorted(values.items())!r}" for item_id, values in menu.rows())
        elif isinstance(menu, Singleton):
            out.append(f"/{' '.join(path)} {sorted(menu.values().items())!r}")
    out.extend(f"mail {mail!r}" for mail in router.mail.outbox)
    out.extend(f"log {entry!r}" for entry in router.logs.entries)
    for session in router.nas.sessions.values():
        out.append(
            f"session {session.user} {session.acct_session_id} {session.started_ns} {session.ended_ns} "
            f"{session.traffic!r} {session.rate_limit!r}"
        )
    queued = sorted((at, seq, event.label, event.cancelled) for at, seq, event in clock._queue)
    out.extend(f"event {entry!r}" for entry in queued)
    out.extend(f"repeating {at} {seq}" for at, seq, _ in sorted(clock._repeating, key=lambda e: e[:2]))
    # Compiled functions held by globals print as "<function _generated at 0x…>": the address is not state.
    return ADDRESS.sub(" at 0x…", "\n".join(out))


def rate_of_next_session(bench: Bench, name: str) -> str:
    """The rate limit the NAS gives the user's next login (from the Access-Accept), then that session ends."""
    session = bench.router.nas.connect(name, Traffic(1000, 0, HOUR))
    assert session is not None
    rate = session.rate_limit
    bench.router.nas.disconnect(session)
    bench.router.advance(5)
    return rate


@contextlib.contextmanager
def loopback_http(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[int]:
    """A threaded HTTP server on 127.0.0.1 (the emulated /tool fetch reaches loopback only); yields its port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
