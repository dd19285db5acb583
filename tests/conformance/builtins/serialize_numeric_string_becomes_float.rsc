# source: HELP Scripting manual ":serialize" example (https://help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting): {"number"=1234;"string"="1234"} gives {"number":1234,"string":1234.000000}, and with options=json.no-string-conversion {"number":1234,"string":"1234"} [D]; "0000000" gives 0.000000 [O fx 178959]
:global var ({"string"="1234"; "number"=1234})
:put [:serialize to=json value=$var]
:put [:serialize to=json value=$var options=json.no-string-conversion]
:put [:serialize to=json value={"0000000"}]
# expect: {"number":1234,"string":1234.000000}
# expect: {"number":1234,"string":"1234"}
# expect: [0.000000]
