# source: routeros-scripting.md §2.3 (({}) is accepted in v7; [:toarray ""]) [O lsp] [D TIPS]
:put [:len ({})]
:put [:typeof ({})]
:local a ({})
:put [:len $a]
# expect: 0
# expect: array
# expect: 0
