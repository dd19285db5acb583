# source: routeros-scripting.md §3, §11.10 ($ must be written \$ in the pattern) [D HELP]
:put ("abc" ~ "c\$")
:put ("abcd" ~ "c\$")
# expect: true
# expect: false
