# source: forum.mikrotik.com/t/please-fix-documentation-or-variables-behaviour/42629 (v3/v4-era router: ":global kk ; :put [:typeof $kk]" prints nothing) [O fx]; TIPS "Running function from another function" for the nil of an undeclared function's call [D]
# version: 6.49
:global kk
:put [:typeof $kk]
:global f do={ :local y [$g 1]; :put [:typeof $y] }
$f
# expect: nothing
# expect: nil
