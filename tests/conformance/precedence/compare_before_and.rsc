# source: routeros-scripting.md §3 (comparisons above &&) [O lsp O-01]
:put (1 < 2 && 3 > 2)
:put (1 = 1 = true)
# expect: true
# expect: true
