# source: routeros-scripting.md §11.18 (in script mode one syntax error means the script does not run at all) [O lsp]
:put 1
:put (
# expect-load-error: syntax error (line 3 column 6)
