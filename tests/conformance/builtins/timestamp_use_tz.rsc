# source: routeros-scripting.md §6 (:timestamp use-tz adds the zone offset; the fake router is at GMT+1) [O db] CONFLICT
# version: 7.16
:put ([:timestamp use-tz] - [:timestamp])
# expect: 01:00:00
