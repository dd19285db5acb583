# source: routeros-scripting.md §1.5 (\f: docs say 0xFF, 7.21.4 produces 0x0C) [O lsp E-01] CONFLICT
:put [:len "\f"]
:put ("\f" = "\0C")
# expect: 1
# expect: true
