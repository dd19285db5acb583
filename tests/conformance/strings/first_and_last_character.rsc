# source: EW global-functions.rsc path cleanup ([:pick $Path 0] = "/", [:pick $Path ([:len $Path] - 1)] = "/", [:pick $Path 1 [:len $Path]]) [EW 608499bc]; HELP :pick without end returns one element [D]
:local path "/dir/sub/"
:put [:pick $path 0]
:put [:pick $path ([:len $path] - 1)]
:put [:pick $path 1 ([:len $path] - 1)]
# expect: /
# expect: /
# expect: dir/sub
