# source: HELP Scripting manual "Data types"; routeros-scripting.md §2 (yes/no compile to bool) [D] [O il]
:put true
:put [:typeof false]
:put (yes = true)
:put [:typeof no]
# expect: true
# expect: bool
# expect: true
# expect: bool
