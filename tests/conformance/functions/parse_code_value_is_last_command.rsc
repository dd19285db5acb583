# source: routeros-scripting.md §5 (:parse then [$f] returns its value); community [[:parse $cmd]] [I]
:put [[:parse ":len \"abcd\""]]
# expect: 4
