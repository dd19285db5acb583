# source: EW global-functions.rsc $ExitOnError (a function passes its $0 and the log says "Function" when [:pick $Name 0 1] = "\$", "Script" otherwise) [EW 608499bc]; forum.mikrotik.com/t/154024 ($0 prints "$hello") [O fx]
:global Kind do={ :local Name [:tostr $1]; :if ([:pick $Name 0 1] = "\$") do={ :return "Function" }; :return "Script" }
:global Worker do={ :global Kind; :return [$Kind $0] }
:put [$Worker]
:put [$Kind "backup-email"]
# expect: Function
# expect: Script
