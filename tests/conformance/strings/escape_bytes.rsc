# source: routeros-scripting.md §1.5 (\a \b \v \XX) [D HELP]
:put ("\a\b\v" = "\07\08\0B")
:put [:len "\E2\9D\A4"]
# expect: true
# expect: 3
