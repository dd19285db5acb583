# source: HELP Scripting manual ":toid"; routeros-scripting.md §2.4 [D]
:put [:toid "*FF"]
:put [:typeof [:toid "nope"]]
# expect: *FF
# expect: nil
