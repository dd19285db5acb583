# source: TIPS "How to define empty array" (":global array {}" gives "syntax error (line 1 column 17)"; use [:toarray ""]) [D]; routeros-scripting.md §2.3
:global array {}
# expect-load-error: syntax error (line 2 column 17)
