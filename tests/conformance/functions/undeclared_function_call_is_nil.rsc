# source: TIPS "Running function from another function" (help.mikrotik.com Scripting Tips and Tricks): [$test $x] inside a function without ":global test" — "output will be: typeof = nil testets_res=" [D]
:global test do={ :return ($1 + 1) }
:global testtest do={ :local x 5; :local y [$test $x]; :put "typeof = $[:typeof $y]"; :put "testets_res=$y" }
$testtest
:global testtest do={ :global test; :local x 5; :local y [$test $x]; :put "typeof = $[:typeof $y]"; :put "testets_res=$y" }
$testtest
# expect: typeof = nil
# expect: testets_res=
# expect: typeof = num
# expect: testets_res=6
