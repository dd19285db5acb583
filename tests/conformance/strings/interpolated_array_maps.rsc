# source: HELP Scripting manual ("Hello $name" is ("Hello " . $name)); routeros-scripting.md §2.3 (. maps over arrays) [D]
:local a {1;2}
:put "x$a"
# expect: x1;x2
