# source: routeros-scripting.md §4.1 [O lsp V-03]
{ :local a 1 }
{ :set a 2 }
# expect-load-error: syntax error (line 3 column 8)
