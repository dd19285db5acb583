# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Other Operators" "->" example (:global aaa {a=1;b=2}; :put ($aaa->"a") prints 1; ($aaa->"b") prints 2) [D]
:global aaa {a=1;b=2}
:put ($aaa->"a")
:put ($aaa->"b")
# expect: 1
# expect: 2
