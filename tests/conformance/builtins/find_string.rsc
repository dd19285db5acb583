# source: HELP Scripting manual ":find"; routeros-scripting.md §6, §11.4 (nil when not found; start exclusive, -1 from the beginning) [D] [O fx 171425] [I]
:put [:find "abc" "a" -1]
:put [:typeof [:find "abc" "z"]]
:put [:find "abcabc" "a" 0]
:put [:find "abc" "c"]
# expect: 0
# expect: nil
# expect: 3
# expect: 2
