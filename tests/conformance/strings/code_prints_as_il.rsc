# source: routeros-scripting.md §2 (a function prints as ;(evl …)) [O fx 163557]
# xfail: code prints as (code), not RouterOS's compiled IL
:global f do={ :return 1 }
:put $f
# expect: ;(evl (evl /returnvalue=1))
