# source: routeros-scripting.md §2.1 ((7/2) is 3; negatives truncate toward zero, C style) [I]
:put (7 / 2)
:put (-7 / 2)
:put (7 % 3)
:put (-7 % 3)
# expect: 3
# expect: -3
# expect: 1
# expect: -1
