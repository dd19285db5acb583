# source: HELP Scripting manual / TIPS "my2" example (the argument wins, :set changes a local copy); routeros-scripting.md §4.4 [D]
:global my2 "123"
:global myFunc do={ :global my2; :put $my2; :set my2 "lala"; :put $my2 }
$myFunc my2=1234
:put "global value $my2"
# expect: 1234
# expect: lala
# expect: global value 123
