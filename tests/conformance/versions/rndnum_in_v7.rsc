# source: HELP Scripting manual ":rndnum from=1 to=99"; routeros-scripting.md §6 [D]
# version: 7.16
:local n [:rndnum from=1 to=99]
:put ($n >= 1 && $n <= 99)
:put [:len [:rndstr length=8]]
# expect: true
# expect: 8
