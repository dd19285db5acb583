# source: HELP Scripting manual arrays (a key with other than lowercase letters must be quoted); routeros-scripting.md §2.3 [D]
:local a {"a-b"=1;"aX"=2}
:put ($a->"a-b")
:put ($a->"aX")
# expect: 1
# expect: 2
