# source: routeros-scripting.md §2.2, §2.4 (:tonum 1s is 1) [O fx 168851]
:put [:tonum 1s]
:put [:tonum 1h]
# expect: 1
# expect: 3600
