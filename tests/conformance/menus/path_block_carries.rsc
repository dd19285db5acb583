# source: routeros-scripting.md §7 (/ip { route } and statement-level { /ip route } carry the path) [O lsp]
/system { identity }
:put [get name]
{ /system clock }
:put [get time]
# expect: MikroTik
# expect: 23:55:00
