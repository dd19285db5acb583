# source: routeros-scripting.md §2.2 (time±time, time±num, time*num, time/num, negative differences) [O fx] [I]
:put (1h + 30m)
:put (1d - 1s)
:put (2 * 1h)
:put (1h / 2)
:put (10s > 5s)
:put (1s - 2s)
:put (1m + 30)
# expect: 01:30:00
# expect: 23:59:59
# expect: 02:00:00
# expect: 00:30:00
# expect: true
# expect: -00:00:01
# expect: 00:01:30
