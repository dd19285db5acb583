# source: routeros-scripting.md §2.2 printed form [O fx 179598, 154185]
:put 2798w1d
:put (0s - 84760ns)
# expect: 2798w1d00:00:00
# expect: -00:00:00.000084760
