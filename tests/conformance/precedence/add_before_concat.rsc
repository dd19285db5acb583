# source: routeros-scripting.md §3 (. below + -) [O lsp O-01]
:put ("a" . 1 + 2)
# expect: a3
