# source: routeros-scripting.md §2.3 (($a->0)) [D HELP]
:local a {"x";"y"}
:put ($a->0)
:put ($a->1)
:put [:typeof ($a->2)]
# expect: x
# expect: y
# expect: nothing
