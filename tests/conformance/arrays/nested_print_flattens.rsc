# source: routeros-scripting.md §2.3 ({{"a";"b"};{"c";"d"}} prints a;b;c;d) [O fx 176370]
:put {{"a";"b"};{"c";"d"}}
:put [:len {{"a";"b"};{"c";"d"}}]
# expect: a;b;c;d
# expect: 2
