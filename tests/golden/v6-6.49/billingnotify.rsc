# BillingNotify: sends bills, usage warnings and unpaid reminders by Telegram and webhooks (/tool fetch).
# Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 c57028db92251c24...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# The config has no notify: section, so there is nothing to send. Oversight does not run this script; it is kept so
# that every build has the same scripts (docs/notify.md).
:log info "rosbill: BillingNotify: no notify channels configured"
