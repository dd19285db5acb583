# source: HELP Scripting manual ":pick" (one element without end); routeros-scripting.md §6 [D]
:put [:pick {1;2;3} 1]
:put [:pick {1;2;3} 1 3]
:put [:typeof [:pick {1;2;3} 1 3]]
# expect: 2
# expect: 2;3
# expect: array
