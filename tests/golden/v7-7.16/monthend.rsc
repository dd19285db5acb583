# MonthEnd: reads the date; tells the others the period due, the month end and whether the clock can be trusted.
# Requires RouterOS 7.16 or later, before 7.19 (v7); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router core1 (RouterOS 7.16), build bad833e1c5f2, config sha256 0468d3fc7f94099f...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# Reads the router's date and publishes it to the other scripts as globals:
#   found          true on the last day of the month
#   rosbillToday   today, YYYY-MM-DD
#   rosbillMonth   this month, YYYY-MM
#   rosbillPeriod  the period that is due for billing: this month on its last day, else last month
#   rosbillDay     today as a day number (days since 1970-01-01)
#   rosbillClock   "ok", or why the clock cannot be trusted for billing
# Both clock formats are read at run time (nov/30/2026 before RouterOS 7.10, 2026-11-30 from 7.10), so an upgrade
# across 7.10 cannot break billing. Numbers are read without :tonum's help on leading zeros ("08"): what :tonum
# makes of them is not documented.
:global found false
:global rosbillToday ""
:global rosbillMonth ""
:global rosbillPeriod ""
:global rosbillDay 0
:global rosbillClock "the date has not been read"
# decimal: a string of digits as a num (leading zeros dropped first, so "08" is 8 whatever :tonum makes of a
# leading zero); nothing if it is not digits.
:local decimal do={
  :local digits [:tostr $text]
  :while ([:len $digits] > 1 && [:pick $digits 0 1] = "0") do={ :set digits [:pick $digits 1 [:len $digits]] }
  :if (!($digits ~ "^[0-9]+\$")) do={ :return [:nothing] }
  :return [:tonum $digits]
}
:local dateText [:tostr [/system clock get date]]
:local year 0
:local month 0
:local day 0
:if ([:len $dateText] = 10 && [:pick $dateText 4 5] = "-" && [:pick $dateText 7 8] = "-") do={
  :set year [$decimal text=[:pick $dateText 0 4]]
  :set month [$decimal text=[:pick $dateText 5 7]]
  :set day [$decimal text=[:pick $dateText 8 10]]
} else={
  :if ([:len $dateText] = 11 && [:pick $dateText 3 4] = "/" && [:pick $dateText 6 7] = "/") do={
    # The month is lower case on the router (jan ... dec); a capitalised one (Jan) is accepted too.
    :local monthName [:pick $dateText 0 3]
    :local lower "janfebmaraprmayjunjulaugsepoctnovdec"
    :local position [:find $lower $monthName]
    :if ([:typeof $position] != "num") do={ :set position [:find "JanFebMarAprMayJunJulAugSepOctNovDec" $monthName] }
    :if ([:typeof $position] = "num" && ($position % 3) = 0) do={ :set month ($position / 3 + 1) } \
        else={ :set month "" }
    :set day [$decimal text=[:pick $dateText 4 6]]
    :set year [$decimal text=[:pick $dateText 7 11]]
  }
}
:if ([:typeof $year] != "num" || [:typeof $month] != "num" || [:typeof $day] != "num") do={
  :set rosbillClock ("the date \"" . $dateText . "\" cannot be read")
  :log error ("rosbill: MonthEnd: cannot read the date \"" . $dateText . "\"; nothing will be billed or warned")
  :error "rosbill: unreadable date"
}
:if ($year < 1 || $month < 1 || $month > 12 || $day < 1 || $day > 31) do={
  :set rosbillClock ("the date \"" . $dateText . "\" cannot be read")
  :log error ("rosbill: MonthEnd: cannot read the date \"" . $dateText . "\"; nothing will be billed or warned")
  :error "rosbill: unreadable date"
}
# Days in this month, with the full Gregorian rule (2000 is a leap year, 2100 is not).
:local last 31
:if ($month = 4 || $month = 6 || $month = 9 || $month = 11) do={ :set last 30 }
:if ($month = 2) do={
  :set last 28
  :if ((($year % 4) = 0 && ($year % 100) != 0) || ($year % 400) = 0) do={ :set last 29 }
}
:local monthText [:pick [:tostr (100 + $month)] 1 3]
:local yearText [:pick [:tostr (10000 + $year)] 1 5]
:set rosbillToday ($yearText . "-" . $monthText . "-" . [:pick [:tostr (100 + $day)] 1 3])
:set rosbillMonth ($yearText . "-" . $monthText)
:if ($day = $last) do={
  :set found true
  :set rosbillPeriod $rosbillMonth
} else={
  :set found false
  :if ($month = 1) do={
    :set rosbillPeriod ([:pick [:tostr (10000 + $year - 1)] 1 5] . "-12")
  } else={
    :set rosbillPeriod ($yearText . "-" . [:pick [:tostr (100 + $month - 1)] 1 3])
  }
}
# dayNumber: days since 1970-01-01 of a date written YYYY-MM-DD (the days-from-civil algorithm, integer arithmetic
# only); -1 if it is not such a date.
:local dayNumber do={
  :local t [:tostr $date]
  :if (!($t ~ "^[0-9]{4}-[0-9]{2}-[0-9]{2}\$")) do={ :return -1 }
  :local mo [:pick $t 5 7]
  :if ([:pick $mo 0 1] = "0") do={ :set mo [:pick $mo 1 2] }
  :local dd [:pick $t 8 10]
  :if ([:pick $dd 0 1] = "0") do={ :set dd [:pick $dd 1 2] }
  :local yy [:tonum [:pick $t 0 4]]
  :set mo [:tonum $mo]
  :if ($mo <= 2) do={ :set yy ($yy - 1) }
  :local era ($yy / 400)
  :local yoe ($yy - ($era * 400))
  :local mp ($mo + 9)
  :if ($mo > 2) do={ :set mp ($mo - 3) }
  :local doy ((((153 * $mp) + 2) / 5) + [:tonum $dd] - 1)
  :local doe (($yoe * 365) + ($yoe / 4) - ($yoe / 100) + $doy)
  :return (($era * 146097) + $doe - 719468)
}
:set rosbillDay [$dayNumber date=$rosbillToday]
# Can the clock be trusted? A router without a battery clock boots on jan/02/1970 until NTP has synchronised
# (Clock manual); billing on such a date would bill a wrong period. So: never before this build's date, and, where
# the NTP client is enabled, only once it reports that it is synchronised.
:set rosbillClock "ok"
:if ($rosbillDay < 20454) do={
  :set rosbillClock ("the clock says " . $rosbillToday . ", before this build of rosbill (" . "2026-01-01" . ")")
}
# NTP: where the client is enabled, trust the clock only once it reports "synchronized" (/system ntp client status:
# synchronized, stopped, waiting or using-local-clock; help.mikrotik.com NTP).
:do {
  :if ([/system ntp client get enabled] = true) do={
    :local ntp [:tostr [/system ntp client get status]]
    :if ($ntp != "synchronized") do={
      :set rosbillClock ("the NTP client is enabled but not synchronised (status " . $ntp . ")")
    }
  }
} on-error={}
