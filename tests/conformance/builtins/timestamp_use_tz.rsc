# source: routeros-scripting.md §6 (:timestamp use-tz adds the zone offset) [O db] CONFLICT
# xfail: the contract exposes no time zone yet, so use-tz is ignored
:put ([:timestamp use-tz] = [:timestamp])
# expect: false
