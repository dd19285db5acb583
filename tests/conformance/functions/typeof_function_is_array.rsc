# source: routeros-scripting.md §2 (a function is an array of 2 whose element 1 is code) [O fx 163557] [EW 2db73a18]
:global f do={ :return 1 }
:put [:typeof $f]
:put [:len $f]
:put [:typeof ($f->1)]
# expect: array
# expect: 2
# expect: code
