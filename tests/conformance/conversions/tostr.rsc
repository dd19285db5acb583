# source: routeros-scripting.md §2.4 (nil/nothing become "", arrays join with ;) [D TIPS] [I]
:put [:typeof [:tostr 5]]
:put [:tostr {1;2;3}]
:local n
:put ("[" . [:tostr $n] . "]")
:put [:tostr 1.2.3.4/32]
# expect: str
# expect: 1;2;3
# expect: []
# expect: 1.2.3.4/32
