# source: routeros-scripting.md §5; wiert.me 2017 :for examples (from=1 to=100 step=37 gives 1,38,75) [D M29]
:for i from=1 to=100 step=37 do={ :put $i }
:for i from=5 to=1 step=-2 do={ :put $i }
# expect: 1
# expect: 38
# expect: 75
# expect: 5
# expect: 3
# expect: 1
