# source: routeros-scripting.md §3 (($Clock->"date" . "-") works without parentheses) [EW]
:local c {date="x"}
:put ($c->"date" . "-")
# expect: x-
