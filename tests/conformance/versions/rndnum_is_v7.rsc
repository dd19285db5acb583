# source: routeros-scripting.md §10 (:rndnum 7.1) [I] [EW 0562198c]
# version: 6.49
:put [:rndnum from=1 to=1]
# expect-load-error: bad command name rndnum (line 3 column 8)
