# source: HELP Scripting manual "in" (1.1.1.1/32 in 1.0.0.0/8 is true); routeros-scripting.md §3 [D]
:put (1.1.1.1/32 in 1.0.0.0/8)
:put (1.2.3.4 in 10.0.0.0/8)
:put (10.1.2.3 in 10.0.0.0/8)
# expect: true
# expect: false
# expect: true
