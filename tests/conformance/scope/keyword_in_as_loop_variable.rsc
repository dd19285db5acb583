# source: HELP Scripting manual "Keywords" (and, or, in cannot be variable names) [D]; the :for counter is a variable [D HELP "Loops"]
:for in from=1 to=2 do={ :put $in }
# expect-load-error: syntax error (line 2 column 6)
