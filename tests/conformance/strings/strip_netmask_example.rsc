# source: HELP Scripting examples (help.mikrotik.com/docs/spaces/ROS/pages/139067404/Scripting+examples) "Strip netmask" (:global ipaddress 10.1.101.1/24; a :for loop from [:len $ipaddress]-1 down to 0 finds "/" with :pick, or [:pick $ipaddress 0 [:find $ipaddress "/"]]: the address without its netmask) [D]; an ip-prefix is picked and searched as its text [I]
:global ipaddress 10.1.101.1/24
:for i from=([:len $ipaddress] - 1) to=0 do={ :if ([:pick $ipaddress $i] = "/") do={ :put [:pick $ipaddress 0 $i] } }
:put [:pick $ipaddress 0 [:find $ipaddress "/"]]
:put [:len $ipaddress]
# expect: 10.1.101.1
# expect: 10.1.101.1
# expect: 13
