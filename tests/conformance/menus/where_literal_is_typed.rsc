# source: routeros-scripting.md §2.4 (find where address=1.1.1.1/24 never matches a str property; quote it) [D TIPS]; find name=value is a command argument parsed by the property [I]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
:put [:len [/ip address find where address=10.0.0.1/24]]
:put [:len [/ip address find where address="10.0.0.1/24"]]
:put [:len [/ip address find address=10.0.0.1/24]]
# expect: 0
# expect: 1
# expect: 1
