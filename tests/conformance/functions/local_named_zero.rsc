# source: EW f46db918 ("global: give script or function name in log messages": each script starts with ':local 0 "script-name";' and logs $0) [EW]
:local 0 "backup-email"
:put ("name: " . $0)
# expect: name: backup-email
