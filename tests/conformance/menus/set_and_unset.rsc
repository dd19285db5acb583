# source: HELP Scripting manual "set … !prop unsets"; routeros-scripting.md §7 [D]
/ip address add address=10.0.0.1/24 interface=ether1
/ip address add address=10.0.1.1/24 interface=ether2 disabled=yes
/ip address set [find interface=ether1] comment="hello"
:put [/ip address get [find interface=ether1] comment]
/ip address set [find interface=ether1] !comment
:put ("[" . [/ip address get [find interface=ether1] comment] . "]")
# expect: hello
# expect: []
