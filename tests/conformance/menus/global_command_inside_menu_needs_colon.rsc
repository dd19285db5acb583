# source: routeros-scripting.md §7 (inside a menu, put is an unknown command) [O lsp]
/ip address
put 1
# expect-load-error: bad command name put (line 3 column 1)
