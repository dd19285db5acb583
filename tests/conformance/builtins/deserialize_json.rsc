# source: HELP Scripting manual ":deserialize" example: [:deserialize from=json value="[\"a\",\"b\",\"c\"]"] prints a;b;c [D]; routeros-scripting.md §6
:put [:deserialize from=json value="[\"a\",\"b\",\"c\"]"]
:put [:len [:deserialize from=json value="[\"a\",\"b\",\"c\"]"]]
# expect: a;b;c
# expect: 3
