# source: routeros-scripting.md §2.4 (:tobool 1/0 [I]; "anystring" is nil [O fx 179166])
:put [:tobool 1]
:put [:tobool 0]
:put [:typeof [:tobool "anystring"]]
:put [:tobool true]
# expect: true
# expect: false
# expect: nil
# expect: true
