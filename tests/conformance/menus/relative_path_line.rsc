# source: routeros-scripting.md §7 (a line that is only a path makes it current) [O lsp s1–s30]
/ip address
add address=10.9.9.9/32 interface=x
:put [:len [find]]
# expect: 1
