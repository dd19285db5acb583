# source: routeros-scripting.md §1.7 ((checkok>0) compiles to (> $checkok 0)) [O il topic-150836]; HELP Scripting manual (a&&b) example [D]
:local checkok 5
:put (checkok > 0)
:local a true
:local b false
:put (a&&b)
# expect: true
# expect: false
