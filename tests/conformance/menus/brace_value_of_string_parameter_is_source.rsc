# source: routeros-scripting.md §1.8 (source={ … } is the source text) [D HELP/TIPS examples]
/system script add name=s source={:put "in script"}
/system script run s
# expect: in script
