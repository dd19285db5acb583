# source: HELP Scripting manual ":serialize" (the JSON form of nil is not stated) [D]; emulator refuses what no source states
:local x
:put [:serialize to=json value={1;$x}]
# expect-refusal: a value of type nil is not modelled
