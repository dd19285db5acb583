"""The per-router deadline (``--deadline``): a router that answers one byte at a time cannot hold a deploy, or a
``--all`` run, past it; a router that starts trickling after writing began is restored from the backup.

The routers here are small socket servers on loopback (not the emulated API server): :class:`Trickler` sends one byte
every ``interval`` seconds forever (well inside any per-read timeout, which restarts with every byte), and
:class:`TrickleAfter` passes a real emulated router through until the deploy's n-th write, then trickles.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deploy.labkit import (
    PASSWORD,
    USER,
    add_unmanaged_and_stale,
    config_data,
    install,
    job,
    lab,
    managed,
    router_entry,
    write_config,
)
from emulator.lab import emulated_router
from emulator.version import RouterOSVersion
from generator.cli import main
from generator.deploy import fleet
from generator.deploy.credentials import Secret
from generator.deploy.desired import Build
from generator.deploy.transport import ApiTarget, Deadline, DeadlineExceeded, Endpoint
from generator.errors import ExitCode

#: Every write command a deploy sends after the syntax gate (``/file`` and ``/import`` are the gate's).
WRITES = (b"/system/script/set", b"/system/script/add", b"/system/script/remove", b"/system/scheduler/set",
          b"/system/scheduler/add", b"/system/scheduler/remove", b"/tool/e-mail/set")  # fmt: skip


class _Server:
    """A listening socket on loopback with one thread per connection; ``close`` ends them all."""

    def __init__(self, handle: Callable[[socket.socket], None]) -> None:
        self._handle = handle
        self.stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._open: list[socket.socket] = []
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def trickle(self, conn: socket.socket, interval: float, first: bytes = b"") -> None:
        """``first``, then one ``!`` every ``interval`` s: to the API client, the start of words that never end."""
        try:
            conn.sendall(first)
            while not self.stopping.wait(interval):
                conn.sendall(b"!")
        except OSError:
            pass  # the client hung up: what the deadline is for

    def close(self) -> None:
        self.stopping.set()
        self._listener.close()
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()


class Trickler(_Server):
    def __init__(self, interval: float = 0.9, first: bytes = b"") -> None:
        super().__init__(lambda conn: self.trickle(conn, interval, first))


class TrickleAfter(_Server):
    """A proxy to ``upstream``: the deploy's ``writes``-th write command is not passed on, and from then on the
    router only trickles (once; a later connection, e.g. the restore's, is passed through)."""

    def __init__(self, upstream: int, writes: int, interval: float = 0.9) -> None:
        self.upstream, self.writes, self.interval = upstream, writes, interval
        self.fired = threading.Event()
        super().__init__(self._proxy)

    def _proxy(self, client: socket.socket) -> None:
        server = socket.create_connection(("127.0.0.1", self.upstream))
        self._open.append(server)
        cut = threading.Event()

        def down() -> None:
            with contextlib.suppress(OSError):
                while not cut.is_set() and (data := server.recv(65536)):
                    client.sendall(data)

        threading.Thread(target=down, daemon=True).start()
        seen = b""
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                seen += data
                if not self.fired.is_set() and sum(seen.count(w) for w in WRITES) >= self.writes:
                    self.fired.set()
                    cut.set()
                    server.close()
                    self.trickle(client, self.interval)
                    return
                server.sendall(data)


@contextlib.contextmanager
def running(server: _Server) -> Iterator[_Server]:
    try:
        yield server
    finally:
        server.close()


def in_thread(run: Callable[[], object], limit: float) -> tuple[object, float]:
    """``run()`` on a thread; its result and how long it took. Past ``limit`` seconds the test fails (the caller's
    ``running`` block then closes the trickler, which lets the stuck run end)."""
    out: list[object] = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: out.append(run()), daemon=True)
    worker.start()
    worker.join(limit)
    took = time.monotonic() - started
    assert out, f"still running after {took:.1f} s: the deadline is not enforced"
    return out[0], took


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
    for name in ("ROSBILL_PASSWORD_R1", "ROSBILL_PASSWORD_R2"):
        monkeypatch.delenv(name, raising=False)


