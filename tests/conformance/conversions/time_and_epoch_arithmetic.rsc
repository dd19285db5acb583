# source: routeros-scripting.md §8 ([:totime $isoDate] + time, comparisons of times: EW check-perpetual-license ([:totime $x] - 3w < [:timestamp])) [EW] [O fx 168851]; :tonum of a time is seconds [O fx 168851]
:local day [:totime "2023-08-18 00:00:00"]
:put ($day + 12:30:00)
:put ([:tonum $day] / 86400)
:put (($day - 3w) < $day)
:put ([:totime "2023-08-19 00:00:00"] - $day)
# expect: 2798w1d12:30:00
# expect: 19587
# expect: true
# expect: 1d00:00:00
