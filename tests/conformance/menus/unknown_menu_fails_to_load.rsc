# source: platform.md §4.3 (/user-manager on v6 … are load-time errors) [INF]
/user-manager user print
# expect-load-error: bad command name user-manager (line 2 column 2)
