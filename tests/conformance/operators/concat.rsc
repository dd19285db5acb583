# source: HELP Scripting manual "Operators" (.); routeros-scripting.md §3 (. with num or ip stringifies) [D] [I]
:put ("a" . "b")
:put ("n" . 5)
:put ("ip " . 1.2.3.4)
:put [:typeof ("a" . 1)]
# expect: ab
# expect: n5
# expect: ip 1.2.3.4
# expect: str
