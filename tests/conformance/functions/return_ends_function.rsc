# source: routeros-scripting.md §4.4 (:return v ends the function with v) [D HELP]
:local f do={ :return 5; :put "no" }
:put [$f]
# expect: 5
