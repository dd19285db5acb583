# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Arithmetic Operators" examples (:put (3+4); (1-6); (4*5); (10 / 2); ((10)/2); (5 % 3); {:local a 1; :put (-a)}) [D]; the printed values are arithmetic [I]
:put (3+4)
:put (1-6)
:put (4*5)
:put (10 / 2)
:put ((10)/2)
:put (5 % 3)
{ :local a 1; :put (-a) }
# expect: 7
# expect: -5
# expect: 20
# expect: 5
# expect: 5
# expect: 2
# expect: -1
