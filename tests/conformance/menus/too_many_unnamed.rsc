# source: routeros-scripting.md §1.9 (:put "a" "b" is too many unnamed arguments) [O lsp]
:put "a" "b"
# expect-load-error: expected end of command (line 2 column 10)
