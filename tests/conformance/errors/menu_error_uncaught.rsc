# source: routeros-scripting.md §7, §11.18 (a runtime error stops the script at that line) [D HELP]
:put 1
/ip address remove *99
:put 2
# expect: 1
# expect-error: no such item
