# source: routeros-scripting.md §5 (the loop variable is a local of the body) [O lsp d7]
:for i from=1 to=2 do={}
:put [:typeof $i]
# expect: nothing
