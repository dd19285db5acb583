# source: HELP Scripting manual ("If a variable is initially defined without value then variable data type is set to nil"); arithmetic on nil is not stated [D], so the emulator refuses [I]
:local x
:put [:typeof $x]
:put (3 + $x)
# expect: nil
# expect-refusal: (num + nil) is not modelled
