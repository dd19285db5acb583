# source: routeros-scripting.md §7 (print as-value is a list of maps with .id; pick element 0 first) [D TIPS] [FORUM 174886]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
:local rows [/ip address print as-value where interface="ether2"]
:put [:len $rows]
:put ($rows->0->"address")
:put [:typeof ($rows->0->".id")]
# expect: 1
# expect: 10.0.1.1/24
# expect: id
