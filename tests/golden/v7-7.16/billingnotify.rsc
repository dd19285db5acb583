# BillingNotify: sends bills, usage warnings and unpaid reminders by Telegram and webhooks (/tool fetch).
# Requires RouterOS 7.16 or later, before 7.19 (v7); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router core1 (RouterOS 7.16), build bad833e1c5f2, config sha256 0468d3fc7f94099f...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# The config has no notify: section, so there is nothing to send. Oversight does not run this script; it is kept so
# that every build has the same scripts (docs/notify.md).
:log info "rosbill: BillingNotify: no notify channels configured"
