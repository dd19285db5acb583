# source: TIPS "Set element value in 2D array" (:set ($test->1->1) "22_changed"; :put [($test->1->1)] prints 22_changed) [D]; TIPS "Get/Set unnamed elements in array" (:put ($test->1) prints el2) [D]
:global test {{"11";"12";"13"};{"21";"22";"23"}}
:set ($test->1->1) "22_changed"
:put ($test->1->1)
:global t2 { "el1"; "el2"; "el3" }
:put ($t2->1)
:set ($t2->2) "el3_changed"
:put $t2
# expect: 22_changed
# expect: el2
# expect: el1;el2;el3_changed
