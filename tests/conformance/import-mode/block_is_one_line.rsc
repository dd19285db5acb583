# source: routeros-scripting.md §4.2 (a { } block spanning lines counts as one line) [O lsp]
# mode: import
{
  :local a 1
  :put $a
}
# expect: 1
