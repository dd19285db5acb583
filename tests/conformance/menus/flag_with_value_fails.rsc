# source: routeros-scripting.md §1.9 (detail=yes is an error) [O lsp]
/ip address print as-value=yes
# expect-load-error: expected end of command (line 2 column 27)
