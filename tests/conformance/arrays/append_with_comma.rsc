# source: routeros-scripting.md §2.3 (, appends an element) [D HELP]
:local a {1}
:set a ($a, 2)
:set a ($a, {3;4})
:put $a
# expect: 1;2;3;4
