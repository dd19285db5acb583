# source: routeros-scripting.md §4.3 (a global is visible only after :global name in that script) [D TIPS]
:global z 1
{ :put [:typeof $y] }
:global y 2
:put $y
# expect: nothing
# expect: 2
