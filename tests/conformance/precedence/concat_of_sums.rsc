# source: routeros-scripting.md §3 precedence (* / % above + - above . and ,) [O lsp O-01]; HELP "Concatenation Operators" [D]
:put (1 + 2 . 3 * 4)
:put (2 * 3 . "")
:put (1 , 2 + 3)
# expect: 312
# expect: 6
# expect: 1;5
