# source: routeros-scripting.md §3 (("a" . "b" = "ab") is (("a"."b")="ab")) [O lsp tests]
:put ("a" . "b" = "ab")
# expect: true
