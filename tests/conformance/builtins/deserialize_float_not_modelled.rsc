# source: HELP Scripting manual ":deserialize" (RouterOS numbers are 64-bit integers [D HELP "Data types"]; what a JSON fraction becomes is not stated) [D]
:put [:deserialize from=json "[1.5]"]
# expect-refusal: the JSON number 1.5 is not modelled
