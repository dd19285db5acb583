# source: EW global-functions.rsc $CharacterReplace (a :while loop on [:typeof [:find $s $from]] != "nil", joining [:pick $s 0 $pos] and the rest) [EW 608499bc]; :find/:pick per HELP [D]; own code
:local s "a//b//c"
:local out ""
:while ([:typeof [:find $s "//"]] != "nil") do={
  :local pos [:find $s "//"]
  :set out ($out . [:pick $s 0 $pos] . "/")
  :set s [:pick $s ($pos + 2) [:len $s]]
}
:put ($out . $s)
# expect: a/b/c
