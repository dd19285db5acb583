# source: routeros-scripting.md §10 (:deserialize JSON in 7.13) [EW bb237dce]; HELP ":deserialize" [D]
# version: 7.13
:put ([:deserialize from=json "{\"a\":[1,2]}"]->"a")
# expect: 1;2
