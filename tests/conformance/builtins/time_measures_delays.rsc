# source: HELP Scripting manual ":time"; routeros-scripting.md §5 [D]
:put [:typeof [:time {:put x}]]
# expect: x
# expect: time
