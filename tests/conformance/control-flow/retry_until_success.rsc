# source: O db 7.21.4 (":retry — repeatedly executes command until it succeeds"; max "maximum number of retries"); EW backup-email.rsc waits with ":retry { … :error … } delay=1s max=120" [EW]; the value of a successful try is [I]
:global n 0
:retry { :set n ($n + 1); :if ($n < 3) do={ :error "not yet" } } delay=500ms max=50
:put $n
# expect: 3
