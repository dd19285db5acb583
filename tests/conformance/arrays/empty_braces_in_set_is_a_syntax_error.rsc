# source: TIPS "How to define empty array" (:global array {} is a syntax error) [D]; that :set and :local treat a bare {} the same way is [I] (the same value parameter)
:local a ({})
:set a {}
# expect-load-error: syntax error (line 3 column 10)
