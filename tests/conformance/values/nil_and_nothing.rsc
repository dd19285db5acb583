# source: routeros-scripting.md §2, §11.3 (a local without value is nil; undeclared and [:nothing] are nothing) [D] [O fx 167746]
:local a
:put [:typeof $a]
:put [:typeof [:nothing]]
:put [:typeof $undeclared]
# expect: nil
# expect: nothing
# expect: nothing
