# source: routeros-scripting.md §7 (current menu) [O lsp]
# mode: import
/system identity
:put [get name]
# expect: MikroTik
