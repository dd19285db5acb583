# source: HELP Scripting manual "Reserved variable names" (:local name aa; print where name=$name returns all entries); routeros-scripting.md §3, §11.8 [D]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
:local interface "ether2"
:put [:len [/ip address find where interface=$interface]]
:put [:len [/ip address find interface=$interface]]
:local nm "ether2"
:put [:len [/ip address find where interface=$nm]]
# expect: 2
# expect: 2
# expect: 1
