# source: routeros-scripting.md §1.7 ($"my-var") [D HELP] [O lsp]
:local "my-var" 5
:put $"my-var"
:put ($"my-var" + 1)
# expect: 5
# expect: 6
