# source: routeros-scripting.md §2.4, §11.7 (different types never equal) [D TIPS]
:put ("1" = 1)
:put (1 = 1)
:put ("1.1.1.1/24" = 1.1.1.1/24)
:put ("1" != 1)
# expect: false
# expect: true
# expect: false
# expect: true
