# source: TIPS "How to remove variables" (:global myVar 1; :set myVar — the environment no longer lists it) [D]; HELP "Set command without value will un-define the variable" [D]
:global myVar 1
:set myVar
:global myVar
:put [:typeof $myVar]
# expect: nothing
