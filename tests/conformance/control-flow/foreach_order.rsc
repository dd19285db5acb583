# source: HELP Scripting manual arrays ({2;"aX"=1;y=2;5} iterates 0=2,1=5,aX=1,y=2); routeros-scripting.md §2.3 [D]
:foreach k,v in={2;"aX"=1;y=2;5} do={ :put "$k=$v" }
# expect: 0=2
# expect: 1=5
# expect: aX=1
# expect: y=2
