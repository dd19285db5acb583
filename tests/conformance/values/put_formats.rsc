# source: HELP Scripting manual "Data types" (num printed in decimal with hex input; ip, ip-prefix, ip6, time) [D]; routeros-scripting.md §2 [D] [O fx]
:put 0x1F
:put 192.168.88.1
:put 10.0.0.0/8
:put 2001:db8::1
:put 2001:db8::/32
:put 90s
:put {1;"two";3.3.3.3}
:put {a=1;b={2;3}}
# expect: 31
# expect: 192.168.88.1
# expect: 10.0.0.0/8
# expect: 2001:db8::1
# expect: 2001:db8::/32
# expect: 00:01:30
# expect: 1;two;3.3.3.3
# expect: a=1;b=2;3
