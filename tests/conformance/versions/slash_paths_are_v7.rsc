# source: routeros-scripting.md §7, §10 (slash paths v7 only) [I]
# version: 6.49
:put [/system/identity/get name]
# expect-load-error: bad command name system/identity/get (line 3 column 8)
