# UsageWarnings: e-mails users who crossed a usage level of their data cap.
# Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 c57028db92251c24...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# E-mails each user who crossed a warning level of their data cap since the last warning, at most once per level
# per billing period, and copies accounts at every level. A warning that cannot be delivered is
# retried on the next runs while the period lasts (wf= in the comment); Billing reports one that never got through.
# Usage is counted from the base= that Billing recorded, so nothing is warned while Billing is behind.
# The shared functions: script BillingFunctions defines them as globals and sets rbFunctions to its build's id. A
# global lives until the next reboot (Scripting manual, "Variables":
# help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting), so the script is run again only when the id
# is not this build's: after a boot, or after a deploy changed the functions.
:global rbFunctions
:if ($rbFunctions != "6d037a0ffa67d64f") do={ :do { /system script run BillingFunctions } on-error={} }
:if ($rbFunctions != "6d037a0ffa67d64f") do={
  :log error "rosbill: UsageWarnings: /system script BillingFunctions is missing or of another build; nothing was done"
  :error "rosbill: UsageWarnings: BillingFunctions missing"
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
:local runName "UsageWarnings"
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
      :log warning ("rosbill: UsageWarnings: taking over a stale lock (" . $rosbillLock . ")")
      :set held false
    }
  }
  :if ($held) do={
    :log warning ("rosbill: UsageWarnings: another run holds the lock (" . $rosbillLock . "); this run does nothing")
  } else={
    :local stamp "0 0"
    :if ($nowSecs >= 0) do={ :set stamp ($rosbillDay . " " . ($nowSecs - ($rosbillDay * 86400))) }
    :set rosbillLock ("UsageWarnings" . " " . $stamp)
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
:global rosbillLastProblems
:local levels {50;75;90;100}
:local warned 0
:if ($locked) do={
  :do {
    :local go ($dateOk && $rosbillClock = "ok")
    :if (!$go) do={
      :log warning ("rosbill: UsageWarnings: no warnings tonight: " . $rosbillClock)
    }
    # Usage is counted from the last bill: while a billing period is still unfinished, warnings would count two months.
    :if ($go) do={
      :do {
        :local ledgerIds [/system script find where name="BillingState"]
        :if ([:len $ledgerIds] > 0) do={
          :local lst [$rbParseState comment=[/system script get ($ledgerIds->0) comment] today=""]
          :local done (($lst->"kv")->"done")
          :if ([:typeof $done] = "str" && [$rbMonthIndex p=$done] < [$rbMonthIndex p=$rosbillPeriod]) do={
            :set go false
            :log warning ("rosbill: UsageWarnings: billing of " . $rosbillPeriod . \
                " is not finished; no warnings tonight")
          }
        }
      } on-error={}
    }
    :local mailNeeded $go
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
        :log warning ("rosbill: UsageWarnings: cannot resolve " . "smtp.example.net" . \
            "; using the /tool e-mail address")
      }
    }
    :if ($go) do={
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
          :if ($skip = "" && [:typeof ($kv->"rst")] = "str") do={
            :set skip "its counters are being reset"
            :set quiet true
          }
          :if ($skip = "" && !$mailOk) do={ :set skip "no valid e-mail address" }
          :local changed false
          :if ($skip = "") do={
            # The counters from the bulk print when it carries them, else read for this user.
            :local uTotal -1
            :local dl [:tonum ($u->"download-used")]
            :local ul [:tonum ($u->"upload-used")]
            :if ([:typeof $dl] = "num" && [:typeof $ul] = "num") do={
              :set uTotal ($dl + $ul)
            } else={
              :set uTotal -1
              :do {
                :local dl [:tonum [/tool user-manager user get $uId download-used]]
                :local ul [:tonum [/tool user-manager user get $uId upload-used]]
                :if ([:typeof $dl] = "num" && [:typeof $ul] = "num") do={ :set uTotal ($dl + $ul) }
              } on-error={}
            }
            :if ([:typeof ($kv->"pkg")] != "str" && $uProfile != "") do={ :set uPkg $uProfile }
            :if ($uPkg = "" && [:typeof ($kv->"bpkg")] = "str") do={ :set uPkg ($kv->"bpkg") }
            :if ($uTotal < 0) do={ :set skip "the usage counters could not be read" }
            :if ($skip = "" && $uPkg = "") \
                do={ :set skip "no package (no User Manager profile and no pkg= in the comment)" }
            :if ($skip = "" && [:typeof ($pkgs->$uPkg)] != "array") \
                do={ :set skip ("unknown package \"" . $uPkg . "\"") }
            :if ($skip = "") do={
              # --- usage this period, counted from base= (the counter total when the last bill was made): rbUsageLevel
              # ---
              :local period $rosbillMonth
              :local usage [$rbUsageLevel kv=$kv cap=($pkgs->$uPkg->"cap") total=$uTotal levels=$levels]
              :local capBytes ($usage->"cap")
              :if ($usage->"low") do={
                # The counters went down since the last bill (reset, or sessions removed outside rosbill): counted from
                # 0; say
                # so in the comment at once, so that later traffic is not hidden behind the old base.
                :set ($kv->"base") "0"
                :set changed true
                :set problems ($problems . $uName . ": the counters went below the last bill's; usage is \
                    counted from 0\n")
              }
              :local usedMb (($usage->"used") / 1000000)
              :local capMb "unlimited"
              :local capText "unlimited"
              :local percent ($usage->"percent")
              :if ($capBytes > 0) do={
                :set capMb ($capBytes / 1000000)
                :set capText ($capMb . " MB")
                # --- the highest level reached; mailed if it is above the last one mailed this period ---
                :local level ($usage->"level")
                :local stored 0
                :if ([:typeof ($kv->"lvl")] = "str") do={ :set stored [:tonum ($kv->"lvl")] }
                :if ($level > $stored) do={
                  :if ($stopped = "" && ![$rbMailTimeLeft since=$mailStart]) \
                      do={ :set stopped "the time for mail in this run was used up" }
                  :if ($stopped = "") do={
                    # Write ahead (wf= this level) before sending: a warning the power cut after sending is marked next
                    # time.
                    :local resend (($kv->"wf") = [:tostr $level])
                    :if (!$resend) do={
                      :set ($kv->"wf") [:tostr $level]
                      /tool user-manager user set $uId comment=[$rbWriteState pre=($st->"pre") post=($st->"post") \
                          kv=$kv uid=$uId]
                    }
                    :set mSubject ("Example Wireless: " . $level . "% of your " . $uPkg . " data used")
                    :set mBody ""
                    :set mBody ($mBody . "Dear " . $uFirst . " " . $uLast . ",\n")
                    :set mBody ($mBody . "\n")
                    :set mBody ($mBody . "You have used " . $usedMb . " MB of your " . $capMb . " MB " . $uPkg . \
                        " allowance this month (" . $percent . "%).\n")
                    :set mBody ($mBody . "This is an automatic notice at " . $level . \
                        "% of your cap; it is sent once per month.\n")
                    :set mBody ($mBody . "\n")
                    :set mBody ($mBody . "Need more\? Reply to this mail to upgrade.\n")
                    :set mBody ($mBody . "\n")
                    :set mBody ($mBody . "Example Wireless\n")
                    :if ($resend) do={ :set mSubject ("Re-sent: " . $mSubject) }
                    :local outcome [$rbSend mailTo=$uEmail mailSubject=$mSubject mailBody=$mBody srv=$srv]
                    :set attempted ($attempted + 1)
                    :if ($outcome = "ok") do={
                      :set streak 0
                      :set delivered ($delivered + 1)
                    } else={
                      :set streak ($streak + 1)
                      :if ($streak >= 3) do={ :set stopped "three mails in a row were not delivered (is the SMTP \
                          server down?)" }
                    }
                    :if ($outcome = "ok") do={
                      :set ($kv->"lvl") [:tostr $level]
                      :set ($kv->"wf") ""
                      :set changed true
                      :set warned ($warned + 1)
                      :log info ("rosbill: UsageWarnings: " . $uName . " reached " . $level . "% (" . $usedMb . \
                          " MB), warned")
                      :if (true) do={
                        :set mSubject ("Usage " . $level . "%: " . $uName . " (" . $uPkg . ")")
                        :set mBody ""
                        :set mBody ($mBody . $uName . " (" . $uFirst . " " . $uLast . ", " . $uEmail . ") used " . \
                            $usedMb . " of " . $capMb . " MB (" . $percent . "%) on " . $today . ".\n")
                        :if ([$rbSend mailTo="accounts@example.net" mailSubject=$mSubject mailBody=$mBody srv=$srv] \
                            != "ok") do={
                          :set problems ($problems . $uName . ": the accounts copy of the " . $level . \
                              "% warning could not be sent\n")
                        }
                      }
                    } else={
                      :log warning ("rosbill: UsageWarnings: the " . $level . "% warning to " . $uName . \
                          " was not delivered; it is retried at the next run")
                      :set problems ($problems . $uName . ": the " . $level . "% warning mail to " . $uEmail . \
                          " was not delivered; retried at the next run\n")
                    }
                  }
                }
              }
            }
          }
          :if ($changed) do={
            /tool user-manager user set $uId comment=[$rbWriteState pre=($st->"pre") post=($st->"post") kv=$kv uid=$uId]
          }
          :if ($skip != "" && !$quiet) do={
            :log warning ("rosbill: UsageWarnings: skipped " . $uName . ": " . $skip)
            :set problems ($problems . $uName . ": skipped: " . $skip . "\n")
          }
        } on-error={
          :log warning ("rosbill: UsageWarnings: skipped " . $uName . ": a router command failed for this user")
          :set problems ($problems . $uName . ": a router command failed for this user; see the router log\n")
        }
      }
      :if ($stopped != "") do={
        :log warning ("rosbill: UsageWarnings: stopped sending: " . $stopped . "; the rest is warned on the next run")
        :set problems ($problems . "Sending stopped early: " . $stopped . "; the rest is warned on the next run.\n")
      }
      :if ([:typeof $rosbillLastProblems] != "str") do={ :set rosbillLastProblems "" }
      # Problems are reported when they change, not every night.
      :if ($problems != "" && $problems != $rosbillLastProblems) do={
        :local period $rosbillMonth
        :local billed 0
        # The report, in parts if it is long (RouterOS sends bodies just under 64 kB). Needs $problems, $period,
        # $billed, $srv.
        # What an earlier report could not deliver (global rosbillUnsent; a reboot loses it) goes first, so accounts
        # learn of
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
          :set mSubject ("Example Wireless: UsageWarnings report " . $today)
          :set mBody ""
          :set mBody ($mBody . "UsageWarnings ran on " . $today . " (period " . $period . ").\n")
          :set mBody ($mBody . "\n")
          :set mBody ($mBody . "Skipped users and failed e-mails:\n")
          :set mBody ($mBody . $reportText . "\n")
          :if ([:len $chunks] > 1) \
              do={ :set mSubject ($mSubject . " (part " . $chunkNo . " of " . [:len $chunks] . ")") }
          :if ([$rbSend mailTo="accounts@example.net" mailSubject=$mSubject mailBody=$mBody srv=$srv] != "ok") do={
            :log warning "rosbill: UsageWarnings: the report to accounts could not be sent; it goes with the next one"
            # Kept for the next report, the newest 30 kB at most.
            :set rosbillUnsent ($rosbillUnsent . $chunk)
            :if ([:len $rosbillUnsent] > 30000) do={
              :set rosbillUnsent ("(older lines dropped)\n" . [:pick $rosbillUnsent ([:len $rosbillUnsent] - 30000) \
                  [:len $rosbillUnsent]])
            }
          }
        }
      }
      :set rosbillLastProblems $problems
      :log info ("rosbill: UsageWarnings: " . $warned . " warnings sent")
    }
  } on-error={
    :log error "rosbill: UsageWarnings: stopped with an error (see the log above)"
  }
  :if ($lockOwner) do={ :set rosbillLock "" }
}
