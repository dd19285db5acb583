# source: routeros-scripting.md §5 ("bad command name X" is raised late, at run time, not by :parse) [O il]
:local c [:parse ":foo"]
:put "parsed"
:onerror e in={ $c } do={ :put $e }
# expect: parsed
# expect: bad command name foo (line 1 column 2)
