# source: routeros-scripting.md §4.1 (in :local a $a the right-hand $a is not the new a) [O lsp]
{ :local a 5; { :local a ($a + 1); :put $a } }
# expect: 6
