# source: routeros-scripting.md §7 (/ip address print space separated works in v6 and v7) [D HELP]
# version: 6.49
:put [/system identity get name]
# expect: MikroTik
