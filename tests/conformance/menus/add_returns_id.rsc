# source: routeros-scripting.md §7 (add returns the new item's id) [TIKOCI-SK] [I]
:local id [/ip address add address=1.1.1.1/32 interface=lo]
:put [:typeof $id]
:put [/ip address get $id interface]
# expect: id
# expect: lo
