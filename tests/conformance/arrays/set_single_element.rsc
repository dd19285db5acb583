# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Operations with Arrays" (:global a {x=1; y=2}; :set ($a->"x") 5; :environment print shows a={x=5; y=2}) [D]
:global a {x=1; y=2}
:set ($a->"x") 5
:put $a
# expect: x=5;y=2
