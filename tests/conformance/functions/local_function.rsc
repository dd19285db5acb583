# source: routeros-scripting.md §4.4 (local functions work too) [D HELP]
:local sq do={ :return ($1 * $1) }
:put [$sq 4]
# expect: 16
