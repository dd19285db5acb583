# source: HELP Scripting manual ":len"; routeros-scripting.md §6 (num: digits [I]; nil: 0 [I])
:put [:len "abc"]
:put [:len 12345]
:put [:len {1;2}]
:local n
:put [:len $n]
# expect: 3
# expect: 5
# expect: 2
# expect: 0
