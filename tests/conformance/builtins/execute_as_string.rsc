# source: HELP Scripting manual ":execute … as-string returns the output"; routeros-scripting.md §5 [D]
:put [:execute ":put hi" as-string]
:put [:typeof [:execute ":put 1"]]
# expect: hi
# expect: id
