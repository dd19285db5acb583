# source: routeros-scripting.md §2.1 (overflow unknown, wraps like C int64) [I]
:put (9223372036854775807 + 1)
# expect: -9223372036854775808
