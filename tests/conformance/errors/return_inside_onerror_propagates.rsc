# source: HELP Scripting manual ":onerror" (:return and :error inside the blocks propagate) [D]
:local f do={ :onerror e in={ :return "early" } do={}; :return "late" }
:put [$f]
# expect: early
