# source: routeros-scripting.md §5 (default step is 1 or -1 depending on direction; to is inclusive) [O db] [I]
:for i from=1 to=0 do={ :put $i }
# expect: 1
# expect: 0
