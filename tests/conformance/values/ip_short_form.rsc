# source: routeros-scripting.md §2 (1.1 is the ip 1.0.0.1) [O fx 182244]
:put 1.1
:put [:typeof 1.1]
# expect: 1.0.0.1
# expect: ip
