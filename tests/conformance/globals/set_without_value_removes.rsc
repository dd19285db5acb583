# source: routeros-scripting.md §4.1 (:set name removes the variable) [D HELP]
:global g 1
:set g
:put [:typeof $g]
# expect: nothing
