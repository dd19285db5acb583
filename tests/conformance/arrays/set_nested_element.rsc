# source: routeros-scripting.md §2.3 (:set ($a->1->1) "v") [D HELP]
:local a {{1;2};{3;4}}
:set ($a->1->1) "v"
:put $a
# expect: 1;2;3;v
