# source: HELP Scripting manual ":jobname"; routeros-scripting.md §5 (by 7.12) [EW 1d4f4d00]
# version: 7.12
:put [:jobname]
# expect: case
