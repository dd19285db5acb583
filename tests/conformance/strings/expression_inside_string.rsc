# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Concatenation Operators" (:local a 5; :local b 6; :put " 5x6 = $($a * $b)") [D]
:local a 5
:local b 6
:put " 5x6 = $($a * $b)"
# expect:  5x6 = 30
