# source: HELP Scripting manual "Data types"; routeros-scripting.md §2 [D]
:put ::1
:put [:typeof 2001:db8::1]
:put [:typeof 2001:db8::/32]
# expect: ::1
# expect: ip6
# expect: ip6-prefix
