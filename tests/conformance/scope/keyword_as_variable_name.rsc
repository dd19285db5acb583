# source: HELP Scripting manual "Keywords" ("The following words are keywords and cannot be used as variable and function names: and or in") [D]; CONFLICT: routeros-lsp says 7.21.4 accepts them [O lsp V-07/V-08]; the strict reading is modelled (docs/assumptions.md)
:put "never runs"
:local and 1
# expect-load-error: syntax error (line 3 column 8)
