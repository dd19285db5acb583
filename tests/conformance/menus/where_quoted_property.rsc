# source: routeros-scripting.md §7 (a hyphenated property name may be quoted) [D HELP] [EW]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
:put [:len [/ip address find where "interface"="ether2"]]
:put [:len [/ip address find where interface!="ether2"]]
# expect: 1
# expect: 1
