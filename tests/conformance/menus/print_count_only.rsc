# source: HELP Scripting manual "print count-only returns a num"; routeros-scripting.md §7 [D]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
:put [/ip address print count-only]
:put [/ip address print count-only where disabled]
# expect: 2
# expect: 1
