# source: tikoci parseIL ($f a compiles to (<%% $f (> $f);a)) [O il]; quoted code (>…) has :typeof op [O fx 163557]; EW logs $0 with [ :tostr $0 ] / $LogPrint … $0 [EW]. That $0's type is op is [I] from the two
:global f do={ :put [:typeof $0]; :put [:tostr $0]; :put ($0 = "f"); :put ([:tostr $0] = "\$f") }
$f
# expect: op
# expect: $f
# expect: false
# expect: true
