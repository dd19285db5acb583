# source: HELP Scripting manual ":deserialize" (what JSON null becomes is not stated) [D]; emulator refuses what no source states
:put [:deserialize from=json "[null]"]
# expect-refusal: JSON null is not modelled
