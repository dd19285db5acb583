# source: routeros-scripting.md §7 (a full command such as /ip route print does not change it) [O lsp]
/system identity
/ip address print
:put [get name]
# expect: MikroTik
