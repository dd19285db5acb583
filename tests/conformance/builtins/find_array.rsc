# source: HELP Scripting manual ":find" (index of the element); routeros-scripting.md §6 [D]
:put [:find {"a";"b";"c"} "b"]
:put [:typeof [:find {"a"} "z"]]
# expect: 1
# expect: nil
