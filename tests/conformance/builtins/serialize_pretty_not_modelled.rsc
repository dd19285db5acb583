# source: HELP Scripting manual ":serialize" (options=json.pretty "makes the JSON output more visually appealing": the layout is not stated) [D]; emulator refuses what no source states
:put "before"
:put [:serialize to=json value={1;2} options=json.pretty]
# expect: before
# expect-refusal: options=json.pretty is not modelled
