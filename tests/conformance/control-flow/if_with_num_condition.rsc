# source: routeros-scripting.md §5, §11.4 (non-zero num is true, nil false, position 0 false) [I]
:if ([:find "abc" "b"]) do={ :put "b" }
:if ([:find "abc" "a"]) do={ :put "a" } else={ :put "a at 0 is false" }
:if ([:find "abc" "z"]) do={ :put "z" } else={ :put "nil is false" }
# expect: b
# expect: a at 0 is false
# expect: nil is false
