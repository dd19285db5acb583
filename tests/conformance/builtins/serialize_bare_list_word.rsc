# source: HELP Scripting manual ":serialize" example: ":put [:serialize value=a,b,c to=json]" prints ["a","b","c"] [D]
# xfail: a bare word with commas (value=a,b,c) is one string to the emulator, an array to RouterOS; it serializes as "a,b,c"
:put [:serialize value=a,b,c to=json]
# expect: ["a","b","c"]
