# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Relational Operators" (:put (3<4); (3>4); (2=2)) and "Logical Operators" ((!true); (true&&true); (true||false); (1.1.1.1/32 in 1.0.0.0/8)) [D]
:put (3<4)
:put (3>4)
:put (2=2)
:put (!true)
:put (true&&true)
:put (true||false)
:put (1.1.1.1/32 in 1.0.0.0/8)
# expect: true
# expect: false
# expect: true
# expect: false
# expect: true
# expect: true
# expect: true
