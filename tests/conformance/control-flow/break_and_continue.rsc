# source: HELP Scripting manual ":break/:continue"; routeros-scripting.md §5 (v7) [D HELP] [O lsp]
:for i from=1 to=5 do={ :if ($i = 2) do={ :continue }; :if ($i = 4) do={ :break }; :put $i }
:put "after"
# expect: 1
# expect: 3
# expect: after
