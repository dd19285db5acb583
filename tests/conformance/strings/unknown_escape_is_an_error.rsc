# source: routeros-scripting.md §1.5 (\q is a syntax error in v7) [O lsp E-03/E-04]
:put 1
:put "\q"
# expect-load-error: syntax error (line 3 column 7)
