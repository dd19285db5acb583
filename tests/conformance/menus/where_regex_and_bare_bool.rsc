# source: routeros-scripting.md §7 (where name~"ether" && !disabled; a bare boolean property means =true) [D HELP] [TIKOCI-SK]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
:put [:len [/ip address find where interface~"^ether"]]
:put [:len [/ip address find where !disabled interface~"2"]]
# expect: 2
# expect: 0
