# source: routeros-scripting.md §2.4 [D] [O fx 179268] [I: "08" is decimal]
:put [:tonum "42"]
:put [:tonum "0x3FFF"]
:put [:tonum "08"]
:put [:tonum "09"]
:put [:tonum "-7"]
# expect: 42
# expect: 16383
# expect: 8
# expect: 9
# expect: -7
