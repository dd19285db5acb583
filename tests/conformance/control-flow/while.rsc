# source: HELP Scripting manual ":while"; routeros-scripting.md §5 [D]
:local i 0
:while ($i < 3) do={ :put $i; :set i ($i + 1) }
# expect: 0
# expect: 1
# expect: 2
