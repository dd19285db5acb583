# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Conditional statement" ({ :local myBool true; :if ($myBool = false) do={ :put "value is false" } else={ :put "value is true" } }) [D]
{ :local myBool true; :if ($myBool = false) do={ :put "value is false" } else={ :put "value is true" } }
# expect: value is true
