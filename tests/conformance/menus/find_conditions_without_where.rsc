# source: routeros-scripting.md §7 ([find default-name=ether1]) [O lsp w1–w6]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
:put [/ip address get [/ip address find interface=ether2] address]
# expect: 10.0.1.1/24
