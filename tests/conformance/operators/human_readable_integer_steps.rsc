# source: EW global-functions.rsc $HumanReadableNum (integer steps ($Input * 100 / $Pow), then ($Tmp1 / 100) and ($Tmp1 % 100)) [EW 608499bc]; integer division truncates [I]; own code
:local input 1536
:local tmp1 ($input * 100 / 1024)
:put $tmp1
:put (($tmp1 / 100) . "." . ($tmp1 % 100) . "Ki")
# expect: 150
# expect: 1.50Ki
