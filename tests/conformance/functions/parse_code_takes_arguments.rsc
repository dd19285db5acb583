# source: routeros-scripting.md §4.4 (functions via :parse) [D HELP]
:local c [:parse ":put \$1"]
$c xyz
# expect: xyz
