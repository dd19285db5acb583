# source: platform.md §4.3 (unknown command paths are errors at load time) [INF] [SEEN]
:put 1
/ip adress print
# expect-load-error: bad command name adress (line 3 column 5)
