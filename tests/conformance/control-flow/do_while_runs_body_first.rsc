# source: HELP Scripting manual ":do {…} while="; routeros-scripting.md §5 [D]
:local i 5
:do { :put $i; :set i ($i + 1) } while=($i < 3)
:local j 0
:do { :set j ($j + 1) } while=($j < 3)
:put $j
# expect: 5
# expect: 3
