# source: HELP Scripting manual (help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting) ":onerror" (":onerror errorName in={ :error \"failure\" } do={ :put \"Critical $errorName\" }"; returns false without an error and true with one) [D]
:onerror errorName in={ :error "failure" } do={ :put "Critical $errorName" }
:put [:onerror e in={ :put "fine" } do={ :put "never" }]
:put [:onerror e in={ :error "x" } do={ :put "caught" }]
# expect: Critical failure
# expect: fine
# expect: false
# expect: caught
# expect: true
