# source: HELP Scripting manual ":parse" (syntax error (line L column C)); routeros-scripting.md §5 [D] [EW ValidateSyntax]
:onerror e in={ :local c [:parse ":put ("] } do={ :put $e }
# expect: syntax error (line 1 column 6)
