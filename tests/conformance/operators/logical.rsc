# source: HELP Scripting manual "Operators" (! && and || or); routeros-scripting.md §3 [D]
:put (true && false)
:put (true || false)
:put (!true)
:put (true and true)
:put (false or false)
# expect: false
# expect: true
# expect: false
# expect: true
# expect: false
