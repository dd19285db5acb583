# source: routeros-scripting.md §2.3 ("v: " . {"c";"d"} gives v: c;v: d) [D TIPS]
:put ("v: " . {"c";"d"})
# expect: v: c;v: d
