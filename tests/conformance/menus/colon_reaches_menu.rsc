# source: routeros-scripting.md §7 (:ip address print also reaches the menu) [O lsp p23]
:put [:system identity get name]
# expect: MikroTik
