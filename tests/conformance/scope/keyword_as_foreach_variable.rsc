# source: HELP Scripting manual "Keywords" (and, or, in cannot be variable names) [D]; the :foreach variable is a variable [D HELP "Loops"]
:foreach in in={1;2} do={ :put $in }
# expect-load-error: syntax error (line 2 column 10)
