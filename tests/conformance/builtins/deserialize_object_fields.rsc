# source: HELP Scripting manual ":deserialize" (JSON objects become keyed arrays) [D]; EW mod/notification-telegram.rsc reads ($JSON->"result"->"message_id") and mode-button.rsc adds 1 to ->"count" [EW 608499bc]; JSON true is bool [I]
:local d [:deserialize from=json "{\"result\":{\"message_id\":41},\"ok\":true,\"count\":2}"]
:put ($d->"result"->"message_id")
:put (($d->"count") + 1)
:put [:typeof ($d->"ok")]
# expect: 41
# expect: 3
# expect: bool
