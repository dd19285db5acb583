# source: HELP Scripting manual ":convert" ([:convert 001 to=hex] gives 31: "001" auto-parses as 1); routeros-scripting.md §6 [D] [O fx 169237]
:put [:convert 001 to=hex]
:put [:convert "4D696B726F54696B" from=hex]
:put [:convert "abc" transform=uc]
# expect: 31
# expect: MikroTik
# expect: ABC
