# source: HELP Scripting manual "Constant Escape Sequences"; routeros-scripting.md §1.5 [D]
:put "a\"b"
:put "back\\slash"
:put "\48\45\4C\4C\4F"
:put [:len "\n\r\t"]
:put "dollar\$"
:put "x\_y"
# expect: a"b
# expect: back\slash
# expect: HELLO
# expect: 3
# expect: dollar$
# expect: x y
