# source: routeros-scripting.md §2.4 (split on commas, "" is empty) [D HELP] [D TIPS]
:local a [:toarray "a,b,c"]
:put [:len $a]
:put ($a->1)
:put [:len [:toarray ""]]
# expect: 3
# expect: b
# expect: 0