def test_deploy_all_with_a_trickling_router_finishes_within_the_deadline_and_the_good_one_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    deadline = 6.0  # the good router must finish well inside it even on a loaded CI machine
    with running(Trickler()) as slow, lab() as good:
        routers = (router_entry("r1", "7.16", slow.port), router_entry("r2", "7.16", good.server.port))
        config = write_config(tmp_path / "config", config_data(*routers))
        out = tmp_path / "build"
        build_started = time.monotonic()
        assert main(["build", "--config", str(config), "--out", str(out)]) == ExitCode.OK
        # deploy re-renders and re-lints before connecting (check_fresh), outside the routers' deadline: about as
        # long as the build, seconds on a loaded machine
        build_took = time.monotonic() - build_started
        capsys.readouterr()
        command = ["deploy", "--config", str(config), "--out", str(out), "--all", "--yes", "--timeout", "8",
                   "--deadline", f"{deadline:g}"]  # fmt: skip
        code, took = in_thread(lambda: main(command), deadline + 20)
        assert slow.connections == 1
    captured = capsys.readouterr()
    assert code == ExitCode.DEPLOY
    # The bounds leave room for a loaded CI machine (xdist on 2 cores); without the deadline it took over 23 s.
    assert deadline <= took < deadline + 5 + 2 * build_took, (took, build_took)
    assert "r2: applied: 11 change(s) written and verified" in captured.out
    (failure,) = [line for line in captured.err.splitlines() if line.startswith("r1: failed: ")]
    assert "r1 (127.0.0.1:" in failure and f"the deadline of {deadline:g} s (--deadline) passed" in failure, failure
    assert "1 of 2 routers succeeded" in captured.out
    rows = {line.split()[0]: line.split() for line in captured.out.splitlines() if line.startswith("  r")}
    assert rows["r1"][1] == "failed" and rows["r1"][-1] == "5" and rows["r2"][1] == "applied"
    r1_seconds, r2_seconds = (float(rows[name][-3].rstrip("s")) for name in ("r1", "r2"))
    assert deadline <= r1_seconds < deadline + 2 and r2_seconds < deadline
    assert managed(good.router)
    from conftest import FIGURES

    FIGURES.append(
        f"deadline: deploy --all --deadline {deadline:g} --timeout 8, r1 trickling 1 byte/0.9 s, r2 emulated: "
        "r1 failed after "
        f"{r1_seconds:.2f} s, r2 applied in {r2_seconds:.2f} s, the command took {took:.2f} s (exit {int(code)})"
    )


def test_the_deadline_bounds_the_tls_handshake_too(tmp_path: Path) -> None:
    # The start of a TLS record whose 16 kB never arrive: a handshake that reads on and on.
    with running(Trickler(interval=0.5, first=b"\x16\x03\x03\x40\x00")) as slow:
        endpoint = Endpoint("r1", "127.0.0.1", slow.port, True, USER, fingerprint="AB:" * 31 + "CD", timeout=5)

        def connect() -> object:
            try:
                return ApiTarget.connect(endpoint, Secret(PASSWORD), Deadline(1.5))
            except DeadlineExceeded as exceeded:
                return exceeded

        failure, took = in_thread(connect, 20)
    assert isinstance(failure, DeadlineExceeded), failure
    assert "r1 (127.0.0.1:" in str(failure) and "the deadline of 1.5 s (--deadline) passed while connecting" in str(
        failure
    )
    assert 1.5 <= took < 4.5, took  # unbounded, the handshake reads for as long as the router trickles


DEADLINE = 6.0


def test_a_router_that_starts_trickling_after_writing_began_is_restored_from_the_backup(
    builds: dict[str, Build], backups: Path
):
    router = emulated_router(RouterOSVersion.parse("7.16"))
    install(router, builds["a"].state)
    add_unmanaged_and_stale(router)
    before = managed(router)
    with lab(router=router) as one, running(TrickleAfter(one.server.port, writes=2)) as proxy:
        endpoint = Endpoint("r1", "127.0.0.1", proxy.port, False, USER, timeout=5)
        deploy = job(builds["b"], endpoint, backups)
        # The deadline must cover everything before the 2nd write (preflight, read, syntax gate of every script): 2 s
        # did not on a loaded machine (load 8 on 2 cores: the deadline passed during the gate, the proxy never fired).
        deploy = fleet.Job(deploy.endpoint, deploy.password, deploy.desired, deploy.backups, deploy.check_version,
                           deadline=DEADLINE)  # fmt: skip
        result, took = in_thread(lambda: fleet.deploy(deploy), 30)
        assert proxy.fired.is_set(), (result, took)
        assert isinstance(result, fleet.Result)
        assert result.status is fleet.Status.RESTORED and result.exit_code == ExitCode.DEPLOY, result.message
        assert (
            "r1 (127.0.0.1:" in result.message
            and f"the deadline of {DEADLINE:g} s (--deadline) passed during /" in result.message
        )
        assert "the previous entries were restored and verified" in result.message and "backup:" in result.message
        assert managed(router) == before  # the write that went through was undone
        assert DEADLINE <= took < DEADLINE + 5, took  # the restore (its own allowance) takes under a second when idle
        rerun = fleet.deploy(job(builds["b"], endpoint, backups))  # the proxy trickles once; now it passes through
        assert rerun.status is fleet.Status.APPLIED, rerun.message


def test_time_waiting_for_the_operator_does_not_count() -> None:
    now = [100.0]
    deadline = Deadline(10, clock=lambda: now[0])
    now[0] += 4
    with deadline.paused():
        now[0] += 3600  # the operator reads the plan
    assert deadline.remaining() == 6
    assert deadline.wait(15) == 6 and deadline.wait(2) == 2
    now[0] += 6
    assert deadline.expired
    with pytest.raises(TimeoutError):
        deadline.wait(15)
    deadline.renew()
    assert deadline.remaining() == 10
