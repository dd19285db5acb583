# source: HELP Scripting manual ":tonsec 10:00"; routeros-scripting.md §2.2 [D]
:put [:tonsec 10:00]
:put [:tonsec 1ms]
# expect: 36000000000000
# expect: 1000000
