# source: EW global-functions.rsc $FormatLine / right alignment ([:pick $Spaces 0 ($Len - [:len $Input])] . $Input; a negative end gives "") [EW 608499bc]; routeros-scripting.md §6 :pick [I]
:local spaces "        "
:foreach v in={"7"; "1234"; "123456789"} do={ :put ([:pick $spaces 0 (6 - [:len $v])] . $v) }
# expect:      7
# expect:   1234
# expect: 123456789
