# source: HELP Scripting manual "Data types"; routeros-scripting.md §2 [D]
:put 10.0.0.0/8
:put [:typeof 10.0.0.0/8]
# expect: 10.0.0.0/8
# expect: ip-prefix
