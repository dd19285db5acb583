# source: routeros-scripting.md §11.18 (runtime error stops the script at that line unless caught) [D HELP]
:put 1
:put (1 / 0)
:put 2
# expect: 1
# expect-error: division by zero
