# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) ":len" (:put [:len "length=8"]) and "Other Operators" (:put [ :len "my test string";]) [D]
:put [:len "length=8"]
:put [ :len "my test string";]
# expect: 8
# expect: 14
