# source: HELP Scripting manual ":break"; routeros-scripting.md §5 (v7) [D HELP]
:local i 0
:while (true) do={ :set i ($i + 1); :if ($i = 3) do={ :break } }
:put $i
:foreach v in={1;2;3} do={ :if ($v = 2) do={ :break }; :put $v }
# expect: 3
# expect: 1
