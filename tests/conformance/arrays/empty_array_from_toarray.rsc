# source: TIPS "How to define empty array" (:global array [:toarray ""]; :set ($array->"el0") "el0_val"; :environment print shows array={el0="el0_val"}) [D]
:global array [:toarray ""]
:put [:len $array]
:set ($array->"el0") "el0_val"
:put $array
:put [:typeof $array]
# expect: 0
# expect: el0=el0_val
# expect: array
