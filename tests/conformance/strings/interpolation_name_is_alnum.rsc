# source: routeros-scripting.md §1.6 ("$a_b" is $a then _b) [O lsp]
:local a "A"
:put "$a_b"
:put "$a-b"
# expect: A_b
# expect: A-b
