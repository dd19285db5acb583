# source: HELP Scripting manual ":do { … } on-error={ … }"; EW uses "} on-error={ }" throughout [EW]; an empty code block is not an array literal [O lsp]
:do { :error "x" } on-error={}
:local f do={}
:put "ran"
# expect: ran
