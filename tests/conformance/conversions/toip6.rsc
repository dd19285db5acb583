# source: HELP Scripting manual ":toip6"; routeros-scripting.md §2.4 [D]
:put [:toip6 "2001:db8::1"]
:put [:typeof [:toip6 "2001:db8::1"]]
# expect: 2001:db8::1
# expect: ip6
