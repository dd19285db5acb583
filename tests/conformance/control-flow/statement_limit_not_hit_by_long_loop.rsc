# source: routeros-scripting.md §9 (performance: loops of many rounds) [I]
:local n 0
:for i from=1 to=20000 do={ :set n ($n + 1) }
:put $n
# expect: 20000
