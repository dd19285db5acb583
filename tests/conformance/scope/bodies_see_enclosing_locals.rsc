# source: routeros-scripting.md §4.1 (blocks nested in the declaring block see it) [D HELP] [O lsp d25/d36]
:local a 1
:if (true) do={ :set a 2; :for i from=1 to=1 do={ :set a ($a + $i) } }
:put $a
# expect: 3
