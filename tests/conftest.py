"""Shared test set-up."""

from routeros_lsp.syntax.parser import parse

# routeros-lsp raises the recursion limit on its first parse; doing it here, before any test runs, keeps hypothesis
# from warning that a test changed it.
parse("")


# --- figures that tests report (counts of cases tried and their outcomes), printed at the end of the run -----------
FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if FIGURES:
        terminalreporter.section("figures")
        for line in FIGURES:
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
