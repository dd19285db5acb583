# source: routeros-scripting.md §7 (.. goes up a level) [D HELP] [O lsp]
/system identity
..
:put [clock get date]
# expect: 2026-11-30
