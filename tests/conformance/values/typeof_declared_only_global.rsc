# source: forum.mikrotik.com/t/please-fix-documentation-or-variables-behaviour/42629 (":global kk ; :put [:typeof $kk]" prints nothing, although the manual says nil) [O fx]; HELP "nil - default variable type if no value is assigned" holds for :local [D]
:global kk
:put [:typeof $kk]
:local ll
:put [:typeof $ll]
:put [:typeof $neverDeclared]
# expect: nothing
# expect: nil
# expect: nothing
