# source: HELP Scripting manual ":serialize" (keyed arrays become JSON objects; the example's keys come out in the array's sorted order) [D]; EW mode-button.rsc writes ({ count=1 }) as a scheduler comment and reads ->"count" back [EW 608499bc]; bool as JSON true/false [I]
:put [:serialize to=json ({ count=1 })]
:put [:serialize to=json ({ zeta=true; alpha="x" })]
# expect: {"count":1}
# expect: {"alpha":"x","zeta":true}
