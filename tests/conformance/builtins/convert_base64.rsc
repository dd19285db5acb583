# source: HELP Scripting manual ":convert" ([:convert "abcd" to=base64] gives YWJjZA==); routeros-scripting.md §6 [D]
:put [:convert "abcd" to=base64]
:put [:convert "YWJjZA==" from=base64]
# expect: YWJjZA==
# expect: abcd
