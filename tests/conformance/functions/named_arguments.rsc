# source: HELP Scripting manual "Functions" ($add a=6 b=2); routeros-scripting.md §4.4 [D]
:global add do={ :return ($a + $b) }
:put [$add a=6 b=2]
# expect: 8
