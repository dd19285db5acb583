# source: platform.md §4.3 (unknown parameters fail at load) [INF]
:put 1
/ip address add foo=1
# expect-load-error: expected end of command (line 3 column 17)
