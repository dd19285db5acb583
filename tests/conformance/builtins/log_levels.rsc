# source: HELP Scripting manual ":log info|warning|error|debug"; routeros-scripting.md §5 (/log info is the same command) [D] [O lsp p23]
:log info "hello"
:log warning ("w" . 1)
/log error "e"
:log debug "d"
# expect-log: info hello
# expect-log: warning w1
# expect-log: error e
# expect-log: debug d
