"""Shared test set-up."""

import os
import shutil
import tempfile
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


def pytest_runtest_logstart(nodeid, location):
    """Slow tests run for minutes: name each as it starts, so a long run never looks hung."""
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
