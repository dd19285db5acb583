# source: routeros-scripting.md §4.1 (visibility ends at the closing brace) [D HELP] [O lsp d6]
{ :local x 1 }
:put [:typeof $x]
# expect: nothing
