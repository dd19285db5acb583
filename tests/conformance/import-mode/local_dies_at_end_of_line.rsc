# source: routeros-scripting.md §4.2 (a local dies at the end of the line in /import) [O lsp q1] CONFLICT: the manual shows a terminal syntax error
# mode: import
:local a 1
:put [:typeof $a]
# expect: nothing
