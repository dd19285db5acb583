# source: HELP Scripting manual "Scopes"; routeros-scripting.md §4.1 [D] [O lsp d4/d5]
:local a 1
{ :local a 2; :put $a }
:put $a
# expect: 2
# expect: 1
