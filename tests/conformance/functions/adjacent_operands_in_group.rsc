# source: routeros-scripting.md §3 (($a $b) is accepted by 7.21.4; its result is unknown) [O lsp]
# xfail: operands side by side in ( ) are refused at load; RouterOS accepts them with an unknown result
:local a 1
:local b 2
:put [:typeof ($a $b)]
# expect: array
