# source: routeros-scripting.md §3 (binary operators are left-associative) [O lsp]
:put (1 - 2 - 3)
:put (100 / 10 / 5)
# expect: -4
# expect: 2
