"""Shared test set-up."""

from routeros_lsp.syntax.parser import parse

# routeros-lsp raises the recursion limit on its first parse; doing it here, before any test runs, keeps hypothesis
# from warning that a test changed it.
parse("")
