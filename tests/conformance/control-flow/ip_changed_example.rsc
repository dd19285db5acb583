# source: HELP Scripting examples (help.mikrotik.com/docs/spaces/ROS/pages/139067404/Scripting+examples) "Check if IP on the interface has changed" (:global currentIP; :if ($newIP != $currentIP) do={ :put "ip address $currentIP changed to $newIP"; :set currentIP $newIP }) [D]; a first run compares with the unset global [I: nothing != a value is true]
:global currentIP
:local newIP 10.0.0.5/24
:if ($newIP != $currentIP) do={ :put "ip address $currentIP changed to $newIP"; :set currentIP $newIP }
:if ($newIP != $currentIP) do={ :put "changed again" } else={ :put "unchanged" }
# expect: ip address  changed to 10.0.0.5/24
# expect: unchanged
