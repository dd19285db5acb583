# source: routeros-scripting.md §1.8 ([ ] is the value of its command) [D HELP] [I for :if]
:local f do={ :if ($1 = 1) do={ :return "one" }; :return "other" }
:put [$f 1]
:put [$f 2]
# expect: one
# expect: other
