# source: routeros-scripting.md §7 (get on a singleton returns the whole record) [EW]
:local c [/system clock get]
:put ($c->"date")
:put [:typeof $c]
# expect: 2026-11-30
# expect: array
