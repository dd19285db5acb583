# source: routeros-scripting.md §7 (find returns an array of ids, empty if nothing matched) [O fx 179114]
:put [:typeof [/ip address find]]
:put [:len [/ip address find]]
# expect: array
# expect: 0
