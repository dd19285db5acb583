# source: routeros-scripting.md §1.1 (LF, CRLF and lone CR end lines) [D HELP] [O lsp]
:put 1
:put 2:put 3
# expect: 1
# expect: 2
# expect: 3
