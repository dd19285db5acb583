# source: TIPS "Running function from another function" (calling an undeclared function does not stop the script: "typeof = nil" and the next :put still print) [D]
:global caller do={ $missing 1 2; :put "went on" }
$caller
# expect: went on
