# source: HELP Scripting manual ":if"; routeros-scripting.md §5 [D]
:if (1 < 2) do={ :put "yes" } else={ :put "no" }
:if (false) do={ :put "yes" } else={ :put "no" }
:if (false) do={ :put "never" }
# expect: yes
# expect: no
