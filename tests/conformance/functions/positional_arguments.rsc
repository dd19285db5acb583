# source: HELP Scripting manual "Functions" ($1 $2 …); forum.mikrotik.com/t/154024 post 1: ":set $hello do={:put \"$0 $1\"}; $hello world" prints "$hello world" [O fx]; RouterOS compiles "$hello world" as (<%% $hello (> $hello);world): $0 is the called variable quoted [O il, tikoci parseIL 7.20.8/7.22.1]
:global greet do={ :put "$0 says $1 $2" }
$greet hello world
[$greet hi there]
# expect: $greet says hello world
# expect: $greet says hi there
