# source: routeros-scripting.md §6, §10 (:timestamp present by 7.12beta) [HABR] [O fx]
# version: 7.12
:put [:typeof [:timestamp]]
# expect: time
