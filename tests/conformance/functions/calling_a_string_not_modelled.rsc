# source: routeros-scripting.md §4.4 (functions are code or arrays {nil; code}); calling a str is not documented [I], so the emulator refuses
:local s "text"
:put "before"
$s
# expect: before
# expect-refusal: calling a value of type str (not code) is not modelled
