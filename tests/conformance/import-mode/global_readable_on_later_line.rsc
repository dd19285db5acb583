# source: routeros-scripting.md §4.3 (in the terminal a global set on an earlier line is readable) [I] [O lsp q2/q3]
# mode: import
:global g 1
:put $g
# expect: 1
