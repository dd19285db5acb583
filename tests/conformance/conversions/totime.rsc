# source: routeros-scripting.md §2.4 (:totime "1d", :totime 90) [I]
:put [:totime "1d"]
:put [:totime 90]
:put [:typeof [:totime "soon"]]
# expect: 1d00:00:00
# expect: 00:01:30
# expect: nil
