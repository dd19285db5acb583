# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Concatenation Operators" (:put ({1;2;3}, 5); :put ("concatenate". " ". "string"); :put ("Hello ". $myVar) and :put "Hello $myVar" do the same) [D]
:put ({1;2;3}, 5)
:put ("concatenate" . " " . "string")
:global myVar "world"
:put ("Hello " . $myVar)
:put "Hello $myVar"
# expect: 1;2;3;5
# expect: concatenate string
# expect: Hello world
# expect: Hello world
