# source: routeros-scripting.md §4.4 (a missing argument reads as nothing) [EW] [FORUM]
:local f do={ :put [:typeof $1]; :put [:typeof $named] }
$f
# expect: nothing
# expect: nothing
