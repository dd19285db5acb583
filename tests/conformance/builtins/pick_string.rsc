# source: HELP Scripting manual ":pick" (end exclusive); routeros-scripting.md §6 (clamping [I])
:put [:pick "abcde" 1 3]
:put [:pick "abcde" 1]
:put [:pick "abc" 1 999]
:put ("[" . [:pick "abc" 2 1] . "]")
:put [:pick (100 + 7) 1 3]
# expect: bc
# expect: b
# expect: bc
# expect: []
# expect: 07
