# source: routeros-scripting.md §2.3 (:set ($a->"x") with no value removes it) [D HELP/TIPS] [EW]
:local a {x=1;y=2}
:set ($a->"x")
:put $a
# expect: y=2
