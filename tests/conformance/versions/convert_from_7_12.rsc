# source: routeros-scripting.md §10 (:convert ~7.12; transform= 7.12beta1) [EW] [FORUM 169237]; emulator/version.py has_convert
# version: 7.11
:put [:convert "abcd" to=base64]
# expect-load-error: bad command name convert (line 3 column 8)
