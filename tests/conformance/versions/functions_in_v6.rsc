# source: routeros-scripting.md §10 (functions do={} since v6.2) [D HELP]
# version: 6.43
:global f do={ :return ($1 + 1) }
:put [$f 1]
# expect: 2
