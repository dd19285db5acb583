# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) "Bitwise Operators" examples: ($IP&$CIDRnetmask), (192.168.88.77&0.0.0.255), broadcast ($Network|$InvertedCIDR) with InvertedCIDR (~$CIDRnetmask) [D]
:local IP 192.168.88.77
:local Network 192.168.88.0
:local CIDRnetmask 255.255.255.0
:local InvertedCIDR (~$CIDRnetmask)
:put ($IP & $CIDRnetmask)
:put (192.168.88.77 & 0.0.0.255)
:put ($Network | $InvertedCIDR)
# expect: 192.168.88.0
# expect: 0.0.0.77
# expect: 192.168.88.255
