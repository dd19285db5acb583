# source: routeros-scripting.md §7 (bodies of :if start in the current menu but cannot change it) [O lsp]
/system identity
:if (true) do={ /system clock }
:put [get name]
# expect: MikroTik
