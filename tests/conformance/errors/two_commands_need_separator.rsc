# source: routeros-scripting.md §1.1 (:put 1 :put 2 is an error) [O lsp L-11]
:put 1 :put 2
# expect-load-error: syntax error (line 2 column 8)
