# source: HELP Scripting manual "[:nothing] < 0"; routeros-scripting.md §3 surprises [D]
:put ([:nothing] < 0)
:put ([:nothing] > 0)
:put ([:nothing] = 0)
# expect: true
# expect: false
# expect: false
