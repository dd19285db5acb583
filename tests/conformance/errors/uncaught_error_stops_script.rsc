# source: HELP Scripting manual ":error"; routeros-scripting.md §5 (:error stops the script) [D]
:put 1
:error "boom"
:put 2
# expect: 1
# expect-error: boom
