# source: HELP Scripting manual ":foreach"; routeros-scripting.md §5 [D]
:foreach v in={"a";"b"} do={ :put $v }
:foreach v in=({}) do={ :put "never" }
# expect: a
# expect: b
