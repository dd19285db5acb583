# source: EW global-functions.rsc $EitherOr / $FormatLine ([:tonum $3] of a missing argument, then a default when it is not set) [EW 608499bc]; HELP "the output will be empty … nil" for failed conversions [D]; :tonum of nothing is [I]
:local f do={ :local indent [:tonum $3]; :put [:typeof $indent]; :if ([:typeof $indent] != "num") do={ :set indent 16 }; :put $indent }
$f a b
$f a b 4
# expect: nil
# expect: 16
# expect: num
# expect: 4
