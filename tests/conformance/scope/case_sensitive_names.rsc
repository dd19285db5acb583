# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Variables" ("Variable names are case-sensitive": :local myVar "hello"; $myVAr is another, undefined, variable) [D]; an undefined name reads as nothing in 7.x [O lsp V-01]
:local myVar "hello"
:put [:typeof $myVAr]
:put $myVar
# expect: nothing
# expect: hello
