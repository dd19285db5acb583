# source: HELP Scripting manual "Keywords" (RouterOS 7: "and or in"; not is not listed) [D]; routeros-scripting.md §10 (v7 lists only and, or, in)
# version: 7.16
:local not 1
:put $not
# expect: 1
