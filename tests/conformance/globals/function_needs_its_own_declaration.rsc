# source: routeros-scripting.md §4.3 (without :global name inside, $name is empty) [D TIPS] [D HELP "Nested function example"]
:global g 5
:global f do={ :put [:typeof $g] }
$f
:global h do={ :global g; :put $g }
$h
# expect: nothing
# expect: 5
