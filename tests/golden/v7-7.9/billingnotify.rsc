# BillingNotify: sends bills, usage warnings and unpaid reminders by Telegram and webhooks (/tool fetch).
# Requires RouterOS 7.9 or later, before 7.10 (v7); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router old7 (RouterOS 7.9), build 7dabd2eac0bf, config sha256 a460b42672114f7d...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# The config has no notify: section, so there is nothing to send. Oversight does not run this script; it is kept so
# that every build has the same scripts (docs/notify.md).
:log info "rosbill: BillingNotify: no notify channels configured"
