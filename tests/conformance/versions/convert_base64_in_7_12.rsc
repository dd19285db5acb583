# source: HELP Scripting manual ":convert" ([:convert "abcd" to=base64] gives YWJjZA==) [D]; routeros-scripting.md §6, §10 (7.12)
# version: 7.12
:put [:convert "abcd" to=base64]
# expect: YWJjZA==
