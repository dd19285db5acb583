# source: routeros-scripting.md §2.4, §8 (:totime "2023-08-18 00:00:00" is 2798w1d00:00:00) [O fx 168851]
:put [:totime "2023-08-18 00:00:00"]
:put [:typeof [:totime "2023-08-18T00:00:00"]]
# expect: 2798w1d00:00:00
# expect: nil
