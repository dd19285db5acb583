# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) ":tocrlf" / ":tolf" ("converts line endings to CRLF / LF") [D]; the byte counts are [I] from the description
:put [:len [:tocrlf "AAA\nBBB\nCCC"]]
:put [:len [:tolf "AAA\r\nBBB\r\nCCC"]]
# expect: 13
# expect: 11
