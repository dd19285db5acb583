# source: routeros-scripting.md §1.1 (:PUT 1 is rejected) [O lsp]
:PUT 1
# expect-load-error: syntax error (line 2 column 2)
