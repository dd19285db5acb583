# source: routeros-scripting.md §11.18 (in import mode the lines before the bad one have already run) [O lsp]
# mode: import
:put 1
:put (
:put 3
# expect: 1
# expect-error: syntax error (line 4 column 6)
