# source: routeros-scripting.md §4.4 ([($arr->"f") x y]: $0 is x, $1 is y) [O fx 154024]
:local arr ({})
:set ($arr->"f") do={ :put "$0-$1" }
[($arr->"f") x y]
# expect: x-y
