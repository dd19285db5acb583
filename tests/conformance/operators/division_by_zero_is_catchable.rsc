# source: routeros-scripting.md §2.1 (division by zero raises a catchable runtime error) [O fx 174380]
:do { :put (1 / 0) } on-error={ :put "caught" }
# expect: caught
