# source: HELP Scripting manual ":retry" ("Try to execute the given command \"max\" amount of times with a given \"delay\" in seconds between tries. On failure, execute the command in the do={} block"; example with :onerror … do={:put "got error"}) [D]; "delay: additional delay between retries" [O db 7.21.4]
:global tries 0
:local took [:time {
  :onerror e in={ :retry command={ :set tries ($tries + 1); :error "still failing" } delay=2 max=3 } do={ :put "got error" }
}]
:put $tries
:put $took
# expect: got error
# expect: 3
# expect: 00:00:04
