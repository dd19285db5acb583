# source: routeros-scripting.md §4.1 (:global x without value declares access; $x is nothing) [I from EW]
:global neverSet
:put [:typeof $neverSet]
# expect: nothing
