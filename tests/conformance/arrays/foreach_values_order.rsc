# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Operations with Arrays" (:foreach v in={2; "aX"=1; y=2; 5} do={:put ("$v")} prints 2 5 1 2) [D]
:foreach v in={2; "aX"=1; y=2; 5} do={ :put ("$v") }
# expect: 2
# expect: 5
# expect: 1
# expect: 2
