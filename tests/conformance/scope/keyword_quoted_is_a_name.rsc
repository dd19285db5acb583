# source: HELP Scripting manual "Variables" (a double-quoted name may contain anything: :global "my-var") [D]; that a quoted keyword is allowed too is [I]
:local "or" 5
:put $"or"
# expect: 5
