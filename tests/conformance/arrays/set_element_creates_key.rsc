# source: routeros-scripting.md §2.3 (:set ($a->"x") 5 creates the key) [D HELP/TIPS]
:local a ({})
:set ($a->"x") 5
:put ($a->"x")
:set ($a->"x") 6
:put $a
# expect: 5
# expect: x=6
