# source: routeros-scripting.md §2.1 (numeric strings convert in arithmetic, v6 community code) [I]
:put ("12" + 3)
:put ([:pick "2026-11-30" 0 4] * 2)
# expect: 15
# expect: 4052
