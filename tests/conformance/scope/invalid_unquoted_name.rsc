# source: routeros-scripting.md §4.1 (unquoted names are letters and digits) [D HELP] [O lsp V-07]
:local my-var 1
# expect-load-error: syntax error (line 2 column 8)
