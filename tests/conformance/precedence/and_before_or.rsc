# source: routeros-scripting.md §3 ((a = 1 && b = 2 || c) is ((a=1)&&(b=2))||c) [O lsp tests]
:local a 1
:local b 2
:put ($a = 1 && $b = 3 || true)
:put (false && true || true)
:put (true || false && false)
# expect: true
# expect: true
# expect: true
