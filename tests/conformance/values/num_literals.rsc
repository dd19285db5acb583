# source: HELP Scripting manual "Data types"; routeros-scripting.md §2 [D]
:put 42
:put -5
:put 0x1F
:put [:typeof 42]
# expect: 42
# expect: -5
# expect: 31
# expect: num
