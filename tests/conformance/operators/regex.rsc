# source: HELP Scripting manual "Operators" (~ POSIX ERE); routeros-scripting.md §3 [D]
:put ("ether1" ~ "^eth")
:put ("abc" ~ "^b")
:put ("a.c" ~ "a\\.c")
:put ("abc" ~ "a\\.c")
# expect: true
# expect: false
# expect: true
# expect: false
