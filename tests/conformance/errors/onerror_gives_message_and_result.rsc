# source: HELP Scripting manual ":onerror" (true on error, $e is the message); routeros-scripting.md §5 [D] [FORUM 172543]
:put [:onerror e in={ :error "x" } do={ :put "got $e" }]
:put [:onerror e in={ :put "fine" } do={ :put "never" }]
:onerror Err { :error "inline" } do={ :put $Err }
# expect: got x
# expect: true
# expect: fine
# expect: false
# expect: inline
