# source: routeros-scripting.md §1.1 (any unambiguous prefix: /ip addr pr, :pu) [O lsp C-10]
:pu [/sys ide get name]
# expect: MikroTik
