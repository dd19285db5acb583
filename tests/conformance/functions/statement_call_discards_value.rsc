# source: routeros-scripting.md §4.4 (statement form discards the return value) [D HELP]
:local f do={ :put "ran"; :return 5 }
$f
# expect: ran
