# source: routeros-scripting.md §1.2 (:put 1 # x fails with "expected end of command") [O lsp L-01]
:put 1 # x
# expect-load-error: expected end of command (line 2 column 8)
