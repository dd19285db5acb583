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
