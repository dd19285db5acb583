# source: routeros-scripting.md §2.3 (({1;2},3) gives 1;2;3; ("a","b") builds an array) [D HELP] [FORUM 152405]
:put ({1;2},3)
:put [:len ({1;2},3)]
:put [:typeof ("a","b")]
# expect: 1;2;3
# expect: 3
# expect: array
