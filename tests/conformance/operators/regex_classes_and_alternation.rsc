# source: routeros-scripting.md §3 (POSIX ERE; [:digit:] reportedly unsupported [I])
:put ("2026-11-30" ~ "^[0-9]{4}-[0-9]{2}-[0-9]{2}\$")
:put ("nov/30/2026" ~ "^(jan|feb|nov)/")
:put ("x1" ~ "[[:digit:]]")
# expect: true
# expect: true
# expect: true
