# source: routeros-scripting.md §4.4 (a function body sees no locals of its caller or definer) [O lsp d13/d15/d34]
:local x 5
:local f do={ :put [:typeof $x] }
$f
# expect: nothing
