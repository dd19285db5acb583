# source: routeros-scripting.md §7 (where (name~"x")=false) [D HELP]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
:put [:len [/ip address find where (interface~"1")=false]]
# expect: 1
