# source: routeros-scripting.md §7 (errors raised by menu commands are ordinary runtime errors) [D HELP]
:do { /ip address remove *99 } on-error={ :put "caught" }
:onerror e in={ /ip address remove *99 } do={ :put $e }
# expect: caught
# expect: no such item
