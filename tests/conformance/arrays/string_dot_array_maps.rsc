# source: TIPS "Be careful when adding array to string" (:global array {"cccc"; "ddddd"}: ("array value is: ". $array) prints "array value is: cccc;array value is: ddddd", with [:tostr $array] "array value is: cccc;ddddd") [D]
:global array {"cccc"; "ddddd"}
:put ("array value is: " . $array)
:put ("array value is: " . [:tostr $array])
# expect: array value is: cccc;array value is: ddddd
# expect: array value is: cccc;ddddd
