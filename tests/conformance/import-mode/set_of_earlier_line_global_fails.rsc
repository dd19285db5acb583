# source: routeros-scripting.md §4.2 (:global g 1 then :set g 2 on the next line fails to compile) [O lsp h25]
# mode: import
:global g 1
:put "first"
:set g 2
:put "never"
# expect: first
# expect-error: syntax error (line 5 column 6)
