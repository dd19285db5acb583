# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Variables" (:local myStr "1,2,3,4,5"; :put [:typeof $myStr]; :local myArr [:toarray $myStr]; :put [:typeof $myArr]) [D]
:local myStr "1,2,3,4,5"
:put [:typeof $myStr]
:local myArr [:toarray $myStr]
:put [:typeof $myArr]
:put [:len $myArr]
# expect: str
# expect: array
# expect: 5
