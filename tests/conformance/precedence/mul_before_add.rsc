# source: routeros-scripting.md §3 precedence [O lsp O-01]
:put (1 + 2 * 3)
:put ((1 + 2) * 3)
:put (10 - 6 / 2)
# expect: 7
# expect: 9
# expect: 7
