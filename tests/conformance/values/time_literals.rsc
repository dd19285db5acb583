# source: HELP Scripting manual "Data types"; routeros-scripting.md §2.2 [D] [O il: 200ms is 00:00:00.200]
:put 1w2d3h4m5s
:put 30s
:put 200ms
:put 00:01:02
:put 10:00
:put [:typeof 1s]
# expect: 1w2d03:04:05
# expect: 00:00:30
# expect: 00:00:00.200
# expect: 00:01:02
# expect: 10:00:00
# expect: time
