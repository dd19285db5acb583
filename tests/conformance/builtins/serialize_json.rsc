# source: HELP Scripting manual ":serialize" (to=json; a list array is a JSON array); routeros-scripting.md §6 [D] [O fx 178959]
# version: 7.16
:put [:serialize to=json {1;2}]
:put [:serialize to=json value={"a";"b";"c"}]
# expect: [1,2]
# expect: ["a","b","c"]
