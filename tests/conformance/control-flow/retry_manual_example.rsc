# source: HELP Scripting manual ":retry" (2026-05 snapshot): ":onerror e {:retry command={abc} delay=1 max=2} do={:put \"got error\"}" prints "got error" [D]
# xfail: CONFLICT: the emulator refuses the unknown command abc when the script loads (a bad command name fails the whole script [SEEN]; EW DeviceInfo wraps a possibly missing menu in [:parse] for that reason), so nothing runs; the manual's output implies the command block is compiled late
:onerror e {:retry command={abc} delay=1 max=2} do={:put "got error"}
# expect: got error
