# source: routeros-scripting.md §10 (:onerror 7.13) [FORUM 172543]
# version: 7.12
:onerror e in={} do={}
# expect-load-error: bad command name onerror (line 3 column 2)
