# source: WIKI6 Manual:Scripting "Keywords" ("The following words are keywords and cannot be used as variable and function names: and or not in") [D]; the current manual lists and, or, in [D HELP]
# version: 6.49
:local not 1
# expect-load-error: syntax error (line 3 column 8)
