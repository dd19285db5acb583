# source: HELP Scripting manual ":serialize"; routeros-scripting.md §6 [D] [O fx 178959]
# xfail: :serialize/:deserialize are not emulated yet
:put [:serialize to=json {1;2}]
# expect: [1,2]
