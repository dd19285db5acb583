# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Functions" ($myFunc a="this is arg a value" "this is arg1 value" prints "arg a=this is arg a value" and "arg '1'=this is arg1 value"; :put [$myFunc a=6 b=2] with :return ($a + $b) prints 8) [D]
:global myFunc do={ :put "arg a=$a"; :put "arg '1'=$1" }
$myFunc a="this is arg a value" "this is arg1 value"
:global myFunc do={ :return ($a + $b) }
:put [$myFunc a=6 b=2]
# expect: arg a=this is arg a value
# expect: arg '1'=this is arg1 value
# expect: 8
