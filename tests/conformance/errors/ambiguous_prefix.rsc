# source: routeros-scripting.md §1.1 (an ambiguous prefix is an error) [O lsp C-10]
:to 5
# expect-load-error: ambiguous command name to (line 2 column 2)
