# source: routeros-scripting.md §4.1 (:set name with no value removes it, v6.2+) [D HELP]
:local a 1
:set a
:put [:typeof $a]
# expect: nothing
