# source: routeros-scripting.md §2.1 (overflow wraps like C int64) [I]
:put (-9223372036854775807 - 2)
# expect: 9223372036854775807
