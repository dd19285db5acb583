# BillingMail: sends the bill mails and accounts copies still pending, and the report.
# Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 c57028db92251c24...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# Runs every night after Billing (Oversight). Sends every bill mail and accounts copy that is pending in the users'
# comments and due (um=, am=; a failed one is retried after 1, 2, then every 4 days), marks re-sends as such, and
# sends accounts a report: what Billing did, what failed, and what is still outstanding. A mail counts as delivered
# only when last-status reports the outcome of that very send. Sending stops after three failures in a row or when
# the time budget (3h) is spent; the rest is sent on the next run.
# The shared functions: script BillingFunctions defines them as globals and sets rbFunctions to its build's id. A
# global lives until the next reboot (Scripting manual, "Variables":
# help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting), so the script is run again only when the id
# is not this build's: after a boot, or after a deploy changed the functions.
:global rbFunctions
:if ($rbFunctions != "6d037a0ffa67d64f") do={ :do { /system script run BillingFunctions } on-error={} }
:if ($rbFunctions != "6d037a0ffa67d64f") do={
  :log error "rosbill: BillingMail: /system script BillingFunctions is missing or of another build; nothing was done"
  :error "rosbill: BillingMail: BillingFunctions missing"
}
:global rbParseState
:global rbWriteState
:global rbDecimal
:global rbMoney
:global rbSend
:global rbChecks
:global rbMonthIndex
:global rbPeriodOf
:global rbMailWhen
:global rbMailNext
:global rbMakeBill
:global rbMailTimeLeft
:global rbUsageLevel
:global rbReadTotal
:global rbOnline
:global rbCloseSessions
:global rosbillToday
:global rosbillMonth
:global rosbillPeriod
:global rosbillDay
:global rosbillClock
:global rosbillLock
:global rosbillLockPass
:local runName "BillingMail"
:local dateOk true
:do { /system script run MonthEnd } on-error={ :set dateOk false }
:if ([:typeof $rosbillToday] != "str" || $rosbillToday = "") do={ :set dateOk false }
:local today $rosbillToday
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
      :log warning ("rosbill: BillingMail: taking over a stale lock (" . $rosbillLock . ")")
      :set held false
    }
  }
  :if ($held) do={
    :log warning ("rosbill: BillingMail: another run holds the lock (" . $rosbillLock . "); this run does nothing")
  } else={
    :local stamp "0 0"
    :if ($nowSecs >= 0) do={ :set stamp ($rosbillDay . " " . ($nowSecs - ($rosbillDay * 86400))) }
    :set rosbillLock ("BillingMail" . " " . $stamp)
    :set locked true
    :set lockOwner true
  }
}
# Packages: cap in bytes (0 = unlimited), price in cents.
:local pkgs [:toarray ""]
:set ($pkgs->"Lite") {"cap"=3000000000;"price"=19900}
:set ($pkgs->"Home") {"cap"=50000000000;"price"=34900}
:set ($pkgs->"Business") {"cap"=200000000000;"price"=89900}
:set ($pkgs->"Unlimited") {"cap"=0;"price"=129900}
:local problems ""
:local mSubject ""
:local mBody ""
:global rosbillNotes
:if ($locked) do={
  :do {
    :global rosbillBilled
    :if ([:typeof $rosbillNotes] != "str") do={ :set rosbillNotes "" }
    :set problems $rosbillNotes
    :set rosbillNotes ""
    :local billed 0
    :if ([:typeof $rosbillBilled] = "num") do={ :set billed $rosbillBilled }
    :set rosbillBilled 0
    # --- the ledger (Billing keeps it): is any mail pending, and due today? ---
    :local ledgerId ""
    :local led [:toarray ""]
    :local ledPre ""
    :local ledPost ""
    :do {
      :local ledgerIds [/system script find where name="BillingState"]
      :if ([:len $ledgerIds] > 0) do={
        :local lst [$rbParseState comment=[/system script get ($ledgerIds->0) comment] today=""]
        :if (($lst->"err") = "") do={
          :set ledgerId ($ledgerIds->0)
          :set led ($lst->"kv")
          :set ledPre ($lst->"pre")
          :set ledPost ($lst->"post")
        }
      }
    } on-error={}
    :local clockOk ($dateOk && $rosbillClock = "ok")
    :local pend 0
    :local nextDay 0
    :if (($led->"pend") ~ "^[0-9]{1,7}\$") do={ :set pend [:tonum ($led->"pend")] }
    :if (($led->"next") ~ "^[0-9]{1,7}\$") do={ :set nextDay [:tonum ($led->"next")] }
    :local work ($clockOk && $ledgerId != "" && (($pend > 0 && $rosbillDay >= $nextDay) || ($led->"busy") = "1"))
    :global rosbillUnsent
    # A report that could not be sent earlier goes out as soon as mail works again.
    :local mailNeeded ($work || $problems != "" || ([:typeof $rosbillUnsent] = "str" && $rosbillUnsent != ""))
    # --- every user with a bill mail or an accounts copy still to send ---
    :local outbox [:toarray ""]
    :if ($work) do={
      :foreach u in=[/tool user-manager user print as-value] do={
        :local uId ($u->".id")
        :local uName [:tostr ($u->"username")]
        :local uComment [:tostr ($u->"comment")]
        :local uDisabled ([:tostr ($u->"disabled")] = "true" || [:tostr ($u->"disabled")] = "yes")
        :local uProfile [:tostr ($u->"actual-profile")]
        :local uEmail [:tostr ($u->"email")]
        :local uFirst [:tostr ($u->"first-name")]
        :local uLast [:tostr ($u->"last-name")]
        :do {
          # --- this user's state and data, checked before anything is computed or sent ---
          :local skip ""
          :local quiet false
          :local st [$rbParseState comment=$uComment today=$rosbillToday]
          :local kv ($st->"kv")
          :if (($st->"err") != "") do={ :set skip ("broken comment: " . ($st->"err")) }
          :if ([:typeof ($kv->"email")] = "str") do={ :set uEmail ($kv->"email") }
          :if ([:typeof ($kv->"first")] = "str") do={ :set uFirst ($kv->"first") }
          :if ([:typeof ($kv->"last")] = "str") do={ :set uLast ($kv->"last") }
          :local uPkg $uProfile
          :if ([:typeof ($kv->"pkg")] = "str") do={ :set uPkg ($kv->"pkg") }
          :if ($uDisabled || ($kv->"bill") = "no") do={
            :set skip "not billed (disabled, or bill=no in the comment)"
            :set quiet true
          }
          # These values reach mail subjects and bodies: a CR or LF in a subject would start new mail headers.
          :if ($skip = "" && ($uName . $uFirst . $uLast . $uPkg . [:tostr ($kv->"bpkg")]) ~ "[\01-\1F\7F]") do={
            :set skip "the login name, first or last name or package contains a control character"
          }
          :foreach checked,pattern in=$rbChecks do={
            :if ($skip = "" && [:typeof ($kv->$checked)] = "str" && !(($kv->$checked) ~ $pattern)) do={
              :set skip ($checked . "=" . ($kv->$checked) . " in the comment is not valid (docs/comment-format.md)")
            }
          }
          :local mailOk ($uEmail ~ "^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+\$")
          # Also for a user disabled since the bill was made: the bill still goes out.
          :if (($kv->"um") ~ "^[0-9]" || ($kv->"am") ~ "^[0-9]") do={
            :if ($skip = "" || $quiet) do={
              :set ($outbox->("u" . $uName)) {"id"=$uId;"name"=$uName;"email"=$uEmail;"first"=$uFirst;"last"=$uLast;\
                "mailOk"=$mailOk;"pre"=($st->"pre");"post"=($st->"post");"kv"=$kv}
            } else={
              :set problems ($problems . $uName . ": a bill mail is pending but the comment is not valid: " . \
                  $skip . "\n")
            }
          }
        } on-error={
          :log warning ("rosbill: BillingMail: skipped " . $uName . ": a router command failed for this user")
          :set problems ($problems . $uName . ": a router command failed for this user; see the router log\n")
        }
      }
    }
    # --- send what is due: the accounts copies, then the users' bill mails ---
    # 1. Every attempt is written to the comment first (um/am one attempt up), then the run waits 5s, and
    #    only then does any mail go out: a mail the server took before a power cut, whose "ok" was never written, is
    #    sent again marked as a re-send. (The wait covers a router that keeps a write in memory for a moment.)
    # 2. The digest (or each accounts copy) and the users' mails; "ok" is written after each delivery.
    # 3. An attempt that did not happen (the run stopped: time budget, three failures in a row) is written back.
    :local mailStart [/system clock get time]
    :local stopped ""
    :local streak 0
    :local attempted 0
    :local delivered 0
    :local srv ""
    # Before RouterOS 7.12 /tool e-mail wants the server as an IP (address=): resolve the name on every run, so a
    # provider that moves its server does not silently stop all mail.
    :if ($mailNeeded) do={
      :do { :set srv [:tostr [:resolve "smtp.example.net"]] } on-error={
        :log warning ("rosbill: BillingMail: cannot resolve " . "smtp.example.net" . "; using the /tool e-mail address")
      }
    }
    :local pendCount 0
    :local nextDue 9999999
    :local outstanding ""
    :local todo [:toarray ""]
    :foreach key,e in=$outbox do={
      :local kv ($e->"kv")
      :local uName ($e->"name")
      :local userDue ([$rbMailWhen state=($kv->"um")] <= $rosbillDay)
      :local accountsDue ([$rbMailWhen state=($kv->"am")] <= $rosbillDay)
      :if ($userDue || $accountsDue) do={
        :local job {"user"=($userDue && ($e->"mailOk"));"accounts"=$accountsDue;"um"=($kv->"um");"am"=($kv->"am")}
        :if ($userDue && !($e->"mailOk")) do={
          :set problems ($problems . $uName . ": no valid e-mail address (\"" . ($e->"email") . "\"): the bill of " . \
            ($kv->"per") . " was not mailed; the accounts copy has it\n")
        }
        :if ($userDue) do={ :set ($kv->"um") [$rbMailNext state=($kv->"um") outcome="attempt" today=$rosbillDay] }
        :if ($accountsDue) do={ :set ($kv->"am") [$rbMailNext state=($kv->"am") outcome="attempt" today=$rosbillDay] }
        :do {
          /tool user-manager user set ($e->"id") comment=[$rbWriteState pre=($e->"pre") post=($e->"post") kv=$kv \
              uid=($e->"id")]
          :set ($e->"kv") $kv
          :set ($outbox->$key) $e
          :set ($todo->$key) $job
        } on-error={ :log warning ("rosbill: BillingMail: could not record the mail state of " . $uName . \
            "; not sent now") }
      }
    }
    :if ([:len $todo] > 0) do={ :delay 5s }
    :foreach key,job in=$todo do={
      :local e ($outbox->$key)
      # The placeholders of a bill mail, all from what the comment recorded when the bill was made, so a re-send is the
      # same bill (names and the e-mail address are read fresh: a corrected address is used).
      :local kv ($e->"kv")
      :local uName ($e->"name")
      :local uFirst ($e->"first")
      :local uLast ($e->"last")
      :local uEmail ($e->"email")
      :local uPkg ($kv->"bpkg")
      :local period ($kv->"per")
      :local invNum ($kv->"no")
      :local invoice ("T6-" . $invNum)
      :local usedMb ([:tonum ($kv->"use")] / 1000000)
      :local capMb ($kv->"bcap")
      :local capText "unlimited"
      :if ($capMb != "unlimited") do={ :set capText ($capMb . " MB") }
      :local priceText [$rbMoney cents=($kv->"bprice")]
      :local discText [$rbMoney cents=($kv->"bdisc")]
      :local dueText [$rbMoney cents=([:tonum ($kv->"bprice")] - [:tonum ($kv->"bdisc")])]
      :local done false
      :if ($job->"user") do={
        :if ($stopped = "" && ![$rbMailTimeLeft since=$mailStart]) \
            do={ :set stopped "the time for mail in this run was used up" }
        :if ($stopped = "") do={
          :set ($job->"user") false
          :set mSubject ("Example Wireless invoice " . $invoice . " for " . $period)
          :set mBody ""
          :set mBody ($mBody . "Dear " . $uFirst . " " . $uLast . ",\n")
          :set mBody ($mBody . "\n")
          :set mBody ($mBody . "Invoice:      " . $invoice . "\n")
          :set mBody ($mBody . "Period:       " . $period . "\n")
          :set mBody ($mBody . "Package:      " . $uPkg . "\n")
          :set mBody ($mBody . "Data used:    " . $usedMb . " MB of " . $capMb . " MB\n")
          :set mBody ($mBody . "\n")
          :set mBody ($mBody . "Package price R " . $priceText . "\n")
          :set mBody ($mBody . "Discount      R " . $discText . "\n")
          :set mBody ($mBody . "Amount due    R " . $dueText . "\n")
          :set mBody ($mBody . "All prices include VAT at 15%.\n")
          :set mBody ($mBody . "\n")
          :set mBody ($mBody . "Please pay into:\n")
          :set mBody ($mBody . "Example Wireless (Pty) Ltd\n")
          :set mBody ($mBody . "Bank: First Example Bank, branch 250655\n")
          :set mBody ($mBody . "Account: 62012345678 (cheque)\n")
          :set mBody ($mBody . "Use " . $invoice . " as the payment reference.\n")
          :set mBody ($mBody . "\n")
          :set mBody ($mBody . "Example Wireless\n")
          :local resend (($job->"um") ~ "^[1-9]")
          :if ($resend) do={
            :set mSubject ("Re-sent: " . $mSubject)
            :set mBody ("(This is a copy: the first mail could not be confirmed as delivered. Please ignore it if you \
                have it already.)\n\n" . $mBody)
          }
          :local outcome [$rbSend mailTo=$uEmail mailSubject=$mSubject mailBody=$mBody srv=$srv]
          :set attempted ($attempted + 1)
          :if ($outcome = "ok") do={
            :set streak 0
            :set delivered ($delivered + 1)
          } else={
            :set streak ($streak + 1)
            :if ($streak >= 3) do={ :set stopped "three mails in a row were not delivered (is the SMTP server down?)" }
          }
          :if ($outcome = "ok") do={
            :set ($kv->"um") "ok"
            :set done true
            :log info ("rosbill: BillingMail: mailed invoice " . $invoice . " to " . $uName)
            :if ($resend) do={
              :set problems ($problems . $uName . ": invoice " . $invoice . " (" . $period . \
                  ") was delivered late, as a re-send\n")
            }
          }
        }
      }
      :if ($job->"accounts") do={
        :if ($stopped = "" && ![$rbMailTimeLeft since=$mailStart]) \
            do={ :set stopped "the time for mail in this run was used up" }
        :if ($stopped = "") do={
          :set ($job->"accounts") false
          :set mSubject ("Invoice " . $invoice . ": " . $uName . " R " . $dueText)
          :set mBody ""
          :set mBody ($mBody . $invoice . " " . $period . " " . $uName . " (" . $uFirst . " " . $uLast . ", " . \
              $uEmail . ") " . $uPkg . ": " . $usedMb . " MB, price " . $priceText . ", discount " . $discText . \
              ", due R " . $dueText . "\n")
          :if (($job->"am") ~ "^[1-9]") do={
            :set mSubject ("Re-sent: " . $mSubject)
            :set mBody ("(This is a copy: the first mail could not be confirmed as delivered. Please ignore it if you \
                have it already.)\n\n" . $mBody)
          }
          :local outcome [$rbSend mailTo="accounts@example.net" mailSubject=$mSubject mailBody=$mBody srv=$srv]
          :set attempted ($attempted + 1)
          :if ($outcome = "ok") do={
            :set streak 0
            :set delivered ($delivered + 1)
          } else={
            :set streak ($streak + 1)
            :if ($streak >= 3) do={ :set stopped "three mails in a row were not delivered (is the SMTP server down?)" }
          }
          :if ($outcome = "ok") do={
            :set ($kv->"am") "ok"
            :set done true
          }
        }
      }
      # An attempt that did not happen (the run stopped first) is written back, so it counts as not tried.
      :if ($job->"user") do={
        :set ($kv->"um") ($job->"um")
        :set done true
      }
      :if ($job->"accounts") do={
        :set ($kv->"am") ($job->"am")
        :set done true
      }
      :if ($done) do={
        :do {
          /tool user-manager user set ($e->"id") comment=[$rbWriteState pre=($e->"pre") post=($e->"post") kv=$kv \
              uid=($e->"id")]
        } on-error={ :log warning ("rosbill: BillingMail: could not record the mail state of " . $uName) }
        :set ($e->"kv") $kv
        :set ($outbox->$key) $e
      }
    }
    # Still waiting: counted for the ledger (so the next run knows whether and when to look) and listed for accounts.
    :foreach key,e in=$outbox do={
      # The placeholders of a bill mail, all from what the comment recorded when the bill was made, so a re-send is the
      # same bill (names and the e-mail address are read fresh: a corrected address is used).
      :local kv ($e->"kv")
      :local uName ($e->"name")
      :local uFirst ($e->"first")
      :local uLast ($e->"last")
      :local uEmail ($e->"email")
      :local uPkg ($kv->"bpkg")
      :local period ($kv->"per")
      :local invNum ($kv->"no")
      :local invoice ("T6-" . $invNum)
      :local usedMb ([:tonum ($kv->"use")] / 1000000)
      :local capMb ($kv->"bcap")
      :local capText "unlimited"
      :if ($capMb != "unlimited") do={ :set capText ($capMb . " MB") }
      :local priceText [$rbMoney cents=($kv->"bprice")]
      :local discText [$rbMoney cents=($kv->"bdisc")]
      :local dueText [$rbMoney cents=([:tonum ($kv->"bprice")] - [:tonum ($kv->"bdisc")])]
      :local waiting ""
      :foreach m in={"um";"am"} do={
        :local when [$rbMailWhen state=($kv->$m)]
        :if ($when < 9999999) do={
          :if ($when < $nextDue) do={ :set nextDue $when }
          :local what "the bill mail"
          :if ($m = "am") do={ :set what "the accounts copy" }
          :if ($waiting != "") do={ :set waiting ($waiting . ", ") }
          :set waiting ($waiting . $what . " (attempts so far: " . [:pick ($kv->$m) 0 [:find ($kv->$m) "/"]] . ")")
        }
      }
      :if ($waiting != "") do={
        :set pendCount ($pendCount + 1)
        :set outstanding ($outstanding . $uName . ": invoice " . $invoice . " (" . $period . "): not yet delivered: " \
            . $waiting . "\n")
      }
    }
    :if ($stopped != "") do={
      :log warning ("rosbill: BillingMail: stopped sending: " . $stopped . "; the rest is sent on the next run")
      :set problems ($problems . "Sending stopped early: " . $stopped . "; the rest is sent on the next run.\n")
    }
    # --- report to accounts; the ledger learns what is still pending ---
    :if ($mailNeeded) do={
      :if ($outstanding != "") \
          do={ :set problems ($problems . "Still outstanding (retried on the next runs):\n" . $outstanding) }
      :local period $rosbillPeriod
    # The report, in parts if it is long (RouterOS sends bodies just under 64 kB). Needs $problems, $period, $billed,
    # $srv.
    # What an earlier report could not deliver (global rosbillUnsent; a reboot loses it) goes first, so accounts learn
    # of
    # a dropped warning or an outstanding bill even when the report of that night failed.
    :global rosbillUnsent
    :if ([:typeof $rosbillUnsent] != "str") do={ :set rosbillUnsent "" }
    :local rest $problems
    :if ($rosbillUnsent != "") do={
      :local now $problems
      :if ($now = "") do={ :set now "none\n" }
      :set rest ("From earlier reports that could not be sent:\n" . $rosbillUnsent . "\nNow:\n" . $now)
      :set rosbillUnsent ""
    }
    :if ($rest = "") do={ :set rest "none\n" }
    :local chunks [:toarray ""]
    :while ([:len $rest] > 0) do={
      :local cut [:len $rest]
      :if ($cut > 30000) do={
        :set cut 30000
        :local head [:pick $rest 0 $cut]
        :local newline [:find $head "\n" -1]
        :local last -1
        :while ([:typeof $newline] = "num") do={
          :set last $newline
          :set newline [:find $head "\n" $newline]
        }
        :if ($last >= 0) do={ :set cut ($last + 1) }
      }
      :set ($chunks->[:len $chunks]) [:pick $rest 0 $cut]
      :set rest [:pick $rest $cut [:len $rest]]
    }
    :local chunkNo 0
    :foreach chunk in=$chunks do={
      :set chunkNo ($chunkNo + 1)
      :local reportText $chunk
      :set mSubject ("Example Wireless: Billing report " . $today)
      :set mBody ""
      :set mBody ($mBody . "Billing ran on " . $today . " (period " . $period . ").\n")
      :set mBody ($mBody . "Users billed: " . $billed . "\n")
      :set mBody ($mBody . "\n")
      :set mBody ($mBody . "Skipped users and failed e-mails:\n")
      :set mBody ($mBody . $reportText . "\n")
      :if ([:len $chunks] > 1) do={ :set mSubject ($mSubject . " (part " . $chunkNo . " of " . [:len $chunks] . ")") }
      :if ([$rbSend mailTo="accounts@example.net" mailSubject=$mSubject mailBody=$mBody srv=$srv] != "ok") do={
        :log warning "rosbill: BillingMail: the report to accounts could not be sent; it goes with the next one"
        # Kept for the next report, the newest 30 kB at most.
        :set rosbillUnsent ($rosbillUnsent . $chunk)
        :if ([:len $rosbillUnsent] > 30000) do={
          :set rosbillUnsent ("(older lines dropped)\n" . [:pick $rosbillUnsent ([:len $rosbillUnsent] - 30000) [:len \
              $rosbillUnsent]])
        }
      }
    }
    }
    :if ($work) do={
      :set ($led->"pend") [:tostr $pendCount]
      :set ($led->"next") ""
      :if ($pendCount > 0) do={ :set ($led->"next") [:tostr $nextDue] }
      :do {
        /system script set $ledgerId comment=[$rbWriteState pre=$ledPre post=$ledPost kv=$led]
      } on-error={ :log warning "rosbill: BillingMail: could not update /system script BillingState" }
      :log info ("rosbill: BillingMail: " . $delivered . " mails delivered, " . $pendCount . \
          " users with mail outstanding")
    }
  } on-error={
    :log error "rosbill: BillingMail: stopped with an error (see the log above); the next run sends the rest"
  }
  :if ($lockOwner) do={ :set rosbillLock "" }
}
