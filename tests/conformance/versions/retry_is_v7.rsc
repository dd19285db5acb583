# source: routeros-scripting.md §10 (:retry is v7, exact version unknown) [O db]; emulator/version.py has_v7_script_commands
# version: 6.49
:retry { :put 1 } delay=1 max=1
# expect-load-error: bad command name retry (line 3 column 2)
