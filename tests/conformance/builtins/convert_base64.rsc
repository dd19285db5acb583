# source: HELP Scripting manual ":convert" ([:convert "abcd" to=base64] gives YWJjZA==); routeros-scripting.md §6 [D]
# xfail: :convert is not emulated yet
:put [:convert "abcd" to=base64]
# expect: YWJjZA==
