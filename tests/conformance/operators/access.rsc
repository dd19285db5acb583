# source: HELP Scripting manual "->" and routeros-scripting.md §2.3 (missing element is nothing) [D] [O fx 167746]
:local a {x=1;y={z=2}}
:put ($a->"x")
:put [:typeof ($a->"nope")]
:put ($a->"y"->"z")
:put [:typeof ("s"->0)]
# expect: 1
# expect: nothing
# expect: 2
# expect: nothing
