# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) ":convert" (":put [convert transform=lc \"AAA\"]" prints aaa; from=hex to=raw gives the text, MikroTik in the manual's DHCP option example) [D]
:put [:convert transform=lc "AAA"]
:put [:convert "4D696B726F54696B" from=hex to=raw]
:put [:convert transform=ucfirst "mikrotik"]
# expect: aaa
# expect: MikroTik
# expect: Mikrotik
