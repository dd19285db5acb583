# BillingFunctions: defines the functions the billing, mail, warning, Enforce and notify scripts share.
# Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 c57028db92251c24...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# The functions Billing, BillingMail, UsageWarnings, Enforce and BillingNotify share, defined as globals (prefix
# rb). Each of them runs this script when rbFunctions is not this build's id, so an update to the scripts takes
# effect in the next run, and a run never mixes functions of two builds. Globals vanish at reboot; the first run
# after a boot defines them again.
# MonthEnd and Oversight need none of them and run without this script.
# parseState: splits a comment into the text around the rosbill state block "rb{key=value;...}" and the block's
# keys (rosbill's own format: docs/comment-format.md in rosbill). Also reads the packed comment of the original
# AutomatedBilling scripts ("1000230007509": next invoice 10002, cap 3000 MB, level 75, billed month 09), alone or
# followed by a block.
# Returns {"err"=...;"pre"=...;"post"=...;"kv"=...}; err is "" when the comment is readable.
:global rbParseState do={
  :local text [:tostr $comment]
  :local kv [:toarray ""]
  :local pre $text
  :local post ""
  :local err ""
  :local packed ""
  :local open [:find $text "rb{"]
  :if ([:typeof $open] = "num") do={
    :local rest [:pick $text ($open + 3) [:len $text]]
    :local close [:find $rest "}"]
    :if ([:typeof $close] != "num") do={
      :set err "the rb{ block has no closing }"
    } else={
      :set pre [:pick $text 0 $open]
      :set post [:pick $rest ($close + 1) [:len $rest]]
      :local body [:pick $rest 0 $close]
      :while ([:len $body] > 0 && $err = "") do={
        :local semi [:find $body ";"]
        :if ([:typeof $semi] != "num") do={ :set semi [:len $body] }
        :local pair [:pick $body 0 $semi]
        :set body [:pick $body ($semi + 1) [:len $body]]
        :if ($pair != "") do={
          :local equals [:find $pair "="]
          :if ([:typeof $equals] != "num") do={
            :set err ("\"" . $pair . "\" has no =")
          } else={
            :local key [:pick $pair 0 $equals]
            :if ($key ~ "^[a-z]+\$") do={
              :set ($kv->$key) [:pick $pair ($equals + 1) [:len $pair]]
            } else={
              :set err ("\"" . $key . "\" is not a key")
            }
          }
        }
      }
      :if ($pre ~ "^[0-9]{13,} *\$") do={
        :set packed [:pick $pre 0 [:find ($pre . " ") " "]]
        :set pre ""
      }
    }
  } else={
    :if ($text ~ "^[0-9]{13,}\$") do={
      :set packed $text
      :set pre ""
    } else={
      :if ($text != "") do={ :set pre ($text . " ") }
    }
  }
  # The packed digits fill in what the block does not say; the next write replaces them with the block.
  :if ($packed != "" && $err = "") do={
    :local digits [:len $packed]
    :local monthText [:pick $packed ($digits - 2) $digits]
    :if ([:pick $monthText 0 1] = "0") do={ :set monthText [:pick $monthText 1 2] }
    :local month [:tonum $monthText]
    :if ($month < 1 || $month > 12) do={
      :set err ("the packed comment has month " . $monthText)
    } else={
      :local year [:tonum [:pick $today 0 4]]
      :local thisMonth [:pick $today 5 7]
      :if ([:pick $thisMonth 0 1] = "0") do={ :set thisMonth [:pick $thisMonth 1 2] }
      :if ($month > [:tonum $thisMonth]) do={ :set year ($year - 1) }
      # The digit groups, leading zeros dropped ("0750" is 750 MB, "09" is September).
      :local groups {"inv"=[:pick $packed 0 5];"cap"=[:pick $packed 5 ($digits - 4)];"lvl"=[:pick $packed ($digits - \
          4) ($digits - 2)]}
      :local old {"per"=([:tostr $year] . "-" . [:pick [:tostr (100 + $month)] 1 3])}
      :foreach k,v in=$groups do={
        :local group $v
        :while ([:len $group] > 1 && [:pick $group 0 1] = "0") do={ :set group [:pick $group 1 [:len $group]] }
        :set ($old->$k) $group
      }
      :foreach k,v in=$old do={
        :if ([:typeof ($kv->$k)] = "nothing") do={ :set ($kv->$k) $v }
      }
    }
  }
  :return {"err"=$err;"pre"=$pre;"post"=$post;"kv"=$kv}
}
# writeState: the comment with the state block rebuilt from kv: keys in alphabetical order (RouterOS iterates keyed
# arrays that way), keys whose value is "" left out (that is how a key is removed).
# uid= (a User Manager user's id): the user's comment is read again first and paid=, pamt=, pday= are taken from it
# (only rosbill pay writes them), and owe= too when paid= changed since this run read kv: a payment recorded
# meanwhile is kept even when pay could not see the run (docs/payments.md).
:global rbWriteState do={
  :if ([:typeof $uid] != "nothing") do={
    :global rbParseState
    :local now ""
    :do { :set now [:tostr [/tool user-manager user get $uid comment]] } on-error={}
    :local open [:find $now "rb{"]
    :if ([:typeof $open] = "num") do={
      :local fresh [$rbParseState comment=[:pick $now $open [:len $now]]]
      :if (($fresh->"err") = "") do={
        :local fkv ($fresh->"kv")
        :local moved ([:tostr ($fkv->"paid")] != [:tostr ($kv->"paid")])
        :foreach k in={"paid";"pamt";"pday";"owe"} do={
          :if ($moved || $k != "owe") do={ :set ($kv->$k) [:tostr ($fkv->$k)] }
        }
      }
    }
  }
  :local out ""
  :foreach k,v in=$kv do={
    :if ([:tostr $v] != "") do={
      :if ($out != "") do={ :set out ($out . ";") }
      :set out ($out . $k . "=" . $v)
    }
  }
  :return ($pre . "rb{" . $out . "}" . $post)
}
# decimal: a string of digits as a num (leading zeros dropped first, so "08" is 8 whatever :tonum makes of a
# leading zero); nothing if it is not digits.
:global rbDecimal do={
  :local digits [:tostr $text]
  :while ([:len $digits] > 1 && [:pick $digits 0 1] = "0") do={ :set digits [:pick $digits 1 [:len $digits]] }
  :if (!($digits ~ "^[0-9]+\$")) do={ :return [:nothing] }
  :return [:tonum $digits]
}
# money: cents -> "1234.50"
:global rbMoney do={
  :local amount [:tonum $cents]
  :local sign ""
  :if ($amount < 0) do={
    :set sign "-"
    :set amount (0 - $amount)
  }
  :return ($sign . ($amount / 100) . "." . [:pick [:tostr (100 + ($amount % 100))] 1 3])
}
# send: one mail at a time, because /tool e-mail has a single last-status. Waits (up to 60 s) for an earlier mail
# to finish, sends, then waits for this mail's outcome. Never raises. Returns "ok", "failed", "busy" (an earlier
# mail is still in progress: nothing was sent) or "unknown" (no outcome after 5 minutes in progress).
# srv: the SMTP server's IP for this send, or "" for the /tool e-mail setting.
:global rbSend do={
  :if ([:len $mailBody] > 60000) do={
    :log error ("rosbill: BillingFunctions: rbSend: a mail of " . [:len $mailBody] . " bytes to " . $mailTo . \
        " was not sent: RouterOS takes bodies just under 64 kB")
    :return "failed"
  }
  :local mailStatus ""
  :do { :set mailStatus [:tostr [/tool e-mail get last-status]] } on-error={}
  :local waited 0
  :while (($mailStatus = "in-progress" || $mailStatus = "resolving-dns") && $waited < 240) do={
    :delay 250ms
    :set waited ($waited + 1)
    :do { :set mailStatus [:tostr [/tool e-mail get last-status]] } on-error={}
  }
  :if ($mailStatus = "in-progress" || $mailStatus = "resolving-dns") do={ :return "busy" }
  :local before $mailStatus
  :local sent true
  :do {
    :if ([:len $srv] > 0) do={
      /tool e-mail send to=$mailTo from="billing@example.net" subject=$mailSubject body=$mailBody server=$srv
    } else={
      /tool e-mail send to=$mailTo from="billing@example.net" subject=$mailSubject body=$mailBody
    }
  } on-error={ :set sent false }
  :if (!$sent) do={ :return "failed" }
  # Before RouterOS 7.21 send returns at once and only last-status tells, which may still show the previous mail's
  # outcome for a moment. This mail's outcome is the first final status after in-progress was seen, or a status that
  # differs from the one before the send. A status that does not move for 20 s means this mail ended like the one
  # before. last-status itself is in the E-mail manual (help.mikrotik.com/docs/x/BYB6AQ); its timing is not, and
  # rosbill lists it as an assumption to check on a router.
  :local seenBusy false
  :set waited 0
  :while (true) do={
    :do { :set mailStatus [:tostr [/tool e-mail get last-status]] } on-error={ :set mailStatus "" }
    :if ($mailStatus = "in-progress" || $mailStatus = "resolving-dns") do={
      :set seenBusy true
    } else={
      :if ($seenBusy || $mailStatus != $before) do={
        :if ($mailStatus = "succeeded") do={ :return "ok" }
        :return "failed"
      }
      :if ($waited >= 80) do={
        :if ($before = "succeeded") do={ :return "ok" }
        :return "failed"
      }
    }
    :if ($waited >= 1200) do={ :return "unknown" }
    :delay 250ms
    :set waited ($waited + 1)
  }
}
# What each state key may hold (rosbill's own format: docs/comment-format.md in rosbill). A user whose comment breaks
# one of these is skipped and
# reported, and nothing is written to that comment, so fixing the text is all it takes.
:global rbChecks [:toarray ""]
:local mailState "^(ok|[0-9]{1,3}/[0-9]{1,7})\$"
:set ($rbChecks->"am") $mailState
:set ($rbChecks->"um") $mailState
:set ($rbChecks->"base") "^[0-9]{1,19}\$"
:set ($rbChecks->"use") "^[0-9]{1,19}\$"
:set ($rbChecks->"rst") "^(-|[0-9]{1,19})\$"
:set ($rbChecks->"no") "^[0-9]{1,15}\$"
:set ($rbChecks->"inv") "^[0-9]{1,15}\$"
:set ($rbChecks->"bprice") "^[0-9]{1,12}\$"
:set ($rbChecks->"bdisc") "^[0-9]{1,12}\$"
:set ($rbChecks->"bcap") "^([0-9]{1,12}|unlimited)\$"
:set ($rbChecks->"lvl") "^[0-9]{1,4}\$"
:set ($rbChecks->"wf") "^[0-9]{1,4}\$"
:set ($rbChecks->"per") "^[0-9]{4}-(0[1-9]|1[0-2])\$"
:set ($rbChecks->"cap") "^([1-9][0-9]{0,9}|unlimited)\$"
:set ($rbChecks->"disc") "^((100|[1-9]?[0-9])%|(0|[1-9][0-9]{0,8})(\\.[0-9]{1,2})?)\$"
# monthIndex: "YYYY-MM" -> months since year 0 (comparable numbers); periodOf: the reverse.
:global rbMonthIndex do={
  :local monthText [:pick $p 5 7]
  :if ([:pick $monthText 0 1] = "0") do={ :set monthText [:pick $monthText 1 2] }
  :return (([:tonum [:pick $p 0 4]] * 12) + [:tonum $monthText] - 1)
}
:global rbPeriodOf do={
  :local months [:tonum $index]
  :return ([:pick [:tostr (10000 + ($months / 12))] 1 5] . "-" . [:pick [:tostr (101 + ($months % 12))] 1 3])
}
# Mail states in the comment (um= the user's bill mail, am= the accounts copy): "ok" once delivered, else "N/D":
# N failed attempts so far, the last on day D (days since 1970-01-01, as rosbillDay); "0/D": not tried yet. After
# N failures the next attempt waits 1, 2, then 4 days, so an address that bounces does not cost every run.
# mailWhen: the day a mail in this state is to be tried (a day far ahead when it needs no sending).
:global rbMailWhen do={
  :local mailState [:tostr $state]
  :if (!($mailState ~ "^[0-9]{1,3}/[0-9]{1,7}\$")) do={ :return 9999999 }
  :local slash [:find $mailState "/"]
  :local tries [:tonum [:pick $mailState 0 $slash]]
  :local last [:tonum [:pick $mailState ($slash + 1) [:len $mailState]]]
  :if ($tries = 0) do={ :return $last }
  :local waits {0;1;2;4}
  :local wait 4
  :if ($tries < 4) do={ :set wait ($waits->$tries) }
  :return ($last + $wait)
}
# mailNext: the state after an attempt on day "today" with this outcome ("ok" or anything else).
:global rbMailNext do={
  :if ($outcome = "ok") do={ :return "ok" }
  :local mailState [:tostr $state]
  :local tries [:tonum [:pick $mailState 0 [:find $mailState "/"]]]
  :return ([:tostr ($tries + 1)] . "/" . $today)
}
# makeBill: the bill of one user for one period, as the comment records it (rosbill's own format: docs/comment-format.md
# in rosbill): period,
# invoice number, usage, package, cap, price and discount as billed, both mails pending, and the counter total it
# was based on as the new base. Nothing here is sent: mails are made from these keys later, and again, identical,
# for every re-send. Returns {"kv"=...;"down"=true when the counters went down since the last bill}.
# kv: the user's keys; total: counter total now (bytes); pkg: package name; info: {cap=bytes;price=cents};
# number: the invoice number; period: YYYY-MM; today: day number.
:global rbMakeBill do={
  :local k $kv
  :local now [:tonum $total]
  :local base 0
  :if ([:typeof ($k->"base")] = "str") do={ :set base [:tonum ($k->"base")] }
  :local used ($now - $base)
  :local down false
  # Counters below the base: they were reset or sessions were removed behind rosbill's back; count from 0.
  :if ($used < 0) do={
    :set used $now
    :set down true
  }
  :local price [:tonum ($info->"price")]
  :local disc 0
  :local d ($k->"disc")
  :if ([:typeof $d] = "str") do={
    :if ($d ~ "%\$") do={
      # percent of the price, rounded half up to the cent
      :set disc ((($price * [:tonum [:pick $d 0 ([:len $d] - 1)]]) + 50) / 100)
    } else={
      :local dot [:find $d "."]
      :if ([:typeof $dot] = "num") do={
        :local cents [:pick ($d . "00") ($dot + 1) ($dot + 3)]
        :if ([:pick $cents 0 1] = "0") do={ :set cents [:pick $cents 1 2] }
        :set disc (([:tonum [:pick $d 0 $dot]] * 100) + [:tonum $cents])
      } else={
        :set disc ([:tonum $d] * 100)
      }
    }
  }
  :if ($disc > $price) do={ :set disc $price }
  :local cap [:tonum ($info->"cap")]
  :if (($k->"cap") = "unlimited") do={ :set cap 0 }
  :if (($k->"cap") ~ "^[0-9]+\$") do={ :set cap ([:tonum ($k->"cap")] * 1000000) }
  :local capText "unlimited"
  :if ($cap > 0) do={ :set capText [:tostr ($cap / 1000000)] }
  :set ($k->"per") $period
  :set ($k->"no") [:tostr $number]
  :set ($k->"use") [:tostr $used]
  :set ($k->"bpkg") $pkg
  :set ($k->"bcap") $capText
  :set ($k->"bprice") [:tostr $price]
  :set ($k->"bdisc") [:tostr $disc]
  :set ($k->"base") [:tostr $now]
  :set ($k->"lvl") "0"
  :set ($k->"wf") ""
  :set ($k->"inv") ""
  :set ($k->"um") ("0/" . $today)
  :set ($k->"am") ("0/" . $today)
  :return {"kv"=$k;"down"=$down}
}
# mailTimeLeft: false once this run has spent 3h on mail since "since" (a hung or slow SMTP server must
# not hold the router all night; whatever is left is sent on the next run).
:global rbMailTimeLeft do={
  :local spent ([/system clock get time] - $since)
  :if ($spent < 0s) do={ :set spent ($spent + 1d) }
  :return ($spent < 3h)
}
# usageLevel: a user's usage this period, as UsageWarnings and BillingNotify both count it (docs/comment-format.md):
# total (the counters) minus base= (the total when the last bill was made; from 0 when the counters went below it:
# low is then true), against cap= in the comment ("unlimited", or MB), else the package's cap (bytes, 0 unlimited).
# Returns {"used";"low";"cap";"percent";"level"}: cap in bytes; level, the highest of levels reached, is 0 without
# a cap.
:global rbUsageLevel do={
  :local capBytes [:tonum $cap]
  :if (($kv->"cap") = "unlimited") do={ :set capBytes 0 }
  :if (($kv->"cap") ~ "^[0-9]+\$") do={ :set capBytes ([:tonum ($kv->"cap")] * 1000000) }
  :local base 0
  :if ([:typeof ($kv->"base")] = "str") do={ :set base [:tonum ($kv->"base")] }
  :local used ([:tonum $total] - $base)
  :local low ($used < 0)
  :if ($low) do={ :set used [:tonum $total] }
  :local percent 0
  :local level 0
  :if ($capBytes > 0) do={
    :set percent (($used * 100) / $capBytes)
    :foreach candidate in=$levels do={
      :if ($percent >= $candidate) do={ :set level $candidate }
    }
  }
  :return {"used"=$used;"low"=$low;"cap"=$capBytes;"percent"=$percent;"level"=$level}
}
# rbReadTotal: one user's counter total, read now (uid= the User Manager user's id): a bulk print may be older or lack
# the counters (v6), and RouterOS 7 shows them only in user monitor (help.mikrotik.com/docs/display/ROS/User+Manager).
# Returns {"total";"profile"}: total -1 when the counters cannot be read; profile, RouterOS 7's actual-profile from
# monitor ("" on RouterOS 6, whose profile comes from the user's print). Billing's counter reads
# (docs/billing-safety.md).
:global rbReadTotal do={
  :local uId $uid
  :local uTotal -1
  :local uProfile ""
  :set uTotal -1
  :do {
    :local dl [:tonum [/tool user-manager user get $uId download-used]]
    :local ul [:tonum [/tool user-manager user get $uId upload-used]]
    :if ([:typeof $dl] = "num" && [:typeof $ul] = "num") do={ :set uTotal ($dl + $ul) }
  } on-error={}
  :return {"total"=$uTotal;"profile"=$uProfile}
}
# rbOnline: who has a session open now, on this router as the NAS (close_sessions: PPP, hotspot) or in User Manager
# (a remote NAS, or a session whose Stop has not arrived), read in bulk for Billing's counter reset. Returns
# {"ok";"on"}: on, "u<login>" -> true for each; ok false when a table could not be read (then nobody is reset).
:global rbOnline do={
  :local online [:toarray ""]
  :local readOk true
  :set online [:toarray ""]
  :set readOk true
  :do {
    :foreach session in=[/tool user-manager session print as-value where active] \
        do={ :set ($online->("u" . [:tostr ($session->"user")])) true }
    :foreach active in=[/ppp active print as-value proplist=name] \
        do={ :set ($online->("u" . [:tostr ($active->"name")])) true }
    :foreach active in=[/ip hotspot active print as-value proplist=user] \
        do={ :set ($online->("u" . [:tostr ($active->"user")])) true }
  } on-error={
    :set readOk false
    :log warning "rosbill: BillingFunctions: rbOnline: could not read the open sessions; no counters are \
        reset this time"
  }
  :return {"ok"=$readOk;"on"=$online}
}
# rbCloseSessions: ends the sessions of the users in cands ("u<login>" -> entry) on this router as the NAS
# (close_sessions): before Billing's counter reset (docs/billing-safety.md); Enforce's changed users (docs/enforce.md).
:global rbCloseSessions do={
  :do {
    :local ids [:toarray ""]
    :foreach a in=[/ppp active print as-value proplist=.id,name] do={
      :if ([:typeof ($cands->("u" . [:tostr ($a->"name")]))] = "array") do={ :set ($ids->[:len $ids]) ($a->".id") }
    }
    :if ([:len $ids] > 0) do={ /ppp active remove $ids }
  } on-error={ :log warning "rosbill: BillingFunctions: rbCloseSessions: could not close the PPP sessions" }
  :do {
    :local ids [:toarray ""]
    :foreach a in=[/ip hotspot active print as-value proplist=.id,user] do={
      :if ([:typeof ($cands->("u" . [:tostr ($a->"user")]))] = "array") do={ :set ($ids->[:len $ids]) ($a->".id") }
    }
    :if ([:len $ids] > 0) do={ /ip hotspot active remove $ids }
  } on-error={ :log warning "rosbill: BillingFunctions: rbCloseSessions: could not close the hotspot sessions" }
}
:global rbFunctions "6d037a0ffa67d64f"
