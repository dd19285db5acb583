# source: routeros-scripting.md §1.6 ("$x" of a num) [D HELP]
:local x 5
:put "x=$x"
:put [:typeof "$x"]
# expect: x=5
# expect: str
