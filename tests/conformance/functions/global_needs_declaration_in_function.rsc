# source: TIPS "Accessing global variable from function": without ":global myVar" inside the function the output is "global var=", with it "global var=test" [D]
:global myVar "test"
:global myFunc do={ :put "global var=$myVar" }
[$myFunc]
:global myFunc do={ :global myVar; :put "global var=$myVar" }
[$myFunc]
# expect: global var=
# expect: global var=test
