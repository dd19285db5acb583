# Oversight: the scheduled dispatcher (Billing, BillingMail, Enforce and BillingNotify as configured, else
# UsageWarnings).
# Requires RouterOS 7.16 or later, before 7.19 (v7); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router core1 (RouterOS 7.16), build bad833e1c5f2, config sha256 0468d3fc7f94099f...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# The scheduled dispatcher (every night, and once shortly after each boot). One run at a time: a run that finds
# another one active logs that and does nothing. Billing and BillingMail run every time: together they finish
# whatever an earlier run left (an interrupted counter reset, a period that ended unbilled, mails not yet delivered),
# and on the last day of the month they bill the month. UsageWarnings runs on the other days.
:global found
:global rosbillLock
:global rosbillLockPass
:global rosbillClock
:global rosbillBooted
:local ok true
:do { /system script run MonthEnd } on-error={ :set ok false }
# The first run after a boot (a reboot clears the globals) waits up to 30 minutes for a clock it can trust: a
# router without a battery clock shows 1970 until NTP has synchronised, and the work a power cut interrupted should
# not wait for the next night.
:if ([:typeof $rosbillBooted] = "nothing") do={
  :set rosbillBooted true
  :local waited 0
  :while ($rosbillClock != "ok" && $waited < 30) do={
    :if ($waited = 0) do={ :log info ("rosbill: Oversight: waiting for the clock (" . $rosbillClock . ")") }
    :delay 60s
    :set waited ($waited + 1)
    :set ok true
    :do { /system script run MonthEnd } on-error={ :set ok false }
  }
}
# --- one run at a time ---
# The lock is the global rosbillLock ("<script> <day> <seconds>"): globals are shared by every script on the router
# and a reboot clears them, so a power cut never leaves a lock behind. A lock older than 7 h is
# stale (a run that was stopped by hand) and is taken over. A script started by the lock holder (Oversight runs
# Billing, BillingMail, Enforce, BillingNotify and UsageWarnings) finds the holder's token in rosbillLockPass and runs
# inside the same lock.
:global rosbillDay
:local nowSecs -1
:do {
  :if ([:typeof $rosbillDay] = "num" && $rosbillDay > 0) do={
    :set nowSecs (($rosbillDay * 86400) + [:tonum [/system clock get time]])
  }
} on-error={}
:local locked false
:local lockOwner false
:if ([:typeof $rosbillLockPass] = "str" && $rosbillLockPass != "" && $rosbillLockPass = $rosbillLock) do={
  :set rosbillLockPass ""
  :set locked true
} else={
  :local held ([:typeof $rosbillLock] = "str" && $rosbillLock != "")
  :if ($held) do={
    :local parts [:toarray ""]
    :local rest $rosbillLock
    :local space [:find $rest " "]
    :while ([:typeof $space] = "num") do={
      :set ($parts->[:len $parts]) [:pick $rest 0 $space]
      :set rest [:pick $rest ($space + 1) [:len $rest]]
      :set space [:find $rest " "]
    }
    :set ($parts->[:len $parts]) $rest
    :local since -1
    :if ([:len $parts] = 3 && ($parts->1) ~ "^[0-9]+\$" && ($parts->2) ~ "^[0-9]+\$") do={
      :set since (([:tonum ($parts->1)] * 86400) + [:tonum ($parts->2)])
    }
    :if ($nowSecs >= 0 && $since >= 0 && ($nowSecs < $since || ($nowSecs - $since) > 25200)) do={
      :log warning ("rosbill: Oversight: taking over a stale lock (" . $rosbillLock . ")")
      :set held false
    }
  }
  :if ($held) do={
    :log warning ("rosbill: Oversight: another run holds the lock (" . $rosbillLock . "); this run does nothing")
  } else={
    :local stamp "0 0"
    :if ($nowSecs >= 0) do={ :set stamp ($rosbillDay . " " . ($nowSecs - ($rosbillDay * 86400))) }
    :set rosbillLock ("Oversight" . " " . $stamp)
    :set locked true
    :set lockOwner true
  }
}
:if ($locked) do={
  :do {
    :set rosbillLockPass $rosbillLock
    :do { /system script run Billing } on-error={
      :log error "rosbill: Oversight: Billing stopped with an error; see the log above"
    }
    :set rosbillLockPass $rosbillLock
    :do { /system script run BillingMail } on-error={
      :log error "rosbill: Oversight: BillingMail stopped with an error; see the log above"
    }
    :if ($ok && $found != true) do={
      :set rosbillLockPass $rosbillLock
      :do { /system script run UsageWarnings } on-error={
        :log error "rosbill: Oversight: UsageWarnings stopped with an error; see the log above"
      }
    }
  } on-error={ :log error "rosbill: Oversight: stopped with an error; see the log above" }
  :set rosbillLockPass ""
  :set rosbillLock ""
}
:if (!$ok) do={
  :log error "rosbill: Oversight: MonthEnd could not read the date, so only unfinished work that needs no date was done"
}
