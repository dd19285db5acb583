# source: routeros-scripting.md §5 (:return at top level presumably ends the script) [I]
:put 1
:return 0
:put 2
# expect: 1
