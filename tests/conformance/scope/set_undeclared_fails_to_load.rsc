# source: routeros-scripting.md §4.1 (:set of an undeclared name fails to compile) [D HELP] [O lsp V-01..V-05]
:put 1
:set x 1
# expect-load-error: syntax error (line 3 column 6)
