# source: routeros-scripting.md §5 (:delay 5s, 500ms, a number means seconds, no argument 1s) [O db] [O fx 179598]
:put [:time {:delay 2s; :delay 500ms; :delay 1; :delay}]
# expect: 00:00:04.500
