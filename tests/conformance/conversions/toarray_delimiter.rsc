# source: routeros-scripting.md §2.4, §10 (:toarray delimiter= from 7.21) [O fx EW cae039ef]
# version: 7.21
:put [:len [:toarray "a;b;c" delimiter=";"]]
# expect: 3
