# source: routeros-scripting.md §7 (find where name="x" && !disabled) [D HELP] [EW]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
:put [:len [/ip address find where interface="ether1" && !disabled]]
:put [:len [/ip address find where disabled]]
# expect: 1
# expect: 1
