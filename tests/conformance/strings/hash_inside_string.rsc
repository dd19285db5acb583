# source: routeros-scripting.md §1.2 (# inside a string is literal) [D HELP]
:put "a # b"
# expect: a # b
