# source: routeros-scripting.md §4.4 ([$f prefix=mr hello world] gives $1=hello) [D HELP] [O fx 154024]
:global f do={ :put "$prefix $1 $2" }
$f prefix=mr hello world
# expect: mr hello world
