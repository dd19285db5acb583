# source: HELP Scripting manual ":put"; routeros-scripting.md §1.9 (:put takes 1 unnamed argument) [D] [O lsp]
:put ""
:put [:nothing]
:put {1;2}
# expect:
# expect:
# expect: 1;2
