# source: HELP Scripting manual ":do … on-error"; routeros-scripting.md §5 [D]
:do { :error "boom"; :put "not here" } on-error={ :put "caught" }
:put "after"
# expect: caught
# expect: after
