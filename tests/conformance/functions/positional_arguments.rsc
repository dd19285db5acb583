# source: HELP Scripting manual "Functions" ($1 $2; $0 is the name [I: without $]); routeros-scripting.md §4.4
:global greet do={ :put "$0 says $1 $2" }
$greet hello world
# expect: greet says hello world
