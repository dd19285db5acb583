# source: routeros-scripting.md §2.3 (model arrays as values, copy on assignment) [I]
:local a {1;2}
:local b $a
:set ($b->0) 9
:put $a
:put $b
# expect: 1;2
# expect: 9;2
