# Billing: bills every ended period once, recording each bill before anything is sent; resets the counters of billed
# users who are offline.
# Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never dont-require-permissions.
# rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 c57028db92251c24...
# Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces this script.
# Runs every night (Oversight) and records whatever bill is due; BillingMail sends the mails afterwards.
#  1. An interrupted counter reset of an earlier run (a power cut) is finished first.
#  2. A period that has ended and is not billed yet (on the last day: this month) is billed. Each user's bill
#     (period, invoice number, usage, package, price, discount) is recorded in the user's comment, with both of its
#     mails marked pending, before anything is sent. Invoice numbers come from one sequence for the whole router
#     (the comment of /system script BillingState).
#  3. The billed users' sessions are closed on this router (the NAS) and the counters of those who stay offline are
#     reset; the counters are read again afterwards and that reading becomes the base of the next period.
# Nothing is billed while the clock cannot be trusted (see MonthEnd); the work is done once it can.
# The shared functions: script BillingFunctions defines them as globals and sets rbFunctions to its build's id. A
# global lives until the next reboot (Scripting manual, "Variables":
# help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting), so the script is run again only when the id
# is not this build's: after a boot, or after a deploy changed the functions.
:global rbFunctions
:if ($rbFunctions != "6d037a0ffa67d64f") do={ :do { /system script run BillingFunctions } on-error={} }
:if ($rbFunctions != "6d037a0ffa67d64f") do={
  :log error "rosbill: Billing: /system script BillingFunctions is missing or of another build; nothing was done"
  :error "rosbill: Billing: BillingFunctions missing"
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
:local runName "Billing"
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
      :log warning ("rosbill: Billing: taking over a stale lock (" . $rosbillLock . ")")
      :set held false
    }
  }
  :if ($held) do={
    :log warning ("rosbill: Billing: another run holds the lock (" . $rosbillLock . "); this run does nothing")
  } else={
    :local stamp "0 0"
    :if ($nowSecs >= 0) do={ :set stamp ($rosbillDay . " " . ($nowSecs - ($rosbillDay * 86400))) }
    :set rosbillLock ("Billing" . " " . $stamp)
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
:if ($locked) do={
  :do {
    # --- the ledger ---
    # Router-wide billing state lives in the comment of the script entry BillingState (created here if missing; its
    # source does nothing). Keys: done= the last period whose billing run finished, seq= the last invoice number
    # issued, pend= how many users have a mail not yet delivered, next= the day number of the next retry, day= the day
    # of the last run, busy=1 while a run is working (an interrupted run leaves it, and the next one checks everyone).
    :local go true
    :local ledgerId ""
    :do {
      :local ledgerIds [/system script find where name="BillingState"]
      :if ([:len $ledgerIds] = 0) do={
        :set ledgerId [/system script add name="BillingState" policy=read dont-require-permissions=no \
          source="# rosbill keeps the router-wide billing state (the invoice number sequence, the last billed\n\
                      # period, mail still to be delivered) in the comment of this entry. Billing reads and writes\n\
                      # it; do not edit or remove it.\n" comment="rosbill billing state, do not edit: rb{}"]
      } else={
        :set ledgerId ($ledgerIds->0)
      }
    } on-error={
      :set go false
      :log error "rosbill: Billing: cannot read or create /system script BillingState; nothing was done"
    }
    :local led [:toarray ""]
    :local ledPre ""
    :local ledPost ""
    :if ($go) do={
      :local lst [$rbParseState comment=[/system script get $ledgerId comment] today=""]
      :if (($lst->"err") != "") do={
        :set go false
        :log error ("rosbill: Billing: the comment of /system script BillingState is broken (" . ($lst->"err") . \
            "); nothing was done")
      } else={
        :set led ($lst->"kv")
        :set ledPre ($lst->"pre")
        :set ledPost ($lst->"post")
      }
    }
    :local fresh ([:typeof ($led->"done")] != "str")
    :local busy (($led->"busy") = "1")
    :local seq (10001 - 1)
    :if (($led->"seq") ~ "^[0-9]{1,15}\$") do={
      :local last [$rbDecimal text=($led->"seq")]
      :if ($last > $seq) do={ :set seq $last }
    }
    # --- after an interruption: finish counter resets, and find every invoice number in use ---
    # Needs no trustworthy date, so it also runs right after a boot with the clock at 1970.
    :local maxPer ""
    :if ($go && ($busy || $fresh)) do={
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
          :local st [$rbParseState comment=$uComment today=$rosbillToday]
          :local kv ($st->"kv")
          :if (($st->"err") = "") do={
            # no= is a bill's number; inv= (rosbill 0.1 and the original scripts) is a user's *next* number.
            :foreach key in={"no";"inv"} do={
              :if (($kv->$key) ~ "^[0-9]{1,15}\$") do={
                :local used [$rbDecimal text=($kv->$key)]
                :if ($key = "inv") do={ :set used ($used - 1) }
                :if ($used > $seq) do={ :set seq $used }
              }
            }
            :if (($kv->"per") ~ "^[0-9]{4}-[0-9]{2}\$") do={
              :if ($maxPer = "" || [$rbMonthIndex p=($kv->"per")] > [$rbMonthIndex p=$maxPer]) \
                  do={ :set maxPer ($kv->"per") }
            }
            :local marker ($kv->"rst")
            :if ([:typeof $marker] = "str") do={
              # The reset of this user was interrupted. Billing disabled the user before it, so no traffic has come in
              # since: whatever the counters say now is where the next period starts.
              :local uTotal -1
              :if ($marker != "-") do={
                :local counted [$rbReadTotal uid=$uId]
                :set uTotal ($counted->"total")
                :if ($uTotal >= 0) do={
                  :set ($kv->"base") [:tostr $uTotal]
                } else={
                  :set problems ($problems . $uName . ": the counters could not be read after an interrupted reset; \
                      check base= in the comment\n")
                }
              }
              :set ($kv->"rst") ""
              /tool user-manager user set $uId disabled=no comment=[$rbWriteState pre=($st->"pre") post=($st->"post") \
                  kv=$kv uid=$uId]
              :log warning ("rosbill: Billing: finished the interrupted counter reset of " . $uName . \
                  " and enabled the user again")
            }
          }
        } on-error={
          :log warning ("rosbill: Billing: could not check " . $uName . " for unfinished work")
        }
      }
    }
    # --- can the clock be trusted, and is there anything to do? ---
    :local clockOk ($go && $dateOk && $rosbillClock = "ok")
    :local clockWhy $rosbillClock
    :if (!$dateOk) do={ :set clockWhy "MonthEnd could not read the date" }
    :if ($clockOk && ($led->"day") ~ "^[0-9]{1,7}\$") do={
      :if ($rosbillDay < ([$rbDecimal text=($led->"day")] - 1)) do={
        :set clockOk false
        :set clockWhy ("the clock says " . $rosbillToday . ", earlier than the last run")
      }
    }
    :if ($go && $fresh && $clockOk) do={
      # A new ledger: start after the last period any user was billed for, else after last month (nothing before
      # this install is billed).
      :if ($maxPer != "") do={
        :set ($led->"done") $maxPer
      } else={
        :set ($led->"done") [$rbPeriodOf index=([$rbMonthIndex p=$rosbillMonth] - 1)]
      }
    }
    :local due ""
    :local recordNight false
    :if ($go && $clockOk) do={
      :set due [$rbPeriodOf index=([$rbMonthIndex p=($led->"done")] + 1)]
      :set recordNight ([$rbMonthIndex p=$due] <= [$rbMonthIndex p=$rosbillPeriod])
    }
    :local work ($go && $clockOk && ($recordNight || $busy || $fresh))
    :if ($go && !$clockOk) do={
      :log error ("rosbill: Billing: " . $clockWhy . "; nothing is billed or sent until the clock can be trusted")
      :set problems ($problems . "Billing is paused: " . $clockWhy . \
          ". Whatever is due is done once the clock is right.\n")
    }
    :if ($go && !$work) do={
      # Nothing due: only remember the day of this run.
      :if ($clockOk && ($led->"day") != [:tostr $rosbillDay]) do={
        :set ($led->"day") [:tostr $rosbillDay]
        :do {
          /system script set $ledgerId comment=[$rbWriteState pre=$ledPre post=$ledPost kv=$led]
        } on-error={ :log warning "rosbill: Billing: could not update /system script BillingState" }
      }
    }
    :if ($work) do={
      :set ($led->"busy") "1"
      :set ($led->"seq") [:tostr $seq]
      :set ($led->"day") [:tostr $rosbillDay]
      :do {
        /system script set $ledgerId comment=[$rbWriteState pre=$ledPre post=$ledPost kv=$led]
      } on-error={
        :set work false
        :log error "rosbill: Billing: cannot write /system script BillingState; nothing was billed"
      }
    }
    # --- every user: bill what is due ---
    :local billed 0
    :local cands [:toarray ""]
    :local dueIndex 0
    :if ($recordNight) do={ :set dueIndex [$rbMonthIndex p=$due] }
    :if ($recordNight) do={
      :foreach u in=[/tool user-manager user print as-value] do={
        :local uId ($u->".id")
        :local uName [:tostr ($u->"username")]
        :local uComment [:tostr ($u->"comment")]
        :local uDisabled ([:tostr ($u->"disabled")] = "true" || [:tostr ($u->"disabled")] = "yes")
        :local uProfile [:tostr ($u->"actual-profile")]
        :local uEmail [:tostr ($u->"email")]
        :local uFirst [:tostr ($u->"first-name")]
        :local uLast [:tostr ($u->"last-name")]
        :local key ("u" . $uName)
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
            :set skip "a counter reset of an earlier run was not finished (rst= in the comment)"
          }
          :local needBill false
          :local uTotal -1
          :if ($recordNight && $skip = "") do={
            :if ([:typeof ($kv->"per")] != "str") do={ :set needBill true }
            :if (!$needBill) do={ :set needBill ([$rbMonthIndex p=($kv->"per")] < $dueIndex) }
          }
          :if ($needBill) do={
            # The counters, read now for this user (rbReadTotal); RouterOS 7's profile comes with them.
            :local counted [$rbReadTotal uid=$uId]
            :set uTotal ($counted->"total")
            :if (($counted->"profile") != "") do={ :set uProfile ($counted->"profile") }
            # The package: pkg= in the comment, else the User Manager profile. A v6 profile that expired leaves
            # actual-profile empty; then the package of the last bill stands in, and accounts are told.
            :set uPkg $uProfile
            :if ([:typeof ($kv->"pkg")] = "str") do={ :set uPkg ($kv->"pkg") }
            :if ($uPkg = "" && [:typeof ($kv->"bpkg")] = "str") do={
              :set uPkg ($kv->"bpkg")
              :set problems ($problems . $uName . ": has no active profile; billed as " . $uPkg . \
                  ", the package of the last bill\n")
            }
            :if ($uTotal < 0) do={ :set skip "the usage counters could not be read" }
            :if ($skip = "" && $uPkg = "") \
                do={ :set skip "no package (no User Manager profile and no pkg= in the comment)" }
            :if ($skip = "" && [:typeof ($pkgs->$uPkg)] != "array") \
                do={ :set skip ("unknown package \"" . $uPkg . "\"") }
            :if ($skip != "") do={ :set needBill false }
          }
          :if ($recordNight && $skip != "" && !$quiet) do={
            :log warning ("rosbill: Billing: " . $uName . " is not billed for " . $due . ": " . $skip)
            :set problems ($problems . $uName . ": NOT BILLED for " . $due . ": " . $skip . "\n")
          }
          :local entry {"id"=$uId;"name"=$uName;"pre"=($st->"pre");"post"=($st->"post");"kv"=$kv;"pkg"=$uPkg}
          :if ($needBill) do={
            :set ($cands->$key) $entry
          }
        } on-error={
          :log warning ("rosbill: Billing: skipped " . $uName . ": a router command failed for this user")
          :set problems ($problems . $uName . ": a router command failed for this user; see the router log\n")
        }
      }
    }
    # --- close the billed users' sessions and reset the counters of those who stay offline ---
    # A reset while a session is open does not stick (its next interim update carries the whole session total again),
    # and a User Manager close-session alone may leave the NAS session running (MikroTik wiki, User Manager Active
    # sessions). So only users whose sessions this router ended as the NAS and who then show no open session anywhere
    # are reset. They are disabled from that check until the counters have been read again after the reset, so no
    # traffic can come in between; their comment says so (rst=), and an interrupted run finishes the job first thing
    # next time. Everyone else is billed the same way and keeps counting from the recorded base.
    :if ([:len $cands] > 0) do={
      [$rbCloseSessions cands=$cands]
      # Time for the NAS's Accounting-Stop to reach User Manager.
      :delay 5s
      # Who has a session open now (rbOnline); if a table cannot be read, nobody is reset.
      :local seen [$rbOnline]
      :local online ($seen->"on")
      :local readOk ($seen->"ok")
      :local locked [:toarray ""]
      :foreach key,e in=$cands do={
        :if ($readOk && ($online->$key) != true) do={
          :local kv ($e->"kv")
          :set ($kv->"rst") "-"
          :do {
            /tool user-manager user set ($e->"id") disabled=yes comment=[$rbWriteState pre=($e->"pre") \
                post=($e->"post") kv=$kv uid=($e->"id")]
            :set ($locked->$key) true
          } on-error={ :log warning ("rosbill: Billing: could not disable " . ($e->"name") . " for the counter reset") }
        }
      }
      # Anyone who came online between the check and the lock is not reset.
      :set seen [$rbOnline]
      :set online ($seen->"on")
      :set readOk ($seen->"ok")
      :local resetNow [:toarray ""]
      :foreach key,entry in=$cands do={
        :local uId ($entry->"id")
        :local uName ($entry->"name")
        :local uPkg ($entry->"pkg")
        :local kv ($entry->"kv")
        :local isLocked (($locked->$key) = true)
        :local counted [$rbReadTotal uid=$uId]
        :local uTotal ($counted->"total")
        :local keepLocked ($isLocked && $readOk && ($online->$key) != true && $uTotal >= 0)
        :if ($uTotal < 0) do={
          :set problems ($problems . $uName . ": NOT BILLED for " . $due . ": the usage counters could not be read\n")
          :if ($isLocked) do={
            :set ($kv->"rst") ""
            :do { /tool user-manager user set $uId disabled=no comment=[$rbWriteState pre=($entry->"pre") \
                post=($entry->"post") kv=$kv uid=$uId] } on-error={
              :do { /tool user-manager user set $uId disabled=no } on-error={}
            }
          }
        } else={
          # Record the bill: one write holds the bill, its invoice number and the new base, before any mail is sent.
          :if (($kv->"um") ~ "^[0-9]" || ($kv->"am") ~ "^[0-9]") do={
            :set problems ($problems . $uName . ": the mails of invoice number " . ($kv->"no") . " (" . ($kv->"per") . \
              ") were never all confirmed delivered; they are given up for the bill of " . $due . \
                  " (see the accounts copy)\n")
          }
          :if (($kv->"wf") ~ "^[0-9]+\$") do={
            :set problems ($problems . $uName . ": the " . ($kv->"wf") . \
                "% usage warning could not be delivered before the period ended\n")
          }
          :set seq ($seq + 1)
          :local bill [$rbMakeBill kv=$kv total=$uTotal pkg=$uPkg info=($pkgs->$uPkg) number=$seq period=$due \
              today=$rosbillDay]
          :local nkv ($bill->"kv")
          :if ($keepLocked) do={ :set ($nkv->"rst") [:tostr $uTotal] }
          :local wrote true
          :do {
            # Still locked for the reset (rst= holds the counter total before it), or enabled again.
            :if ($keepLocked) do={
              /tool user-manager user set $uId comment=[$rbWriteState pre=($entry->"pre") post=($entry->"post") \
                  kv=$nkv uid=$uId]
            } else={
              /tool user-manager user set $uId disabled=no comment=[$rbWriteState pre=($entry->"pre") \
                  post=($entry->"post") kv=$nkv uid=$uId]
            }
          } on-error={ :set wrote false }
          :if ($wrote) do={
            :set billed ($billed + 1)
            :log info ("rosbill: Billing: " . $uName . " billed for " . $due . ", invoice number " . $seq)
            :if ($bill->"down") do={
              :set problems ($problems . $uName . ": the counters were below the last bill's (reset or sessions \
                  removed outside rosbill); usage counted from 0\n")
            }
            :set ($entry->"kv") $nkv
            :if (($billed % 50) = 0) do={
              :set ($led->"seq") [:tostr $seq]
              :do { /system script set $ledgerId comment=[$rbWriteState pre=$ledPre post=$ledPost kv=$led] } on-error={}
            }
          } else={
            :log error ("rosbill: Billing: could not write the bill of " . $uName . "; invoice number " . $seq . \
                " stays unused")
            :set problems ($problems . $uName . ": NOT BILLED for " . $due . \
                ": the comment could not be written (invoice number " . $seq . " is unused)\n")
          }
          :if ($keepLocked && $wrote) do={ :set ($resetNow->$key) $entry }
          :if ($isLocked && !$wrote) do={ :do { /tool user-manager user set $uId disabled=no } on-error={} }
        }
      }
      :if ([:len $resetNow] > 0) do={
        :do {
          # RouterOS 6: one reset-counters for all of them clears download-used and upload-used.
          :local ids [:toarray ""]
          :foreach key,e in=$resetNow do={ :set ($ids->[:len $ids]) ($e->"id") }
          /tool user-manager user reset-counters $ids
        } on-error={ :log warning "rosbill: Billing: the counter reset failed; the counters are read again either way" }
        # Read the counters again until the reset shows (it may take effect a moment after the command returns), at
        # most 20 s; the users stay disabled meanwhile. Counters that do not go down mean the reset changed nothing:
        # then the base stays the billed total, which is right too.
        :local waiting $resetNow
        :local rounds 0
        :while ([:len $waiting] > 0 && $rounds < 10) do={
          :delay 2s
          :set rounds ($rounds + 1)
          :local still [:toarray ""]
          :foreach key,entry in=$waiting do={
            :local uId ($entry->"id")
            :local uName ($entry->"name")
            :local counted [$rbReadTotal uid=$uId]
            :local uTotal ($counted->"total")
            :local kv ($entry->"kv")
            :local before [:tonum ($kv->"rst")]
            :if (($uTotal >= 0 && $uTotal < $before) || $rounds = 10) do={
              :if ($uTotal >= 0) do={
                :set ($kv->"base") [:tostr $uTotal]
              } else={
                :set problems ($problems . $uName . ": the counters could not be read after the reset; check base= in \
                    the comment\n")
              }
              :set ($kv->"rst") ""
              :do {
                /tool user-manager user set $uId disabled=no comment=[$rbWriteState pre=($entry->"pre") \
                    post=($entry->"post") kv=$kv uid=$uId]
              } on-error={
                :do { /tool user-manager user set $uId disabled=no } on-error={}
                :log error ("rosbill: Billing: could not record the reset of " . $uName . \
                    "; check base= and rst= in its comment")
              }
            } else={
              :set ($still->$key) $entry
            }
          }
          :set waiting $still
        }
      }
    }
    # --- close the ledger; BillingMail sends the bills, the accounts copies and the report ---
    :global rosbillNotes
    :global rosbillBilled
    :if ([:typeof $rosbillNotes] != "str") do={ :set rosbillNotes "" }
    :set rosbillNotes ($rosbillNotes . $problems)
    :set rosbillBilled $billed
    :if ($work) do={
      :if ($recordNight) do={ :set ($led->"done") $due }
      :set ($led->"seq") [:tostr $seq]
      # New bills, or an interrupted run whose bills may still be unsent: BillingMail looks at every user tonight.
      :if ($billed > 0 || $busy) do={
        :local pend 0
        :if (($led->"pend") ~ "^[0-9]{1,7}\$") do={ :set pend [:tonum ($led->"pend")] }
        :set pend ($pend + $billed)
        :if ($pend = 0) do={ :set pend 1 }
        :set ($led->"pend") [:tostr $pend]
        :set ($led->"next") [:tostr $rosbillDay]
      }
      :set ($led->"busy") ""
      :do {
        /system script set $ledgerId comment=[$rbWriteState pre=$ledPre post=$ledPost kv=$led]
      } on-error={ :log error "rosbill: Billing: could not update /system script BillingState; the next run \
          checks everyone" }
      :if ($recordNight) do={ :log info ("rosbill: Billing: " . $billed . " users billed for " . $due) }
    }
  } on-error={
    :log error "rosbill: Billing: stopped with an error (see the log above); the next run finishes the work"
  }
  :if ($lockOwner) do={ :set rosbillLock "" }
}
