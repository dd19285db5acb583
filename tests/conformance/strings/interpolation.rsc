# source: HELP Scripting manual "5x6=$($a*$b)" and "$[:len …]"; routeros-scripting.md §1.6 [D]
:local name "World"
:put "Hello $name"
:local a 5
:local b 6
:put "5x6=$($a*$b)"
:put "$[:len "abc"] chars"
# expect: Hello World
# expect: 5x6=30
# expect: 3 chars
