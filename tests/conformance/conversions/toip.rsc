# source: HELP Scripting manual ":toip"; routeros-scripting.md §2.4 [D]
:put [:toip "1.2.3.4"]
:put [:typeof [:toip "1.2.3.4"]]
:put [:typeof [:toip "x"]]
# expect: 1.2.3.4
# expect: ip
# expect: nil
