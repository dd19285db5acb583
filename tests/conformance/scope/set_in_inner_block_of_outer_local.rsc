# source: routeros-scripting.md §4.1 (:set needs the name in the same or an enclosing block) [O lsp V-01..V-05]
:local a 1
{ { :set a 5 } }
:put $a
# expect: 5
