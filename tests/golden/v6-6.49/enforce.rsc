# Enforce: fair use at the cap and unpaid accounts: moves users to the operator's profiles and back, mails reminders.
# Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 c57028db92251c24...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# docs/enforce.md. Per user: the fair-use step this period's usage reached (thr=, thp=) until the period is billed;
# the unpaid restriction (owe=, rsd=) past the grace days, one reminder (rm=), until paid= covers owe=. Applied as
# the user's attributes Mikrotik-Rate-Limit and Mikrotik-Address-List, which User Manager adds to the Access-Accept
# (help.mikrotik.com/docs/display/ROS/User+Manager): the profile, and so the package billed, never changes. A live
# session keeps its rate until it reconnects; Enforce ends the changed users' sessions here. Run alone, it takes the run
# lock itself.
# Neither fair use (packages.<name>.fair_use) nor unpaid restriction (billing.grace_days) is configured: Oversight
# does not run this script, and it does nothing when run.
:log info "rosbill: Enforce: nothing is configured (docs/enforce.md)"
