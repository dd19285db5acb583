# source: HELP Scripting manual arrays (list elements first, then keys alphabetically); routeros-scripting.md §2.3 [D]
:put {2;"aX"=1;y=2;5}
# expect: 2;5;aX=1;y=2
