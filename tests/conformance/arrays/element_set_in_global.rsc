# source: routeros-scripting.md §2.3, §4.3 (arrays in globals) [D HELP] [I]
:global G ({})
:set ($G->"k") 1
:global G
:put ($G->"k")
# expect: 1
