# source: HELP Scripting manual "(-a)" example; routeros-scripting.md §3 [D]
:local a 5
:put (-$a)
:put (-5)
:put (-a)
# expect: -5
# expect: -5
# expect: -5
