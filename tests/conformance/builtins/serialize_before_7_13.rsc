# source: routeros-scripting.md §10 (:serialize / :deserialize JSON from 7.13) [EW bb237dce]; generator/dialects.py has_serialize
# version: 7.12
:put [:serialize to=json {1}]
# expect-load-error: bad command name serialize (line 3 column 8)
