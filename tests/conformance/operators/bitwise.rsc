# source: HELP Scripting manual "Operators" (bitwise on ip; on num per 2025 docs, EW) [D] CONFLICT resolved as num works
:put (192.168.1.77 & 255.255.255.0)
:put (0xffff >> 4)
:put (1 << 4)
:put (~0.0.0.255)
:put (5 ^ 1)
:put (4 | 1)
# expect: 192.168.1.0
# expect: 4095
# expect: 16
# expect: 255.255.255.0
# expect: 4
# expect: 5
