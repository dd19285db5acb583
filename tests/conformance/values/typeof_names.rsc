# source: routeros-scripting.md §2 :typeof table [D HELP] [O fx]
:put [:typeof "x"]
:put [:typeof {1}]
:put [:typeof [:parse ":put 1"]]
:put [:typeof ::1/64]
# expect: str
# expect: array
# expect: code
# expect: ip6-prefix
