# source: routeros-scripting.md §2.1 [O fx 157085]
:global x 89148000006911111111
:put $x
# expect: 9223372036854775807
