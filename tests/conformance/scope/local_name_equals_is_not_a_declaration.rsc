# source: routeros-scripting.md §1.9 (:local a=1 is rejected) [O lsp]
:local a=1
# expect-load-error: expected end of command (line 2 column 8)
