# source: routeros-scripting.md §3 (ip ± num) [FORUM rextended]
:put (192.168.1.1 + 1)
:put ((192.168.1.77 & 255.255.255.252) + 2)
:put (10.0.0.1 - 2)
# expect: 192.168.1.2
# expect: 192.168.1.78
# expect: 9.255.255.255
