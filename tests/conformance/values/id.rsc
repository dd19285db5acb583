# source: HELP Scripting manual "Data types"; routeros-scripting.md §2 (id from :toid) [D] [I]
:put [:typeof [:toid "*1A"]]
:put [:toid "*1a"]
# expect: id
# expect: *1A
