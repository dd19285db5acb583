# source: routeros-scripting.md §1.3, §4.2 (a \-joined line counts as one line) [D HELP] [O lsp]
# mode: import
:local a 1; \
:put $a
# expect: 1
