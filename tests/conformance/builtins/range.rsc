# source: HELP Scripting manual ":range 2 8"; routeros-scripting.md §6 [D]
:put [:range 2 8]
:put [:len [:range 1 3]]
# expect: 2;3;4;5;6;7;8
# expect: 3
