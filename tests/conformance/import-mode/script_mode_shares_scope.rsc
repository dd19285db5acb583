# source: routeros-scripting.md §4.2 (script mode: the whole source is one unit) [O lsp d1]
:local a 1
:put $a
# expect: 1
