"""Shared test set-up."""

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from routeros_lsp.syntax.parser import parse

# routeros-lsp raises the recursion limit on its first parse; doing it here, before any test runs, keeps hypothesis
# from warning that a test changed it.
parse("")


# --- figures that tests report (counts of cases tried and their outcomes), printed at the end of the run -----------
# With pytest-xdist every worker is a process of its own: each figure is also written at once to a folder the
# controller reads at the end (a worker's session ends after the controller prints its summary).
class Figures(list[str]):
    def append(self, line: str) -> None:
        super().append(line)
        folder = os.environ.get("ROSBILL_FIGURES_DIR")
        if folder and os.environ.get("PYTEST_XDIST_WORKER"):
            with open(Path(folder) / f"{os.getpid()}.txt", "a", encoding="utf-8") as out:
                out.write(line + "\n")


FIGURES = Figures()


def pytest_configure(config):
    if not hasattr(config, "workerinput") and "ROSBILL_FIGURES_DIR" not in os.environ:
        os.environ["ROSBILL_FIGURES_DIR"] = tempfile.mkdtemp(prefix="rosbill-figures-")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput"):
        return  # the controller reports for everyone
    lines = list(FIGURES)
    folder = os.environ.get("ROSBILL_FIGURES_DIR")
    if folder and Path(folder).is_dir():
        for part in sorted(Path(folder).glob("*.txt")):
            lines += part.read_text(encoding="utf-8").splitlines()
        shutil.rmtree(folder, ignore_errors=True)
    if lines:
        terminalreporter.section("figures")
        for line in sorted(lines):
            terminalreporter.write_line(line)


_CURRENT: dict = {}
LONG_S = float(os.environ.get("ROSBILL_LONG_TEST_S", "60"))  # named every LONG_S seconds under pytest-xdist
_RUNNING: dict[str, float] = {}
_LOCK = threading.Lock()


def pytest_runtest_logstart(nodeid, location):
    """Slow tests run for minutes: name each as it starts, so a long run never looks hung (and note the start for the
    watchdog below, which is what names long tests under pytest-xdist)."""
    with _LOCK:
        _RUNNING[nodeid] = time.monotonic()
    session = _CURRENT.get("session")
    if session is None:
        return
    item = _CURRENT["items"].get(nodeid)
    if item is not None and item.get_closest_marker("slow") is not None:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"  (slow) {nodeid}")


def pytest_collection_finish(session):
    _CURRENT["session"] = session
    _CURRENT["items"] = {item.nodeid: item for item in session.items}


# --- under pytest-xdist the controller has no test items, so the hook above names nothing there: a watchdog on the
# controller names every test that has been running for a while, every minute, so `make test` never looks hung.


def pytest_sessionstart(session):
    if hasattr(session.config, "workerinput") or not session.config.pluginmanager.has_plugin("dsession"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    stop = threading.Event()
    _CURRENT["stop"] = stop

    def watch() -> None:
        while not stop.wait(LONG_S):
            now = time.monotonic()
            with _LOCK:
                long = sorted((started, nodeid) for nodeid, started in _RUNNING.items() if now - started >= LONG_S)
            for started, nodeid in long:
                reporter.write_line(f"  (running for {now - started:.0f} s) {nodeid}")

    threading.Thread(target=watch, name="rosbill-long-tests", daemon=True).start()


def pytest_runtest_logreport(report):
    if report.when == "teardown":
        with _LOCK:
            _RUNNING.pop(report.nodeid, None)


def pytest_sessionfinish(session):
    stop = _CURRENT.get("stop")
    if stop is not None:
        stop.set()
