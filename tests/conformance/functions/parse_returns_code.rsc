# source: HELP Scripting manual ":parse"; routeros-scripting.md §5 (:parse returns code, $f runs it) [D] [O fx 156147]
:local c [:parse ":put hi"]
$c
:put [:typeof $c]
# expect: hi
# expect: code
