# source: routeros-scripting.md §5, §10 (:break/:continue v7) [I]
# version: 6.49
:for i from=1 to=2 do={ :break }
# expect-load-error: bad command name break (line 3 column 26)
