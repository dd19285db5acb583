# source: routeros-scripting.md §1.5 (strings are byte strings, :len counts bytes) [I]; HELP Scripting manual "\\XX" escapes [D]
:put [:len "\E2\9D\A4"]
:put [:len "héllo"]
# expect: 3
# expect: 6
