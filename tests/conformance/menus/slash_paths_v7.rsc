# source: routeros-scripting.md §7, §10 (/ip/address/print is v7 only) [I] [O lsp]
:put [/system/identity/get name]
# expect: MikroTik
