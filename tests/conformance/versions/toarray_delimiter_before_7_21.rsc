# source: routeros-scripting.md §10 (:toarray delimiter= 7.21) [EW cae039ef]
# version: 7.20
:put [:toarray "a;b" delimiter=";"]
# expect-load-error: expected end of command (line 3 column 22)
