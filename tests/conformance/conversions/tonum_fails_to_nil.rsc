# source: HELP Scripting manual "conversion … output will be empty … nil"; routeros-scripting.md §2.4 [D] [I: ""]
:put [:typeof [:tonum "abc"]]
:put [:typeof [:tonum "23.8"]]
:put [:typeof [:tonum "cow&chicken"]]
:put [:typeof [:tonum ""]]
# expect: nil
# expect: nil
# expect: nil
# expect: nil
