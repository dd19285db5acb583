# source: O db 7.21.4 (:retry on-error: "execute if retry fails to successfully execute command"); routeros-scripting.md §5 ":retry command={…} delay=1 max=2 on-error={…}" [D HELP 2025]
:retry command={ :error "x" } delay=1 max=2 on-error={ :put "handler ran" }
:put "after"
# expect: handler ran
# expect: after
