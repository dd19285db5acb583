# rosbill install for router old7 (RouterOS 7.9, v7), rosbill 0.1.0.
# Creates or updates the billing scripts and the two scheduler entries by name; importing this
# file again changes nothing. Import with: /import file-name=install.rsc
# Entries are marked in their comment; rosbill deploy only ever touches marked entries.
# Each entry is one block of its own (an import runs each top-level block as a unit), so no unit is larger than
# the biggest script. `get policy` prints as an array (read;write;test) or a comma list, depending on the version
# [INF]: both are accepted.
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# BillingFunctions: defines the functions Billing and UsageWarnings share (globals rb...)\n# Genera\
    ted by rosbill 0.1.0 for RouterOS 7.9 (v7).\n# Do not edit on the router: change config/billing.\
    yaml, rebuild and deploy.\n# The functions Billing and UsageWarnings share, defined as globals (\
    prefix rb). Both run this script when\n# rbFunctions is not this build's id, so an update to the \
    scripts takes effect in the next run, and a run never mixes\n# functions of two builds. Globals \
    vanish at reboot; the first run after a boot defines them again.\n# parseState: splits a comment \
    into the text around the rosbill state block \"rb{key=value;...}\" and the block's\n# keys (docs\
    /comment-format.md). Also reads the packed comment of the original AutomatedBilling scripts\n# (\
    \"1000230007509\": next invoice 10002, cap 3000 MB, level 75, billed month 09), alone or followe\
    d by a block.\n# Returns {\"err\"=...;\"pre\"=...;\"post\"=...;\"kv\"=...}; err is \"\" when the \
    comment is readable.\n:global rbParseState do={\n  :local text [:tostr \$comment]\n  :local kv [\
    :toarray \"\"]\n  :local pre \$text\n  :local post \"\"\n  :local err \"\"\n  :local packed \"\"\
    \n  :local open [:find \$text \"rb{\"]\n  :if ([:typeof \$open] = \"num\") do={\n    :local rest \
    [:pick \$text (\$open + 3) [:len \$text]]\n    :local close [:find \$rest \"}\"]\n    :if ([:typ\
    eof \$close] != \"num\") do={\n      :set err \"the rb{ block has no closing }\"\n    } else={\n      \
    :set pre [:pick \$text 0 \$open]\n      :set post [:pick \$rest (\$close + 1) [:len \$rest]]\n      \
    :local body [:pick \$rest 0 \$close]\n      :while ([:len \$body] > 0 && \$err = \"\") do={\n        \
    :local semi [:find \$body \";\"]\n        :if ([:typeof \$semi] != \"num\") do={ :set semi [:len \
    \$body] }\n        :local pair [:pick \$body 0 \$semi]\n        :set body [:pick \$body (\$semi \
    + 1) [:len \$body]]\n        :if (\$pair != \"\") do={\n          :local eq [:find \$pair \"=\"]\
    \n          :if ([:typeof \$eq] != \"num\") do={\n            :set err (\"\\\"\" . \$pair . \"\\\
    \" has no =\")\n          } else={\n            :local key [:pick \$pair 0 \$eq]\n            :i\
    f (\$key ~ \"^[a-z]+\\\$\") do={\n              :set (\$kv->\$key) [:pick \$pair (\$eq + 1) [:le\
    n \$pair]]\n            } else={\n              :set err (\"\\\"\" . \$key . \"\\\" is not a key\
    \")\n            }\n          }\n        }\n      }\n      :if (\$pre ~ \"^[0-9]{13,} *\\\$\") d\
    o={\n        :set packed [:pick \$pre 0 [:find (\$pre . \" \") \" \"]]\n        :set pre \"\"\n      \
    }\n    }\n  } else={\n    :if (\$text ~ \"^[0-9]{13,}\\\$\") do={\n      :set packed \$text\n      \
    :set pre \"\"\n    } else={\n      :if (\$text != \"\") do={ :set pre (\$text . \" \") }\n    }\n  \
    }\n  # The packed digits fill in what the block does not say; the next write replaces them with \
    the block.\n  :if (\$packed != \"\" && \$err = \"\") do={\n    :local n [:len \$packed]\n    :lo\
    cal monthText [:pick \$packed (\$n - 2) \$n]\n    :if ([:pick \$monthText 0 1] = \"0\") do={ :se\
    t monthText [:pick \$monthText 1 2] }\n    :local month [:tonum \$monthText]\n    :if (\$month < \
    1 || \$month > 12) do={\n      :set err (\"the packed comment has month \" . \$monthText)\n    } \
    else={\n      :local year [:tonum [:pick \$today 0 4]]\n      :local thisMonth [:pick \$today 5 \
    7]\n      :if ([:pick \$thisMonth 0 1] = \"0\") do={ :set thisMonth [:pick \$thisMonth 1 2] }\n      \
    :if (\$month > [:tonum \$thisMonth]) do={ :set year (\$year - 1) }\n      # The digit groups, le\
    ading zeros dropped (\"0750\" is 750 MB, \"09\" is September).\n      :local groups {\"inv\"=[:p\
    ick \$packed 0 5];\"cap\"=[:pick \$packed 5 (\$n - 4)];\"lvl\"=[:pick \$packed (\$n - 4) (\$n - \
    2)]}\n      :local old {\"per\"=([:tostr \$year] . \"-\" . [:pick [:tostr (100 + \$month)] 1 3])\
    }\n      :foreach k,v in=\$groups do={\n        :local t \$v\n        :while ([:len \$t] > 1 && \
    [:pick \$t 0 1] = \"0\") do={ :set t [:pick \$t 1 [:len \$t]] }\n        :set (\$old->\$k) \$t\n      \
    }\n      :foreach k,v in=\$old do={\n        :if ([:typeof (\$kv->\$k)] = \"nothing\") do={ :set \
    (\$kv->\$k) \$v }\n      }\n    }\n  }\n  :return {\"err\"=\$err;\"pre\"=\$pre;\"post\"=\$post;\"\
    kv\"=\$kv}\n}\n# writeState: the comment with the state block rebuilt from kv: keys in alphabeti\
    cal order (RouterOS iterates keyed\n# arrays that way), keys whose value is \"\" left out (that \
    is how a key is removed).\n:global rbWriteState do={\n  :local out \"\"\n  :foreach k,v in=\$kv \
    do={\n    :if ([:tostr \$v] != \"\") do={\n      :if (\$out != \"\") do={ :set out (\$out . \";\"\
    ) }\n      :set out (\$out . \$k . \"=\" . \$v)\n    }\n  }\n  :return (\$pre . \"rb{\" . \$out \
    . \"}\" . \$post)\n}\n# decimal: a string of digits as a num (leading zeros dropped first, so \"\
    08\" is 8 whatever :tonum makes of a\n# leading zero); nothing if it is not digits.\n:global rbD\
    ecimal do={\n  :local t [:tostr \$text]\n  :while ([:len \$t] > 1 && [:pick \$t 0 1] = \"0\") do\
    ={ :set t [:pick \$t 1 [:len \$t]] }\n  :if (!(\$t ~ \"^[0-9]+\\\$\")) do={ :return [:nothing] }\
    \n  :return [:tonum \$t]\n}\n# money: cents -> \"1234.50\"\n:global rbMoney do={\n  :local c [:t\
    onum \$cents]\n  :local sign \"\"\n  :if (\$c < 0) do={\n    :set sign \"-\"\n    :set c (0 - \$\
    c)\n  }\n  :return (\$sign . (\$c / 100) . \".\" . [:pick [:tostr (100 + (\$c % 100))] 1 3])\n}\n\
    # send: one mail at a time, because /tool e-mail has a single last-status. Waits (up to 60 s) fo\
    r an earlier mail\n# to finish, sends, then waits for this mail's outcome. Never raises. Returns \
    \"ok\", \"failed\", \"busy\" (an earlier\n# mail is still in progress: nothing was sent) or \"un\
    known\" (no outcome after 5 minutes in progress).\n# srv: the SMTP server's IP for this send, or \
    \"\" for the /tool e-mail setting.\n:global rbSend do={\n  :if ([:len \$mailBody] > 60000) do={\n    \
    :log error (\"rosbill: a mail of \" . [:len \$mailBody] . \" bytes was not sent: RouterOS takes \
    bodies just under 64 kB\")\n    :return \"failed\"\n  }\n  :local st \"\"\n  :do { :set st [:tos\
    tr [/tool e-mail get last-status]] } on-error={}\n  :local waited 0\n  :while ((\$st = \"in-prog\
    ress\" || \$st = \"resolving-dns\") && \$waited < 240) do={\n    :delay 250ms\n    :set waited (\
    \$waited + 1)\n    :do { :set st [:tostr [/tool e-mail get last-status]] } on-error={}\n  }\n  :\
    if (\$st = \"in-progress\" || \$st = \"resolving-dns\") do={ :return \"busy\" }\n  :local before \
    \$st\n  :local sent true\n  :do {\n    :if ([:len \$srv] > 0) do={\n      /tool e-mail send to=\$\
    mailTo from=\"billing@example.net\" subject=\$mailSubject body=\$mailBody server=\$srv\n    } el\
    se={\n      /tool e-mail send to=\$mailTo from=\"billing@example.net\" subject=\$mailSubject bod\
    y=\$mailBody\n    }\n  } on-error={ :set sent false }\n  :if (!\$sent) do={ :return \"failed\" }\
    \n  # Before RouterOS 7.21 send returns at once and only last-status tells, which may still show \
    the previous mail's\n  # outcome for a moment. This mail's outcome is the first final status aft\
    er in-progress was seen, or a status that\n  # differs from the one before the send. A status th\
    at does not move for 20 s means this mail ended like the one\n  # before (see docs/assumptions.m\
    d, \"last-status after send\").\n  :local seenBusy false\n  :set waited 0\n  :while (true) do={\n    \
    :do { :set st [:tostr [/tool e-mail get last-status]] } on-error={ :set st \"\" }\n    :if (\$st \
    = \"in-progress\" || \$st = \"resolving-dns\") do={\n      :set seenBusy true\n    } else={\n      \
    :if (\$seenBusy || \$st != \$before) do={\n        :if (\$st = \"succeeded\") do={ :return \"ok\" \
    }\n        :return \"failed\"\n      }\n      :if (\$waited >= 80) do={\n        :if (\$before = \
    \"succeeded\") do={ :return \"ok\" }\n        :return \"failed\"\n      }\n    }\n    :if (\$wai\
    ted >= 1200) do={ :return \"unknown\" }\n    :delay 250ms\n    :set waited (\$waited + 1)\n  }\n\
    }\n# What each state key may hold (docs/comment-format.md). A user whose comment breaks one of t\
    hese is skipped and\n# reported, and nothing is written to that comment, so fixing the text is a\
    ll it takes.\n:global rbChecks [:toarray \"\"]\n:local mailState \"^(ok|[0-9]{1,3}/[0-9]{1,7})\\\
    \$\"\n:set (\$rbChecks->\"am\") \$mailState\n:set (\$rbChecks->\"um\") \$mailState\n:set (\$rbCh\
    ecks->\"base\") \"^[0-9]{1,19}\\\$\"\n:set (\$rbChecks->\"use\") \"^[0-9]{1,19}\\\$\"\n:set (\$r\
    bChecks->\"rst\") \"^(-|[0-9]{1,19})\\\$\"\n:set (\$rbChecks->\"no\") \"^[0-9]{1,15}\\\$\"\n:set \
    (\$rbChecks->\"inv\") \"^[0-9]{1,15}\\\$\"\n:set (\$rbChecks->\"bprice\") \"^[0-9]{1,12}\\\$\"\n\
    :set (\$rbChecks->\"bdisc\") \"^[0-9]{1,12}\\\$\"\n:set (\$rbChecks->\"bcap\") \"^([0-9]{1,12}|u\
    nlimited)\\\$\"\n:set (\$rbChecks->\"lvl\") \"^[0-9]{1,4}\\\$\"\n:set (\$rbChecks->\"wf\") \"^[0\
    -9]{1,4}\\\$\"\n:set (\$rbChecks->\"per\") \"^[0-9]{4}-(0[1-9]|1[0-2])\\\$\"\n:set (\$rbChecks->\
    \"cap\") \"^([1-9][0-9]{0,9}|unlimited)\\\$\"\n:set (\$rbChecks->\"disc\") \"^((100|[1-9]\?[0-9]\
    )%|(0|[1-9][0-9]{0,8})(\\\\.[0-9]{1,2})\?)\\\$\"\n# monthIndex: \"YYYY-MM\" -> months since year \
    0 (comparable numbers); periodOf: the reverse.\n:global rbMonthIndex do={\n  :local mo [:pick \$\
    p 5 7]\n  :if ([:pick \$mo 0 1] = \"0\") do={ :set mo [:pick \$mo 1 2] }\n  :return (([:tonum [:\
    pick \$p 0 4]] * 12) + [:tonum \$mo] - 1)\n}\n:global rbPeriodOf do={\n  :local i [:tonum \$inde\
    x]\n  :return ([:pick [:tostr (10000 + (\$i / 12))] 1 5] . \"-\" . [:pick [:tostr (101 + (\$i % \
    12))] 1 3])\n}\n# Mail states in the comment (um= the user's bill mail, am= the accounts copy): \
    \"ok\" once delivered, else \"N/D\":\n# N failed attempts so far, the last on day D (days since \
    1970-01-01, as rosbillDay); \"0/D\": not tried yet. After\n# N failures the next attempt waits 1\
    , 2, then 4 days, so an address that bounces does not cost every run.\n# mailWhen: the day a mai\
    l in this state is to be tried (a day far ahead when it needs no sending).\n:global rbMailWhen d\
    o={\n  :local s [:tostr \$state]\n  :if (!(\$s ~ \"^[0-9]{1,3}/[0-9]{1,7}\\\$\")) do={ :return 9\
    999999 }\n  :local slash [:find \$s \"/\"]\n  :local tries [:tonum [:pick \$s 0 \$slash]]\n  :lo\
    cal last [:tonum [:pick \$s (\$slash + 1) [:len \$s]]]\n  :if (\$tries = 0) do={ :return \$last \
    }\n  :local waits {0;1;2;4}\n  :local wait 4\n  :if (\$tries < 4) do={ :set wait (\$waits->\$tri\
    es) }\n  :return (\$last + \$wait)\n}\n# mailNext: the state after an attempt on day \"today\" w\
    ith this outcome (\"ok\" or anything else).\n:global rbMailNext do={\n  :if (\$outcome = \"ok\") \
    do={ :return \"ok\" }\n  :local s [:tostr \$state]\n  :local tries [:tonum [:pick \$s 0 [:find \$\
    s \"/\"]]]\n  :return ([:tostr (\$tries + 1)] . \"/\" . \$today)\n}\n# makeBill: the bill of one \
    user for one period, as the comment records it (docs/comment-format.md): period,\n# invoice numb\
    er, usage, package, cap, price and discount as billed, both mails pending, and the counter total \
    it\n# was based on as the new base. Nothing here is sent: mails are made from these keys later, \
    and again, identical,\n# for every re-send. Returns {\"kv\"=...;\"down\"=true when the counters \
    went down since the last bill}.\n# kv: the user's keys; total: counter total now (bytes); pkg: p\
    ackage name; info: {cap=bytes;price=cents};\n# number: the invoice number; period: YYYY-MM; toda\
    y: day number.\n:global rbMakeBill do={\n  :local k \$kv\n  :local now [:tonum \$total]\n  :loca\
    l base 0\n  :if ([:typeof (\$k->\"base\")] = \"str\") do={ :set base [:tonum (\$k->\"base\")] }\n  \
    :local used (\$now - \$base)\n  :local down false\n  # Counters below the base: they were reset \
    or sessions were removed behind rosbill's back; count from 0.\n  :if (\$used < 0) do={\n    :set \
    used \$now\n    :set down true\n  }\n  :local price [:tonum (\$info->\"price\")]\n  :local disc \
    0\n  :local d (\$k->\"disc\")\n  :if ([:typeof \$d] = \"str\") do={\n    :if (\$d ~ \"%\\\$\") d\
    o={\n      # percent of the price, rounded half up to the cent\n      :set disc (((\$price * [:t\
    onum [:pick \$d 0 ([:len \$d] - 1)]]) + 50) / 100)\n    } else={\n      :local dot [:find \$d \"\
    .\"]\n      :if ([:typeof \$dot] = \"num\") do={\n        :local cents [:pick (\$d . \"00\") (\$\
    dot + 1) (\$dot + 3)]\n        :if ([:pick \$cents 0 1] = \"0\") do={ :set cents [:pick \$cents \
    1 2] }\n        :set disc (([:tonum [:pick \$d 0 \$dot]] * 100) + [:tonum \$cents])\n      } els\
    e={\n        :set disc ([:tonum \$d] * 100)\n      }\n    }\n  }\n  :if (\$disc > \$price) do={ \
    :set disc \$price }\n  :local cap [:tonum (\$info->\"cap\")]\n  :if ((\$k->\"cap\") = \"unlimite\
    d\") do={ :set cap 0 }\n  :if ((\$k->\"cap\") ~ \"^[0-9]+\\\$\") do={ :set cap ([:tonum (\$k->\"\
    cap\")] * 1000000) }\n  :local capText \"unlimited\"\n  :if (\$cap > 0) do={ :set capText [:tost\
    r (\$cap / 1000000)] }\n  :set (\$k->\"per\") \$period\n  :set (\$k->\"no\") [:tostr \$number]\n  \
    :set (\$k->\"use\") [:tostr \$used]\n  :set (\$k->\"bpkg\") \$pkg\n  :set (\$k->\"bcap\") \$capT\
    ext\n  :set (\$k->\"bprice\") [:tostr \$price]\n  :set (\$k->\"bdisc\") [:tostr \$disc]\n  :set \
    (\$k->\"base\") [:tostr \$now]\n  :set (\$k->\"lvl\") \"0\"\n  :set (\$k->\"wf\") \"\"\n  :set (\
    \$k->\"inv\") \"\"\n  :set (\$k->\"um\") (\"0/\" . \$today)\n  :set (\$k->\"am\") (\"0/\" . \$to\
    day)\n  :return {\"kv\"=\$k;\"down\"=\$down}\n}\n# mailTimeLeft: false once this run has spent 3\
    h on mail since \"since\" (a hung or slow SMTP server must\n# not hold the router all night; wha\
    tever is left is sent on the next run).\n:global rbMailTimeLeft do={\n  :local spent ([/system c\
    lock get time] - \$since)\n  :if (\$spent < 0s) do={ :set spent (\$spent + 1d) }\n  :return (\$s\
    pent < 3h)\n}\n:global rbFunctions \"ee243eaeaded2193\"\n"
:local ids [/system script find where name="BillingFunctions"]
:if ([:len $ids] = 0) do={
  /system script add name="BillingFunctions" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "BillingFunctions") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local p [:tostr [/system script get $sid policy]]
  :if ($p != $policy && $p != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# MonthEnd: reads the date: last day of the month, the period due, whether the clock is trusted\n# \
    Generated by rosbill 0.1.0 for RouterOS 7.9 (v7).\n# Do not edit on the router: change config/bi\
    lling.yaml, rebuild and deploy.\n# Reads the router's date and publishes it to the other scripts \
    as globals:\n#   found          true on the last day of the month\n#   rosbillToday   today, YYY\
    Y-MM-DD\n#   rosbillMonth   this month, YYYY-MM\n#   rosbillPeriod  the period that is due for b\
    illing: this month on its last day, else last month\n#   rosbillDay     today as a day number (d\
    ays since 1970-01-01)\n#   rosbillClock   \"ok\", or why the clock cannot be trusted for billing\
    \n# Both clock formats are read at run time (nov/30/2026 before RouterOS 7.10, 2026-11-30 from 7\
    .10), so an upgrade\n# across 7.10 cannot break billing. Numbers are read without :tonum's help \
    on leading zeros (\"08\"): what :tonum\n# makes of them is not documented.\n:global found false\n\
    :global rosbillToday \"\"\n:global rosbillMonth \"\"\n:global rosbillPeriod \"\"\n:global rosbil\
    lDay 0\n:global rosbillClock \"the date has not been read\"\n# decimal: a string of digits as a \
    num (leading zeros dropped first, so \"08\" is 8 whatever :tonum makes of a\n# leading zero); no\
    thing if it is not digits.\n:local decimal do={\n  :local t [:tostr \$text]\n  :while ([:len \$t\
    ] > 1 && [:pick \$t 0 1] = \"0\") do={ :set t [:pick \$t 1 [:len \$t]] }\n  :if (!(\$t ~ \"^[0-9\
    ]+\\\$\")) do={ :return [:nothing] }\n  :return [:tonum \$t]\n}\n:local d [:tostr [/system clock \
    get date]]\n:local y 0\n:local m 0\n:local dd 0\n:if ([:len \$d] = 10 && [:pick \$d 4 5] = \"-\" \
    && [:pick \$d 7 8] = \"-\") do={\n  :set y [\$decimal text=[:pick \$d 0 4]]\n  :set m [\$decimal \
    text=[:pick \$d 5 7]]\n  :set dd [\$decimal text=[:pick \$d 8 10]]\n} else={\n  :if ([:len \$d] \
    = 11 && [:pick \$d 3 4] = \"/\" && [:pick \$d 6 7] = \"/\") do={\n    :local months {\"jan\"=1;\"\
    feb\"=2;\"mar\"=3;\"apr\"=4;\"may\"=5;\"jun\"=6;\"jul\"=7;\"aug\"=8;\"sep\"=9;\"oct\"=10;\"nov\"\
    =11;\"dec\"=12}\n    # Lower case on the router; upper case accepted too.\n    :local monthName \
    [:pick \$d 0 3]\n    :local upper {\"Jan\"=\"jan\";\"Feb\"=\"feb\";\"Mar\"=\"mar\";\"Apr\"=\"apr\
    \";\"May\"=\"may\";\"Jun\"=\"jun\";\"Jul\"=\"jul\";\"Aug\"=\"aug\";\"Sep\"=\"sep\";\"Oct\"=\"oct\
    \";\"Nov\"=\"nov\";\"Dec\"=\"dec\"}\n    :if ([:typeof (\$upper->\$monthName)] = \"str\") do={ :\
    set monthName (\$upper->\$monthName) }\n    :set m (\$months->\$monthName)\n    :set dd [\$decim\
    al text=[:pick \$d 4 6]]\n    :set y [\$decimal text=[:pick \$d 7 11]]\n  }\n}\n:if ([:typeof \$\
    y] != \"num\" || [:typeof \$m] != \"num\" || [:typeof \$dd] != \"num\") do={\n  :set rosbillCloc\
    k (\"the date \\\"\" . \$d . \"\\\" cannot be read\")\n  :log error (\"rosbill: MonthEnd: cannot \
    read the date \\\"\" . \$d . \"\\\"; nothing will be billed or warned\")\n  :error \"rosbill: un\
    readable date\"\n}\n:if (\$y < 1 || \$m < 1 || \$m > 12 || \$dd < 1 || \$dd > 31) do={\n  :set r\
    osbillClock (\"the date \\\"\" . \$d . \"\\\" cannot be read\")\n  :log error (\"rosbill: MonthE\
    nd: cannot read the date \\\"\" . \$d . \"\\\"; nothing will be billed or warned\")\n  :error \"\
    rosbill: unreadable date\"\n}\n# Days in this month, with the full Gregorian rule (2000 is a lea\
    p year, 2100 is not).\n:local last 31\n:if (\$m = 4 || \$m = 6 || \$m = 9 || \$m = 11) do={ :set \
    last 30 }\n:if (\$m = 2) do={\n  :set last 28\n  :if (((\$y % 4) = 0 && (\$y % 100) != 0) || (\$\
    y % 400) = 0) do={ :set last 29 }\n}\n:local mm [:pick [:tostr (100 + \$m)] 1 3]\n:local yyyy [:\
    pick [:tostr (10000 + \$y)] 1 5]\n:set rosbillToday (\$yyyy . \"-\" . \$mm . \"-\" . [:pick [:to\
    str (100 + \$dd)] 1 3])\n:set rosbillMonth (\$yyyy . \"-\" . \$mm)\n:if (\$dd = \$last) do={\n  \
    :set found true\n  :set rosbillPeriod \$rosbillMonth\n} else={\n  :set found false\n  :if (\$m = \
    1) do={\n    :set rosbillPeriod ([:pick [:tostr (10000 + \$y - 1)] 1 5] . \"-12\")\n  } else={\n    \
    :set rosbillPeriod (\$yyyy . \"-\" . [:pick [:tostr (100 + \$m - 1)] 1 3])\n  }\n}\n# dayNumber: \
    days since 1970-01-01 of a date written YYYY-MM-DD (the days-from-civil algorithm, integer arith\
    metic\n# only); -1 if it is not such a date.\n:local dayNumber do={\n  :local t [:tostr \$date]\n  \
    :if (!(\$t ~ \"^[0-9]{4}-[0-9]{2}-[0-9]{2}\\\$\")) do={ :return -1 }\n  :local mo [:pick \$t 5 7\
    ]\n  :if ([:pick \$mo 0 1] = \"0\") do={ :set mo [:pick \$mo 1 2] }\n  :local dd [:pick \$t 8 10\
    ]\n  :if ([:pick \$dd 0 1] = \"0\") do={ :set dd [:pick \$dd 1 2] }\n  :local yy [:tonum [:pick \
    \$t 0 4]]\n  :set mo [:tonum \$mo]\n  :if (\$mo <= 2) do={ :set yy (\$yy - 1) }\n  :local era (\$\
    yy / 400)\n  :local yoe (\$yy - (\$era * 400))\n  :local mp (\$mo + 9)\n  :if (\$mo > 2) do={ :s\
    et mp (\$mo - 3) }\n  :local doy ((((153 * \$mp) + 2) / 5) + [:tonum \$dd] - 1)\n  :local doe ((\
    \$yoe * 365) + (\$yoe / 4) - (\$yoe / 100) + \$doy)\n  :return ((\$era * 146097) + \$doe - 71946\
    8)\n}\n:set rosbillDay [\$dayNumber date=\$rosbillToday]\n# Can the clock be trusted\? A router \
    without a battery clock boots on jan/02/1970 until NTP has synchronised\n# (Clock manual); billi\
    ng on such a date would bill a wrong period. So: never before this build's date, and, where\n# t\
    he NTP client is enabled, only once it reports that it is synchronised.\n:set rosbillClock \"ok\"\
    \n:if (\$rosbillDay < 20454) do={\n  :set rosbillClock (\"the clock says \" . \$rosbillToday . \"\
    , before this build of rosbill (\" . \"2026-01-01\" . \")\")\n}\n# NTP: where the client is enab\
    led, trust the clock only once it reports \"synchronized\" (/system ntp client status:\n# synchr\
    onized, stopped, waiting or using-local-clock; help.mikrotik.com NTP).\n:do {\n  :if ([/system n\
    tp client get enabled] = true) do={\n    :local ntp [:tostr [/system ntp client get status]]\n    \
    :if (\$ntp != \"synchronized\") do={\n      :set rosbillClock (\"the NTP client is enabled but n\
    ot synchronised (status \" . \$ntp . \")\")\n    }\n  }\n} on-error={}\n"
:local ids [/system script find where name="MonthEnd"]
:if ([:len $ids] = 0) do={
  /system script add name="MonthEnd" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "MonthEnd") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local p [:tostr [/system script get $sid policy]]
  :if ($p != $policy && $p != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# UsageWarnings: e-mails users who crossed a usage level of their data cap\n# Generated by rosbill \
    0.1.0 for RouterOS 7.9 (v7).\n# Do not edit on the router: change config/billing.yaml, rebuild a\
    nd deploy.\n# E-mails each user who crossed a warning level of their data cap since the last war\
    ning, at most once per level\n# per billing period, and copies accounts at 100 %. A warning that \
    cannot be delivered is\n# retried on the next runs while the period lasts (wf= in the comment); \
    Billing reports one that never got through.\n# Usage is counted from the base= that Billing reco\
    rded, so nothing is warned while Billing is behind.\n# The shared functions (script BillingFunct\
    ions), of this build.\n:global rbFunctions\n:if (\$rbFunctions != \"ee243eaeaded2193\") do={ :do \
    { /system script run BillingFunctions } on-error={} }\n:if (\$rbFunctions != \"ee243eaeaded2193\"\
    ) do={\n  :log error (\"rosbill: \" . \"UsageWarnings\" . \": /system script BillingFunctions is \
    missing or of another build; nothing was done\")\n  :error \"rosbill: BillingFunctions missing\"\
    \n}\n:global rbParseState\n:global rbWriteState\n:global rbDecimal\n:global rbMoney\n:global rbS\
    end\n:global rbChecks\n:global rbMonthIndex\n:global rbPeriodOf\n:global rbMailWhen\n:global rbM\
    ailNext\n:global rbMakeBill\n:global rbMailTimeLeft\n:global rosbillToday\n:global rosbillMonth\n\
    :global rosbillPeriod\n:global rosbillDay\n:global rosbillClock\n:global rosbillLock\n:global ro\
    sbillLockPass\n:local runName \"UsageWarnings\"\n:local dateOk true\n:do { /system script run Mo\
    nthEnd } on-error={ :set dateOk false }\n:if ([:typeof \$rosbillToday] != \"str\" || \$rosbillTo\
    day = \"\") do={ :set dateOk false }\n:local today \$rosbillToday\n# --- one run at a time -----\
    ----------------------------------------------------------------------------------------\n# The \
    lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals are shared by every scrip\
    t on the router\n# and a reboot clears them, so a power cut never leaves a lock behind. A lock o\
    lder than 7 h is\n# stale (a run that was stopped by hand) and is taken over. A script started b\
    y the lock holder (Oversight runs\n# Billing, BillingMail and UsageWarnings) finds the holder's \
    token in rosbillLockPass and runs inside the same lock.\n:global rosbillDay\n:local nowSecs -1\n\
    :do {\n  :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\n    :set nowSecs ((\$r\
    osbillDay * 86400) + [:tonum [/system clock get time]])\n  }\n} on-error={}\n:local locked false\
    \n:local lockOwner false\n:if ([:typeof \$rosbillLockPass] = \"str\" && \$rosbillLockPass != \"\" \
    && \$rosbillLockPass = \$rosbillLock) do={\n  :set rosbillLockPass \"\"\n  :set locked true\n} e\
    lse={\n  :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLock != \"\")\n  :if (\$held\
    ) do={\n    :local parts [:toarray \"\"]\n    :local rest \$rosbillLock\n    :local sp [:find \$\
    rest \" \"]\n    :while ([:typeof \$sp] = \"num\") do={\n      :set (\$parts->[:len \$parts]) [:\
    pick \$rest 0 \$sp]\n      :set rest [:pick \$rest (\$sp + 1) [:len \$rest]]\n      :set sp [:fi\
    nd \$rest \" \"]\n    }\n    :set (\$parts->[:len \$parts]) \$rest\n    :local since -1\n    :if \
    ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\") do={\n      \
    :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)])\n    }\n    :if (\$nowSecs \
    >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) do={\n      :log \
    warning (\"rosbill: \" . \"UsageWarnings\" . \": taking over a stale lock (\" . \$rosbillLock . \
    \")\")\n      :set held false\n    }\n  }\n  :if (\$held) do={\n    :log warning (\"rosbill: \" \
    . \"UsageWarnings\" . \": another run holds the lock (\" . \$rosbillLock . \"); this run does no\
    thing\")\n  } else={\n    :local stamp \"0 0\"\n    :if (\$nowSecs >= 0) do={ :set stamp (\$rosb\
    illDay . \" \" . (\$nowSecs - (\$rosbillDay * 86400))) }\n    :set rosbillLock (\"UsageWarnings\" \
    . \" \" . \$stamp)\n    :set locked true\n    :set lockOwner true\n  }\n}\n# Packages: cap in by\
    tes (0 = unlimited), price in cents.\n:local pkgs {\"Lite\"={\"cap\"=3000000000;\"price\"=19900}\
    ;\"Home\"={\"cap\"=50000000000;\"price\"=34900};\"Business\"={\"cap\"=200000000000;\"price\"=899\
    00};\"Unlimited\"={\"cap\"=0;\"price\"=129900}}\n:local problems \"\"\n:local mSubject \"\"\n:lo\
    cal mBody \"\"\n:global rosbillLastProblems\n:local levels {50;75;90;100}\n:local warned 0\n:if \
    (\$locked) do={\n  :do {\n    :local go (\$dateOk && \$rosbillClock = \"ok\")\n    :if (!\$go) d\
    o={\n      :log warning (\"rosbill: UsageWarnings: no warnings tonight: \" . \$rosbillClock)\n    \
    }\n    # Usage is counted from the last bill: while a billing period is still unfinished, warnin\
    gs would count two months.\n    :if (\$go) do={\n      :do {\n        :local ledgerIds [/system \
    script find where name=\"BillingState\"]\n        :if ([:len \$ledgerIds] > 0) do={\n          :\
    local lst [\$rbParseState comment=[/system script get (\$ledgerIds->0) comment] today=\"\"]\n          \
    :local done ((\$lst->\"kv\")->\"done\")\n          :if ([:typeof \$done] = \"str\" && [\$rbMonth\
    Index p=\$done] < [\$rbMonthIndex p=\$rosbillPeriod]) do={\n            :set go false\n            \
    :log warning (\"rosbill: UsageWarnings: billing of \" . \$rosbillPeriod . \" is not finished; no \
    warnings tonight\")\n          }\n        }\n      } on-error={}\n    }\n    :local mailNeeded \$\
    go\n    :local mailStart [/system clock get time]\n    :local stopped \"\"\n    :local streak 0\n    \
    :local attempted 0\n    :local delivered 0\n    :local srv \"\"\n    # Before RouterOS 7.12 /too\
    l e-mail wants the server as an IP (address=): resolve the name on every run, so a\n    # provid\
    er that moves its server does not silently stop all mail.\n    :if (\$mailNeeded) do={\n      :d\
    o { :set srv [:tostr [:resolve \"smtp.example.net\"]] } on-error={\n        :log warning (\"rosb\
    ill: \" . \$runName . \": cannot resolve \" . \"smtp.example.net\" . \"; using the /tool e-mail \
    address\")\n      }\n    }\n    :if (\$go) do={\n      :foreach u in=[/user-manager user print a\
    s-value] do={\n        :local uId (\$u->\".id\")\n        :local uName [:tostr (\$u->\"name\")]\n        \
    :local uComment [:tostr (\$u->\"comment\")]\n        :local uDisabled ([:tostr (\$u->\"disabled\"\
    )] = \"true\" || [:tostr (\$u->\"disabled\")] = \"yes\")\n        # RouterOS 7 has no e-mail or \
    name fields: they come from the comment (email=, first=, last=), and the profile\n        # from \
    \"monitor\" (read_total).\n        :local uProfile \"\"\n        :local uEmail \"\"\n        :lo\
    cal uFirst \"\"\n        :local uLast \"\"\n        :do {\n          # --- this user's state and \
    data, checked before anything is computed or sent ------------------------------\n          :loc\
    al skip \"\"\n          :local quiet false\n          :local st [\$rbParseState comment=\$uComme\
    nt today=\$rosbillToday]\n          :local kv (\$st->\"kv\")\n          :if ((\$st->\"err\") != \
    \"\") do={ :set skip (\"broken comment: \" . (\$st->\"err\")) }\n          :if ([:typeof (\$kv->\
    \"email\")] = \"str\") do={ :set uEmail (\$kv->\"email\") }\n          :if ([:typeof (\$kv->\"fi\
    rst\")] = \"str\") do={ :set uFirst (\$kv->\"first\") }\n          :if ([:typeof (\$kv->\"last\"\
    )] = \"str\") do={ :set uLast (\$kv->\"last\") }\n          :local uPkg \$uProfile\n          :i\
    f ([:typeof (\$kv->\"pkg\")] = \"str\") do={ :set uPkg (\$kv->\"pkg\") }\n          :if (\$uDisa\
    bled || (\$kv->\"bill\") = \"no\") do={\n            :set skip \"not billed (disabled, or bill=n\
    o in the comment)\"\n            :set quiet true\n          }\n          # These values reach ma\
    il subjects and bodies: a CR or LF in a subject would start new mail headers.\n          :if (\$\
    skip = \"\" && (\$uName . \$uFirst . \$uLast . \$uPkg . [:tostr (\$kv->\"bpkg\")]) ~ \"[\\01-\\1\
    F\\7F]\") do={\n            :set skip \"the login name, first or last name or package contains a \
    control character\"\n          }\n          :foreach checked,pattern in=\$rbChecks do={\n            \
    :if (\$skip = \"\" && [:typeof (\$kv->\$checked)] = \"str\" && !((\$kv->\$checked) ~ \$pattern)) \
    do={\n              :set skip (\$checked . \"=\" . (\$kv->\$checked) . \" in the comment is not \
    valid (docs/comment-format.md)\")\n            }\n          }\n          :local mailOk (\$uEmail \
    ~ \"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\\\.[A-Za-z0-9-]+)+\\\$\")\n          :if (\$skip = \"\" &\
    & [:typeof (\$kv->\"rst\")] = \"str\") do={\n            :set skip \"its counters are being rese\
    t\"\n            :set quiet true\n          }\n          :if (\$skip = \"\" && !\$mailOk) do={ :\
    set skip \"no valid e-mail address\" }\n          :local changed false\n          :if (\$skip = \
    \"\") do={\n            :local uTotal -1\n            # The user's totals and profile: RouterOS \
    7 keeps them only behind \"monitor\".\n            :set uTotal -1\n            :do {\n              \
    :local mon [/user-manager user monitor \$uId once as-value]\n              :local dl [:tonum (\$\
    mon->\"total-download\")]\n              :local ul [:tonum (\$mon->\"total-upload\")]\n              \
    :if ([:typeof \$dl] = \"num\" && [:typeof \$ul] = \"num\") do={ :set uTotal (\$dl + \$ul) }\n              \
    :set uProfile [:tostr (\$mon->\"actual-profile\")]\n            } on-error={}\n            :if (\
    [:typeof (\$kv->\"pkg\")] != \"str\" && \$uProfile != \"\") do={ :set uPkg \$uProfile }\n            \
    :if (\$uPkg = \"\" && [:typeof (\$kv->\"bpkg\")] = \"str\") do={ :set uPkg (\$kv->\"bpkg\") }\n            \
    :if (\$uTotal < 0) do={ :set skip \"the usage counters could not be read\" }\n            :if (\$\
    skip = \"\" && \$uPkg = \"\") do={ :set skip \"no package (no User Manager profile and no pkg= i\
    n the comment)\" }\n            :if (\$skip = \"\" && [:typeof (\$pkgs->\$uPkg)] != \"array\") d\
    o={ :set skip (\"unknown package \\\"\" . \$uPkg . \"\\\"\") }\n            :if (\$skip = \"\") \
    do={\n              # --- usage this period, counted from base= (the counter total when the last \
    bill was made) --------------------\n              :local period \$rosbillMonth\n              :\
    local capBytes (\$pkgs->\$uPkg->\"cap\")\n              :if ((\$kv->\"cap\") = \"unlimited\") do\
    ={ :set capBytes 0 }\n              :if ((\$kv->\"cap\") ~ \"^[0-9]+\\\$\") do={ :set capBytes (\
    [:tonum (\$kv->\"cap\")] * 1000000) }\n              :local base 0\n              :if ([:typeof \
    (\$kv->\"base\")] = \"str\") do={ :set base [:tonum (\$kv->\"base\")] }\n              :local us\
    ed (\$uTotal - \$base)\n              :if (\$used < 0) do={\n                # The counters went \
    down since the last bill (reset, or sessions removed outside rosbill): count from 0, and say\n                \
    # so in the comment at once, so that later traffic is not hidden behind the old base.\n                \
    :set used \$uTotal\n                :set (\$kv->\"base\") \"0\"\n                :set changed tr\
    ue\n                :set problems (\$problems . \$uName . \": the counters went below the last b\
    ill's; usage is counted from 0\\n\")\n              }\n              :local usedMb (\$used / 100\
    0000)\n              :local capMb \"unlimited\"\n              :local capText \"unlimited\"\n              \
    :local percent 0\n              :if (\$capBytes > 0) do={\n                :set capMb (\$capByte\
    s / 1000000)\n                :set capText (\$capMb . \" MB\")\n                :set percent ((\$\
    used * 100) / \$capBytes)\n                # --- the highest level reached; mailed if it is abov\
    e the last one mailed this period ----------------------\n                :local level 0\n                \
    :foreach l in=\$levels do={\n                  :if (\$percent >= \$l) do={ :set level \$l }\n                \
    }\n                :local stored 0\n                :if ([:typeof (\$kv->\"lvl\")] = \"str\") do\
    ={ :set stored [:tonum (\$kv->\"lvl\")] }\n                :if (\$level > \$stored) do={\n                  \
    :if (\$stopped = \"\" && ![\$rbMailTimeLeft since=\$mailStart]) do={ :set stopped \"the time for \
    mail in this run was used up\" }\n                  :if (\$stopped = \"\") do={\n                    \
    # Write ahead (wf= this level) before sending: a warning the power cut after sending is marked n\
    ext time.\n                    :local resend ((\$kv->\"wf\") = [:tostr \$level])\n                    \
    :if (!\$resend) do={\n                      :set (\$kv->\"wf\") [:tostr \$level]\n                      \
    /user-manager user set \$uId comment=[\$rbWriteState pre=(\$st->\"pre\") post=(\$st->\"post\") k\
    v=\$kv]\n                    }\n                    :set mSubject (\"Example Wireless: \" . \$le\
    vel . \"% of your \" . \$uPkg . \" data used\")\n                    :set mBody \"\"\n                    \
    :set mBody (\$mBody . \"Dear \" . \$uFirst . \" \" . \$uLast . \",\\n\")\n                    :s\
    et mBody (\$mBody . \"\\n\")\n                    :set mBody (\$mBody . \"You have used \" . \$u\
    sedMb . \" MB of your \" . \$capMb . \" MB \" . \$uPkg . \" allowance this month (\" . \$percent \
    . \"%).\\n\")\n                    :set mBody (\$mBody . \"This is an automatic notice at \" . \$\
    level . \"% of your cap; it is sent once per month.\\n\")\n                    :set mBody (\$mBo\
    dy . \"\\n\")\n                    :set mBody (\$mBody . \"Need more\\\? Reply to this mail to u\
    pgrade.\\n\")\n                    :set mBody (\$mBody . \"\\n\")\n                    :set mBod\
    y (\$mBody . \"Example Wireless\\n\")\n                    :if (\$resend) do={ :set mSubject (\"\
    Re-sent: \" . \$mSubject) }\n                    :local outcome [\$rbSend mailTo=\$uEmail mailSu\
    bject=\$mSubject mailBody=\$mBody srv=\$srv]\n                    :set attempted (\$attempted + \
    1)\n                    :if (\$outcome = \"ok\") do={\n                      :set streak 0\n                      \
    :set delivered (\$delivered + 1)\n                    } else={\n                      :set strea\
    k (\$streak + 1)\n                      :if (\$streak >= 3) do={ :set stopped \"three mails in a \
    row were not delivered (is the SMTP server down\?)\" }\n                    }\n                    \
    :if (\$outcome = \"ok\") do={\n                      :set (\$kv->\"lvl\") [:tostr \$level]\n                      \
    :set (\$kv->\"wf\") \"\"\n                      :set changed true\n                      :set wa\
    rned (\$warned + 1)\n                      :log info (\"rosbill: UsageWarnings: \" . \$uName . \" \
    reached \" . \$level . \"% (\" . \$usedMb . \" MB), warned\")\n                      :if (\$leve\
    l >= 100) do={\n                        :set mSubject (\"Usage \" . \$level . \"%: \" . \$uName \
    . \" (\" . \$uPkg . \")\")\n                        :set mBody \"\"\n                        :se\
    t mBody (\$mBody . \$uName . \" (\" . \$uFirst . \" \" . \$uLast . \", \" . \$uEmail . \") used \
    \" . \$usedMb . \" of \" . \$capMb . \" MB (\" . \$percent . \"%) on \" . \$today . \".\\n\")\n                        \
    :if ([\$rbSend mailTo=\"accounts@example.net\" mailSubject=\$mSubject mailBody=\$mBody srv=\$srv\
    ] != \"ok\") do={\n                          :set problems (\$problems . \$uName . \": the accou\
    nts copy of the \" . \$level . \"% warning could not be sent\\n\")\n                        }\n                      \
    }\n                    } else={\n                      :log warning (\"rosbill: UsageWarnings: t\
    he \" . \$level . \"% warning to \" . \$uName . \" was not delivered; it is retried at the next \
    run\")\n                      :set problems (\$problems . \$uName . \": the \" . \$level . \"% w\
    arning mail to \" . \$uEmail . \" was not delivered; retried at the next run\\n\")\n                    \
    }\n                  }\n                }\n              }\n            }\n          }\n          \
    :if (\$changed) do={\n            /user-manager user set \$uId comment=[\$rbWriteState pre=(\$st\
    ->\"pre\") post=(\$st->\"post\") kv=\$kv]\n          }\n          :if (\$skip != \"\" && !\$quie\
    t) do={\n            :log warning (\"rosbill: UsageWarnings: skipped \" . \$uName . \": \" . \$s\
    kip)\n            :set problems (\$problems . \$uName . \": skipped: \" . \$skip . \"\\n\")\n          \
    }\n        } on-error={\n          :log warning (\"rosbill: UsageWarnings: skipped \" . \$uName \
    . \": a router command failed for this user\")\n          :set problems (\$problems . \$uName . \
    \": a router command failed for this user; see the router log\\n\")\n        }\n      }\n      :\
    if (\$stopped != \"\") do={\n        :log warning (\"rosbill: UsageWarnings: stopped sending: \" \
    . \$stopped . \"; the rest is warned on the next run\")\n        :set problems (\$problems . \"S\
    ending stopped early: \" . \$stopped . \"; the rest is warned on the next run.\\n\")\n      }\n      \
    :if ([:typeof \$rosbillLastProblems] != \"str\") do={ :set rosbillLastProblems \"\" }\n      # P\
    roblems are reported when they change, not every night.\n      :if (\$problems != \"\" && \$prob\
    lems != \$rosbillLastProblems) do={\n        :local period \$rosbillMonth\n        :local billed \
    0\n        # The report, in parts if it is long (RouterOS sends bodies just under 64 kB). Needs \
    \$problems, \$period, \$billed, \$srv.\n        # What an earlier report could not deliver (glob\
    al rosbillUnsent; a reboot loses it) goes first, so accounts learn of\n        # a dropped warni\
    ng or an outstanding bill even when the report of that night failed.\n        :global rosbillUns\
    ent\n        :if ([:typeof \$rosbillUnsent] != \"str\") do={ :set rosbillUnsent \"\" }\n        \
    :local rest \$problems\n        :if (\$rosbillUnsent != \"\") do={\n          :set rest (\"From \
    earlier reports that could not be sent:\\n\" . \$rosbillUnsent . \"\\nNow:\\n\" . \$problems)\n          \
    :set rosbillUnsent \"\"\n        }\n        :if (\$rest = \"\") do={ :set rest \"none\\n\" }\n        \
    :local chunks [:toarray \"\"]\n        :while ([:len \$rest] > 0) do={\n          :local cut [:l\
    en \$rest]\n          :if (\$cut > 30000) do={\n            :set cut 30000\n            :local h\
    ead [:pick \$rest 0 \$cut]\n            :local nl [:find \$head \"\\n\" -1]\n            :local \
    last -1\n            :while ([:typeof \$nl] = \"num\") do={\n              :set last \$nl\n              \
    :set nl [:find \$head \"\\n\" \$nl]\n            }\n            :if (\$last >= 0) do={ :set cut \
    (\$last + 1) }\n          }\n          :set (\$chunks->[:len \$chunks]) [:pick \$rest 0 \$cut]\n          \
    :set rest [:pick \$rest \$cut [:len \$rest]]\n        }\n        :local chunkNo 0\n        :fore\
    ach chunk in=\$chunks do={\n          :set chunkNo (\$chunkNo + 1)\n          :local reportText \
    \$chunk\n          :set mSubject (\"Example Wireless: UsageWarnings report \" . \$today)\n          \
    :set mBody \"\"\n          :set mBody (\$mBody . \"UsageWarnings ran on \" . \$today . \" (perio\
    d \" . \$period . \"). Users billed: \" . \$billed . \"\\n\")\n          :set mBody (\$mBody . \"\
    \\n\")\n          :set mBody (\$mBody . \"Skipped users and failed e-mails:\\n\")\n          :se\
    t mBody (\$mBody . \$reportText . \"\\n\")\n          :if ([:len \$chunks] > 1) do={ :set mSubje\
    ct (\$mSubject . \" (part \" . \$chunkNo . \" of \" . [:len \$chunks] . \")\") }\n          :if \
    ([\$rbSend mailTo=\"accounts@example.net\" mailSubject=\$mSubject mailBody=\$mBody srv=\$srv] != \
    \"ok\") do={\n            :log warning (\"rosbill: \" . \$runName . \": the report to accounts c\
    ould not be sent; it goes with the next one\")\n            # Kept for the next report, the newe\
    st 30 kB at most.\n            :set rosbillUnsent (\$rosbillUnsent . \$chunk)\n            :if (\
    [:len \$rosbillUnsent] > 30000) do={\n              :set rosbillUnsent (\"(older lines dropped)\\\
    n\" . [:pick \$rosbillUnsent ([:len \$rosbillUnsent] - 30000) [:len \$rosbillUnsent]])\n            \
    }\n          }\n        }\n      }\n      :set rosbillLastProblems \$problems\n      :log info (\
    \"rosbill: UsageWarnings: \" . \$warned . \" warnings sent\")\n    }\n  } on-error={\n    :log e\
    rror \"rosbill: UsageWarnings: stopped with an error (see the log above)\"\n  }\n  :if (\$lockOw\
    ner) do={ :set rosbillLock \"\" }\n}\n"
:local ids [/system script find where name="UsageWarnings"]
:if ([:len $ids] = 0) do={
  /system script add name="UsageWarnings" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "UsageWarnings") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local p [:tostr [/system script get $sid policy]]
  :if ($p != $policy && $p != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# Billing: bills every ended period once, recording each bill before anything is sent; never resets \
    the counters (baseline: usage counts from the billed total)\n# Generated by rosbill 0.1.0 for Ro\
    uterOS 7.9 (v7).\n# Do not edit on the router: change config/billing.yaml, rebuild and deploy.\n\
    # Runs every night (Oversight) and records whatever bill is due; BillingMail sends the mails aft\
    erwards.\n#  1. An interrupted counter reset of an earlier run (a power cut) is finished first.\n\
    #  2. A period that has ended and is not billed yet (on the last day: this month) is billed. Eac\
    h user's bill\n#     (period, invoice number, usage, package, price, discount) is recorded in th\
    e user's comment, with both of its\n#     mails marked pending, before anything is sent. Invoice \
    numbers come from one sequence for the whole router\n#     (the comment of /system script Billin\
    gState).\n#  3. The counters are never reset (counter_reset: baseline): the recorded counter tot\
    al is the next period's base.\n# Nothing is billed while the clock cannot be trusted (see MonthE\
    nd); the work is done once it can.\n# The shared functions (script BillingFunctions), of this bu\
    ild.\n:global rbFunctions\n:if (\$rbFunctions != \"ee243eaeaded2193\") do={ :do { /system script \
    run BillingFunctions } on-error={} }\n:if (\$rbFunctions != \"ee243eaeaded2193\") do={\n  :log e\
    rror (\"rosbill: \" . \"Billing\" . \": /system script BillingFunctions is missing or of another \
    build; nothing was done\")\n  :error \"rosbill: BillingFunctions missing\"\n}\n:global rbParseSt\
    ate\n:global rbWriteState\n:global rbDecimal\n:global rbMoney\n:global rbSend\n:global rbChecks\n\
    :global rbMonthIndex\n:global rbPeriodOf\n:global rbMailWhen\n:global rbMailNext\n:global rbMake\
    Bill\n:global rbMailTimeLeft\n:global rosbillToday\n:global rosbillMonth\n:global rosbillPeriod\n\
    :global rosbillDay\n:global rosbillClock\n:global rosbillLock\n:global rosbillLockPass\n:local r\
    unName \"Billing\"\n:local dateOk true\n:do { /system script run MonthEnd } on-error={ :set date\
    Ok false }\n:if ([:typeof \$rosbillToday] != \"str\" || \$rosbillToday = \"\") do={ :set dateOk \
    false }\n:local today \$rosbillToday\n# --- one run at a time ----------------------------------\
    -----------------------------------------------------------\n# The lock is the global rosbillLoc\
    k (\"<script> <day> <seconds>\"): globals are shared by every script on the router\n# and a rebo\
    ot clears them, so a power cut never leaves a lock behind. A lock older than 7 h is\n# stale (a \
    run that was stopped by hand) and is taken over. A script started by the lock holder (Oversight \
    runs\n# Billing, BillingMail and UsageWarnings) finds the holder's token in rosbillLockPass and \
    runs inside the same lock.\n:global rosbillDay\n:local nowSecs -1\n:do {\n  :if ([:typeof \$rosb\
    illDay] = \"num\" && \$rosbillDay > 0) do={\n    :set nowSecs ((\$rosbillDay * 86400) + [:tonum \
    [/system clock get time]])\n  }\n} on-error={}\n:local locked false\n:local lockOwner false\n:if \
    ([:typeof \$rosbillLockPass] = \"str\" && \$rosbillLockPass != \"\" && \$rosbillLockPass = \$ros\
    billLock) do={\n  :set rosbillLockPass \"\"\n  :set locked true\n} else={\n  :local held ([:type\
    of \$rosbillLock] = \"str\" && \$rosbillLock != \"\")\n  :if (\$held) do={\n    :local parts [:t\
    oarray \"\"]\n    :local rest \$rosbillLock\n    :local sp [:find \$rest \" \"]\n    :while ([:t\
    ypeof \$sp] = \"num\") do={\n      :set (\$parts->[:len \$parts]) [:pick \$rest 0 \$sp]\n      :\
    set rest [:pick \$rest (\$sp + 1) [:len \$rest]]\n      :set sp [:find \$rest \" \"]\n    }\n    \
    :set (\$parts->[:len \$parts]) \$rest\n    :local since -1\n    :if ([:len \$parts] = 3 && (\$pa\
    rts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\") do={\n      :set since (([:tonum (\$\
    parts->1)] * 86400) + [:tonum (\$parts->2)])\n    }\n    :if (\$nowSecs >= 0 && \$since >= 0 && \
    (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) do={\n      :log warning (\"rosbill: \" \
    . \"Billing\" . \": taking over a stale lock (\" . \$rosbillLock . \")\")\n      :set held false\
    \n    }\n  }\n  :if (\$held) do={\n    :log warning (\"rosbill: \" . \"Billing\" . \": another r\
    un holds the lock (\" . \$rosbillLock . \"); this run does nothing\")\n  } else={\n    :local st\
    amp \"0 0\"\n    :if (\$nowSecs >= 0) do={ :set stamp (\$rosbillDay . \" \" . (\$nowSecs - (\$ro\
    sbillDay * 86400))) }\n    :set rosbillLock (\"Billing\" . \" \" . \$stamp)\n    :set locked tru\
    e\n    :set lockOwner true\n  }\n}\n# Packages: cap in bytes (0 = unlimited), price in cents.\n:\
    local pkgs {\"Lite\"={\"cap\"=3000000000;\"price\"=19900};\"Home\"={\"cap\"=50000000000;\"price\"\
    =34900};\"Business\"={\"cap\"=200000000000;\"price\"=89900};\"Unlimited\"={\"cap\"=0;\"price\"=1\
    29900}}\n:local problems \"\"\n:local mSubject \"\"\n:local mBody \"\"\n:if (\$locked) do={\n  :\
    do {\n    # --- the ledger ---------------------------------------------------------------------\
    -------------------------------\n    # Router-wide billing state lives in the comment of the scr\
    ipt entry BillingState (created here if missing; its\n    # source does nothing). Keys: done= th\
    e last period whose billing run finished, seq= the last invoice number\n    # issued, pend= how \
    many users have a mail not yet delivered, next= the day number of the next retry, day= the day\n    \
    # of the last run, busy=1 while a run is working (an interrupted run leaves it, and the next one \
    checks everyone).\n    :local go true\n    :local ledgerId \"\"\n    :do {\n      :local ledgerI\
    ds [/system script find where name=\"BillingState\"]\n      :if ([:len \$ledgerIds] = 0) do={\n        \
    :set ledgerId [/system script add name=\"BillingState\" policy=read dont-require-permissions=no \
    \\\n          source=\"# rosbill keeps the router-wide billing state (the invoice number sequenc\
    e, the last billed period, mail still\\n# to be delivered) in the comment of this entry. Billing \
    reads and writes it; do not edit or remove it.\\n\" comment=\"rosbill billing state, do not edit\
    : rb{}\"]\n      } else={\n        :set ledgerId (\$ledgerIds->0)\n      }\n    } on-error={\n      \
    :set go false\n      :log error \"rosbill: Billing: cannot read or create /system script Billing\
    State; nothing was done\"\n    }\n    :local led [:toarray \"\"]\n    :local ledPre \"\"\n    :l\
    ocal ledPost \"\"\n    :if (\$go) do={\n      :local lst [\$rbParseState comment=[/system script \
    get \$ledgerId comment] today=\"\"]\n      :if ((\$lst->\"err\") != \"\") do={\n        :set go \
    false\n        :log error (\"rosbill: Billing: the comment of /system script BillingState is bro\
    ken (\" . (\$lst->\"err\") . \"); nothing was done\")\n      } else={\n        :set led (\$lst->\
    \"kv\")\n        :set ledPre (\$lst->\"pre\")\n        :set ledPost (\$lst->\"post\")\n      }\n    \
    }\n    :local fresh ([:typeof (\$led->\"done\")] != \"str\")\n    :local busy ((\$led->\"busy\") \
    = \"1\")\n    :local seq (10001 - 1)\n    :if ((\$led->\"seq\") ~ \"^[0-9]{1,15}\\\$\") do={\n      \
    :local last [\$rbDecimal text=(\$led->\"seq\")]\n      :if (\$last > \$seq) do={ :set seq \$last \
    }\n    }\n    # --- after an interruption: finish counter resets, and find every invoice number \
    in use -------------------------\n    # Needs no trustworthy date, so it also runs right after a \
    boot with the clock at 1970.\n    :local maxPer \"\"\n    :if (\$go && (\$busy || \$fresh)) do={\
    \n      :foreach u in=[/user-manager user print as-value] do={\n        :local uId (\$u->\".id\"\
    )\n        :local uName [:tostr (\$u->\"name\")]\n        :local uComment [:tostr (\$u->\"commen\
    t\")]\n        :local uDisabled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disa\
    bled\")] = \"yes\")\n        # RouterOS 7 has no e-mail or name fields: they come from the comme\
    nt (email=, first=, last=), and the profile\n        # from \"monitor\" (read_total).\n        :\
    local uProfile \"\"\n        :local uEmail \"\"\n        :local uFirst \"\"\n        :local uLas\
    t \"\"\n        :do {\n          :local st [\$rbParseState comment=\$uComment today=\$rosbillTod\
    ay]\n          :local kv (\$st->\"kv\")\n          :if ((\$st->\"err\") = \"\") do={\n            \
    # no= is a bill's number; inv= (rosbill 0.1 and the original scripts) is a user's *next* number.\
    \n            :foreach key in={\"no\";\"inv\"} do={\n              :if ((\$kv->\$key) ~ \"^[0-9]\
    {1,15}\\\$\") do={\n                :local used [\$rbDecimal text=(\$kv->\$key)]\n                \
    :if (\$key = \"inv\") do={ :set used (\$used - 1) }\n                :if (\$used > \$seq) do={ :\
    set seq \$used }\n              }\n            }\n            :if ((\$kv->\"per\") ~ \"^[0-9]{4}\
    -[0-9]{2}\\\$\") do={\n              :if (\$maxPer = \"\" || [\$rbMonthIndex p=(\$kv->\"per\")] \
    > [\$rbMonthIndex p=\$maxPer]) do={ :set maxPer (\$kv->\"per\") }\n            }\n            :l\
    ocal marker (\$kv->\"rst\")\n            :if ([:typeof \$marker] = \"str\") do={\n              \
    # The reset of this user was interrupted. Billing disabled the user before it, so no traffic has \
    come in\n              # since: whatever the counters say now is where the next period starts.\n              \
    :local uTotal -1\n              :if (\$marker != \"-\") do={\n                # The user's total\
    s and profile: RouterOS 7 keeps them only behind \"monitor\".\n                :set uTotal -1\n                \
    :do {\n                  :local mon [/user-manager user monitor \$uId once as-value]\n                  \
    :local dl [:tonum (\$mon->\"total-download\")]\n                  :local ul [:tonum (\$mon->\"to\
    tal-upload\")]\n                  :if ([:typeof \$dl] = \"num\" && [:typeof \$ul] = \"num\") do=\
    { :set uTotal (\$dl + \$ul) }\n                  :set uProfile [:tostr (\$mon->\"actual-profile\"\
    )]\n                } on-error={}\n                :if (\$uTotal >= 0) do={\n                  :\
    set (\$kv->\"base\") [:tostr \$uTotal]\n                } else={\n                  :set problem\
    s (\$problems . \$uName . \": the counters could not be read after an interrupted reset; check b\
    ase= in the comment\\n\")\n                }\n              }\n              :set (\$kv->\"rst\"\
    ) \"\"\n              /user-manager user set \$uId disabled=no comment=[\$rbWriteState pre=(\$st\
    ->\"pre\") post=(\$st->\"post\") kv=\$kv]\n              :log warning (\"rosbill: Billing: finis\
    hed the interrupted counter reset of \" . \$uName . \" and enabled the user again\")\n            \
    }\n          }\n        } on-error={\n          :log warning (\"rosbill: Billing: could not chec\
    k \" . \$uName . \" for unfinished work\")\n        }\n      }\n    }\n    # --- can the clock b\
    e trusted, and is there anything to do\? -------------------------------------------------------\
    -\n    :local clockOk (\$go && \$dateOk && \$rosbillClock = \"ok\")\n    :local clockWhy \$rosbi\
    llClock\n    :if (!\$dateOk) do={ :set clockWhy \"MonthEnd could not read the date\" }\n    :if \
    (\$clockOk && (\$led->\"day\") ~ \"^[0-9]{1,7}\\\$\") do={\n      :if (\$rosbillDay < ([\$rbDeci\
    mal text=(\$led->\"day\")] - 1)) do={\n        :set clockOk false\n        :set clockWhy (\"the \
    clock says \" . \$rosbillToday . \", earlier than the last run\")\n      }\n    }\n    :if (\$go \
    && \$fresh && \$clockOk) do={\n      # A new ledger: start after the last period any user was bi\
    lled for, else after last month (nothing before\n      # this install is billed).\n      :if (\$\
    maxPer != \"\") do={\n        :set (\$led->\"done\") \$maxPer\n      } else={\n        :set (\$l\
    ed->\"done\") [\$rbPeriodOf index=([\$rbMonthIndex p=\$rosbillMonth] - 1)]\n      }\n    }\n    \
    :local due \"\"\n    :local recordNight false\n    :if (\$go && \$clockOk) do={\n      :set due \
    [\$rbPeriodOf index=([\$rbMonthIndex p=(\$led->\"done\")] + 1)]\n      :set recordNight ([\$rbMo\
    nthIndex p=\$due] <= [\$rbMonthIndex p=\$rosbillPeriod])\n    }\n    :local work (\$go && \$cloc\
    kOk && (\$recordNight || \$busy || \$fresh))\n    :if (\$go && !\$clockOk) do={\n      :log erro\
    r (\"rosbill: Billing: \" . \$clockWhy . \"; nothing is billed or sent until the clock can be tr\
    usted\")\n      :set problems (\$problems . \"Billing is paused: \" . \$clockWhy . \". Whatever \
    is due is done once the clock is right.\\n\")\n    }\n    :if (\$go && !\$work) do={\n      # No\
    thing due: only remember the day of this run.\n      :if (\$clockOk && (\$led->\"day\") != [:tos\
    tr \$rosbillDay]) do={\n        :set (\$led->\"day\") [:tostr \$rosbillDay]\n        :do {\n          \
    /system script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost kv=\$led]\n        \
    } on-error={ :log warning \"rosbill: Billing: could not update /system script BillingState\" }\n      \
    }\n    }\n    :if (\$work) do={\n      :set (\$led->\"busy\") \"1\"\n      :set (\$led->\"seq\") \
    [:tostr \$seq]\n      :set (\$led->\"day\") [:tostr \$rosbillDay]\n      :do {\n        /system \
    script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost kv=\$led]\n      } on-\
    error={\n        :set work false\n        :log error \"rosbill: Billing: cannot write /system sc\
    ript BillingState; nothing was billed\"\n      }\n    }\n    # --- every user: bill what is due \
    -----------------------------------------------------------------------------\n    :local billed \
    0\n    :local cands [:toarray \"\"]\n    :local dueIndex 0\n    :if (\$recordNight) do={ :set du\
    eIndex [\$rbMonthIndex p=\$due] }\n    :if (\$recordNight) do={\n      :foreach u in=[/user-mana\
    ger user print as-value] do={\n        :local uId (\$u->\".id\")\n        :local uName [:tostr (\
    \$u->\"name\")]\n        :local uComment [:tostr (\$u->\"comment\")]\n        :local uDisabled (\
    [:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disabled\")] = \"yes\")\n        # Ro\
    uterOS 7 has no e-mail or name fields: they come from the comment (email=, first=, last=), and t\
    he profile\n        # from \"monitor\" (read_total).\n        :local uProfile \"\"\n        :loc\
    al uEmail \"\"\n        :local uFirst \"\"\n        :local uLast \"\"\n        :local key (\"u\" \
    . \$uName)\n        :do {\n          # --- this user's state and data, checked before anything i\
    s computed or sent ------------------------------\n          :local skip \"\"\n          :local \
    quiet false\n          :local st [\$rbParseState comment=\$uComment today=\$rosbillToday]\n          \
    :local kv (\$st->\"kv\")\n          :if ((\$st->\"err\") != \"\") do={ :set skip (\"broken comme\
    nt: \" . (\$st->\"err\")) }\n          :if ([:typeof (\$kv->\"email\")] = \"str\") do={ :set uEm\
    ail (\$kv->\"email\") }\n          :if ([:typeof (\$kv->\"first\")] = \"str\") do={ :set uFirst \
    (\$kv->\"first\") }\n          :if ([:typeof (\$kv->\"last\")] = \"str\") do={ :set uLast (\$kv-\
    >\"last\") }\n          :local uPkg \$uProfile\n          :if ([:typeof (\$kv->\"pkg\")] = \"str\
    \") do={ :set uPkg (\$kv->\"pkg\") }\n          :if (\$uDisabled || (\$kv->\"bill\") = \"no\") d\
    o={\n            :set skip \"not billed (disabled, or bill=no in the comment)\"\n            :se\
    t quiet true\n          }\n          # These values reach mail subjects and bodies: a CR or LF i\
    n a subject would start new mail headers.\n          :if (\$skip = \"\" && (\$uName . \$uFirst . \
    \$uLast . \$uPkg . [:tostr (\$kv->\"bpkg\")]) ~ \"[\\01-\\1F\\7F]\") do={\n            :set skip \
    \"the login name, first or last name or package contains a control character\"\n          }\n          \
    :foreach checked,pattern in=\$rbChecks do={\n            :if (\$skip = \"\" && [:typeof (\$kv->\$\
    checked)] = \"str\" && !((\$kv->\$checked) ~ \$pattern)) do={\n              :set skip (\$checke\
    d . \"=\" . (\$kv->\$checked) . \" in the comment is not valid (docs/comment-format.md)\")\n            \
    }\n          }\n          :local mailOk (\$uEmail ~ \"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\\\.[A-Z\
    a-z0-9-]+)+\\\$\")\n          :if (\$skip = \"\" && [:typeof (\$kv->\"rst\")] = \"str\") do={\n            \
    :set skip \"a counter reset of an earlier run was not finished (rst= in the comment)\"\n          \
    }\n          :local needBill false\n          :local uTotal -1\n          :if (\$recordNight && \
    \$skip = \"\") do={\n            :if ([:typeof (\$kv->\"per\")] != \"str\") do={ :set needBill t\
    rue }\n            :if (!\$needBill) do={ :set needBill ([\$rbMonthIndex p=(\$kv->\"per\")] < \$\
    dueIndex) }\n          }\n          :if (\$needBill) do={\n            # The user's totals and p\
    rofile: RouterOS 7 keeps them only behind \"monitor\".\n            :set uTotal -1\n            \
    :do {\n              :local mon [/user-manager user monitor \$uId once as-value]\n              \
    :local dl [:tonum (\$mon->\"total-download\")]\n              :local ul [:tonum (\$mon->\"total-\
    upload\")]\n              :if ([:typeof \$dl] = \"num\" && [:typeof \$ul] = \"num\") do={ :set u\
    Total (\$dl + \$ul) }\n              :set uProfile [:tostr (\$mon->\"actual-profile\")]\n            \
    } on-error={}\n            # The package: pkg= in the comment, else the User Manager profile. A \
    v6 profile that expired leaves\n            # actual-profile empty; then the package of the last \
    bill stands in, and accounts are told.\n            :set uPkg \$uProfile\n            :if ([:typ\
    eof (\$kv->\"pkg\")] = \"str\") do={ :set uPkg (\$kv->\"pkg\") }\n            :if (\$uPkg = \"\" \
    && [:typeof (\$kv->\"bpkg\")] = \"str\") do={\n              :set uPkg (\$kv->\"bpkg\")\n              \
    :set problems (\$problems . \$uName . \": has no active profile; billed as \" . \$uPkg . \", the \
    package of the last bill\\n\")\n            }\n            :if (\$uTotal < 0) do={ :set skip \"t\
    he usage counters could not be read\" }\n            :if (\$skip = \"\" && \$uPkg = \"\") do={ :\
    set skip \"no package (no User Manager profile and no pkg= in the comment)\" }\n            :if \
    (\$skip = \"\" && [:typeof (\$pkgs->\$uPkg)] != \"array\") do={ :set skip (\"unknown package \\\"\
    \" . \$uPkg . \"\\\"\") }\n            :if (\$skip != \"\") do={ :set needBill false }\n          \
    }\n          :if (\$recordNight && \$skip != \"\" && !\$quiet) do={\n            :log warning (\"\
    rosbill: Billing: \" . \$uName . \" is not billed for \" . \$due . \": \" . \$skip)\n            \
    :set problems (\$problems . \$uName . \": NOT BILLED for \" . \$due . \": \" . \$skip . \"\\n\")\
    \n          }\n          :local entry {\"id\"=\$uId;\"name\"=\$uName;\"pre\"=(\$st->\"pre\");\"p\
    ost\"=(\$st->\"post\");\"kv\"=\$kv;\"pkg\"=\$uPkg}\n          :if (\$needBill) do={\n            \
    # Record the bill: one write holds the bill, its invoice number and the new base, before any mai\
    l is sent.\n            :if ((\$kv->\"um\") ~ \"^[0-9]\" || (\$kv->\"am\") ~ \"^[0-9]\") do={\n              \
    :set problems (\$problems . \$uName . \": the mails of invoice number \" . (\$kv->\"no\") . \" (\
    \" . (\$kv->\"per\") . \\\n                \") were never all confirmed delivered; they are give\
    n up for the bill of \" . \$due . \" (see the accounts copy)\\n\")\n            }\n            :\
    if ((\$kv->\"wf\") ~ \"^[0-9]+\\\$\") do={\n              :set problems (\$problems . \$uName . \
    \": the \" . (\$kv->\"wf\") . \"% usage warning could not be delivered before the period ended\\\
    n\")\n            }\n            :set seq (\$seq + 1)\n            :local bill [\$rbMakeBill kv=\
    \$kv total=\$uTotal pkg=\$uPkg info=(\$pkgs->\$uPkg) number=\$seq period=\$due today=\$rosbillDa\
    y]\n            :local nkv (\$bill->\"kv\")\n            :local wrote true\n            :do {\n              \
    /user-manager user set \$uId comment=[\$rbWriteState pre=(\$entry->\"pre\") post=(\$entry->\"pos\
    t\") kv=\$nkv]\n            } on-error={ :set wrote false }\n            :if (\$wrote) do={\n              \
    :set billed (\$billed + 1)\n              :log info (\"rosbill: Billing: \" . \$uName . \" bille\
    d for \" . \$due . \", invoice number \" . \$seq)\n              :if (\$bill->\"down\") do={\n                \
    :set problems (\$problems . \$uName . \": the counters were below the last bill's (reset or sess\
    ions removed outside rosbill); usage counted from 0\\n\")\n              }\n              :set (\
    \$entry->\"kv\") \$nkv\n              :if ((\$billed % 50) = 0) do={\n                :set (\$le\
    d->\"seq\") [:tostr \$seq]\n                :do { /system script set \$ledgerId comment=[\$rbWri\
    teState pre=\$ledPre post=\$ledPost kv=\$led] } on-error={}\n              }\n            } else\
    ={\n              :log error (\"rosbill: Billing: could not write the bill of \" . \$uName . \"; \
    invoice number \" . \$seq . \" stays unused\")\n              :set problems (\$problems . \$uNam\
    e . \": NOT BILLED for \" . \$due . \": the comment could not be written (invoice number \" . \$\
    seq . \" is unused)\\n\")\n            }\n          }\n        } on-error={\n          :log warn\
    ing (\"rosbill: Billing: skipped \" . \$uName . \": a router command failed for this user\")\n          \
    :set problems (\$problems . \$uName . \": a router command failed for this user; see the router \
    log\\n\")\n        }\n      }\n    }\n    # --- close the ledger; BillingMail sends the bills, t\
    he accounts copies and the report ------------------------------\n    :global rosbillNotes\n    \
    :global rosbillBilled\n    :if ([:typeof \$rosbillNotes] != \"str\") do={ :set rosbillNotes \"\" \
    }\n    :set rosbillNotes (\$rosbillNotes . \$problems)\n    :set rosbillBilled \$billed\n    :if \
    (\$work) do={\n      :if (\$recordNight) do={ :set (\$led->\"done\") \$due }\n      :set (\$led-\
    >\"seq\") [:tostr \$seq]\n      # New bills, or an interrupted run whose bills may still be unse\
    nt: BillingMail looks at every user tonight.\n      :if (\$billed > 0 || \$busy) do={\n        :\
    local pend 0\n        :if ((\$led->\"pend\") ~ \"^[0-9]{1,7}\\\$\") do={ :set pend [:tonum (\$le\
    d->\"pend\")] }\n        :set pend (\$pend + \$billed)\n        :if (\$pend = 0) do={ :set pend \
    1 }\n        :set (\$led->\"pend\") [:tostr \$pend]\n        :set (\$led->\"next\") [:tostr \$ro\
    sbillDay]\n      }\n      :set (\$led->\"busy\") \"\"\n      :do {\n        /system script set \$\
    ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost kv=\$led]\n      } on-error={ :log \
    error \"rosbill: Billing: could not update /system script BillingState; the next run checks ever\
    yone\" }\n      :if (\$recordNight) do={ :log info (\"rosbill: Billing: \" . \$billed . \" users \
    billed for \" . \$due) }\n    }\n  } on-error={\n    :log error \"rosbill: Billing: stopped with \
    an error (see the log above); the next run finishes the work\"\n  }\n  :if (\$lockOwner) do={ :s\
    et rosbillLock \"\" }\n}\n"
:local ids [/system script find where name="Billing"]
:if ([:len $ids] = 0) do={
  /system script add name="Billing" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "Billing") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local p [:tostr [/system script get $sid policy]]
  :if ($p != $policy && $p != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# BillingMail: sends the bill mails and accounts copies still pending, and the report\n# Generated \
    by rosbill 0.1.0 for RouterOS 7.9 (v7).\n# Do not edit on the router: change config/billing.yaml\
    , rebuild and deploy.\n# Runs every night after Billing (Oversight). Sends every bill mail and a\
    ccounts copy that is pending in the users'\n# comments and due (um=, am=; a failed one is retrie\
    d after 1, 2, then every 4 days), marks re-sends as such, and\n# sends accounts a report: what B\
    illing did, what failed, and what is still outstanding. A mail counts as delivered\n# only when \
    last-status reports the outcome of that very send. Sending stops after three failures in a row o\
    r when\n# the time budget (3h) is spent; the rest is sent on the next run.\n# The shared functio\
    ns (script BillingFunctions), of this build.\n:global rbFunctions\n:if (\$rbFunctions != \"ee243\
    eaeaded2193\") do={ :do { /system script run BillingFunctions } on-error={} }\n:if (\$rbFunction\
    s != \"ee243eaeaded2193\") do={\n  :log error (\"rosbill: \" . \"BillingMail\" . \": /system scr\
    ipt BillingFunctions is missing or of another build; nothing was done\")\n  :error \"rosbill: Bi\
    llingFunctions missing\"\n}\n:global rbParseState\n:global rbWriteState\n:global rbDecimal\n:glo\
    bal rbMoney\n:global rbSend\n:global rbChecks\n:global rbMonthIndex\n:global rbPeriodOf\n:global \
    rbMailWhen\n:global rbMailNext\n:global rbMakeBill\n:global rbMailTimeLeft\n:global rosbillToday\
    \n:global rosbillMonth\n:global rosbillPeriod\n:global rosbillDay\n:global rosbillClock\n:global \
    rosbillLock\n:global rosbillLockPass\n:local runName \"BillingMail\"\n:local dateOk true\n:do { \
    /system script run MonthEnd } on-error={ :set dateOk false }\n:if ([:typeof \$rosbillToday] != \"\
    str\" || \$rosbillToday = \"\") do={ :set dateOk false }\n:local today \$rosbillToday\n# --- one \
    run at a time ----------------------------------------------------------------------------------\
    -----------\n# The lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals are sh\
    ared by every script on the router\n# and a reboot clears them, so a power cut never leaves a lo\
    ck behind. A lock older than 7 h is\n# stale (a run that was stopped by hand) and is taken over. \
    A script started by the lock holder (Oversight runs\n# Billing, BillingMail and UsageWarnings) f\
    inds the holder's token in rosbillLockPass and runs inside the same lock.\n:global rosbillDay\n:\
    local nowSecs -1\n:do {\n  :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\n    \
    :set nowSecs ((\$rosbillDay * 86400) + [:tonum [/system clock get time]])\n  }\n} on-error={}\n:\
    local locked false\n:local lockOwner false\n:if ([:typeof \$rosbillLockPass] = \"str\" && \$rosb\
    illLockPass != \"\" && \$rosbillLockPass = \$rosbillLock) do={\n  :set rosbillLockPass \"\"\n  :\
    set locked true\n} else={\n  :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLock != \
    \"\")\n  :if (\$held) do={\n    :local parts [:toarray \"\"]\n    :local rest \$rosbillLock\n    \
    :local sp [:find \$rest \" \"]\n    :while ([:typeof \$sp] = \"num\") do={\n      :set (\$parts-\
    >[:len \$parts]) [:pick \$rest 0 \$sp]\n      :set rest [:pick \$rest (\$sp + 1) [:len \$rest]]\n      \
    :set sp [:find \$rest \" \"]\n    }\n    :set (\$parts->[:len \$parts]) \$rest\n    :local since \
    -1\n    :if ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\
    \") do={\n      :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)])\n    }\n    \
    :if (\$nowSecs >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) d\
    o={\n      :log warning (\"rosbill: \" . \"BillingMail\" . \": taking over a stale lock (\" . \$\
    rosbillLock . \")\")\n      :set held false\n    }\n  }\n  :if (\$held) do={\n    :log warning (\
    \"rosbill: \" . \"BillingMail\" . \": another run holds the lock (\" . \$rosbillLock . \"); this \
    run does nothing\")\n  } else={\n    :local stamp \"0 0\"\n    :if (\$nowSecs >= 0) do={ :set st\
    amp (\$rosbillDay . \" \" . (\$nowSecs - (\$rosbillDay * 86400))) }\n    :set rosbillLock (\"Bil\
    lingMail\" . \" \" . \$stamp)\n    :set locked true\n    :set lockOwner true\n  }\n}\n# Packages\
    : cap in bytes (0 = unlimited), price in cents.\n:local pkgs {\"Lite\"={\"cap\"=3000000000;\"pri\
    ce\"=19900};\"Home\"={\"cap\"=50000000000;\"price\"=34900};\"Business\"={\"cap\"=200000000000;\"\
    price\"=89900};\"Unlimited\"={\"cap\"=0;\"price\"=129900}}\n:local problems \"\"\n:local mSubjec\
    t \"\"\n:local mBody \"\"\n:global rosbillNotes\n:if (\$locked) do={\n  :do {\n    :global rosbi\
    llBilled\n    :if ([:typeof \$rosbillNotes] != \"str\") do={ :set rosbillNotes \"\" }\n    :set \
    problems \$rosbillNotes\n    :set rosbillNotes \"\"\n    :local billed 0\n    :if ([:typeof \$ro\
    sbillBilled] = \"num\") do={ :set billed \$rosbillBilled }\n    :set rosbillBilled 0\n    # --- \
    the ledger (Billing keeps it): is any mail pending, and due today\? ----------------------------\
    -------------\n    :local ledgerId \"\"\n    :local led [:toarray \"\"]\n    :local ledPre \"\"\n    \
    :local ledPost \"\"\n    :do {\n      :local ledgerIds [/system script find where name=\"Billing\
    State\"]\n      :if ([:len \$ledgerIds] > 0) do={\n        :local lst [\$rbParseState comment=[/\
    system script get (\$ledgerIds->0) comment] today=\"\"]\n        :if ((\$lst->\"err\") = \"\") d\
    o={\n          :set ledgerId (\$ledgerIds->0)\n          :set led (\$lst->\"kv\")\n          :se\
    t ledPre (\$lst->\"pre\")\n          :set ledPost (\$lst->\"post\")\n        }\n      }\n    } o\
    n-error={}\n    :local clockOk (\$dateOk && \$rosbillClock = \"ok\")\n    :local pend 0\n    :lo\
    cal nextDay 0\n    :if ((\$led->\"pend\") ~ \"^[0-9]{1,7}\\\$\") do={ :set pend [:tonum (\$led->\
    \"pend\")] }\n    :if ((\$led->\"next\") ~ \"^[0-9]{1,7}\\\$\") do={ :set nextDay [:tonum (\$led\
    ->\"next\")] }\n    :local work (\$clockOk && \$ledgerId != \"\" && ((\$pend > 0 && \$rosbillDay \
    >= \$nextDay) || (\$led->\"busy\") = \"1\"))\n    :global rosbillUnsent\n    # A report that cou\
    ld not be sent earlier goes out as soon as mail works again.\n    :local mailNeeded (\$work || \$\
    problems != \"\" || ([:typeof \$rosbillUnsent] = \"str\" && \$rosbillUnsent != \"\"))\n    # --- \
    every user with a bill mail or an accounts copy still to send ----------------------------------\
    ------------\n    :local outbox [:toarray \"\"]\n    :if (\$work) do={\n      :foreach u in=[/us\
    er-manager user print as-value] do={\n        :local uId (\$u->\".id\")\n        :local uName [:\
    tostr (\$u->\"name\")]\n        :local uComment [:tostr (\$u->\"comment\")]\n        :local uDis\
    abled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disabled\")] = \"yes\")\n        \
    # RouterOS 7 has no e-mail or name fields: they come from the comment (email=, first=, last=), a\
    nd the profile\n        # from \"monitor\" (read_total).\n        :local uProfile \"\"\n        \
    :local uEmail \"\"\n        :local uFirst \"\"\n        :local uLast \"\"\n        :do {\n          \
    # --- this user's state and data, checked before anything is computed or sent ------------------\
    ------------\n          :local skip \"\"\n          :local quiet false\n          :local st [\$r\
    bParseState comment=\$uComment today=\$rosbillToday]\n          :local kv (\$st->\"kv\")\n          \
    :if ((\$st->\"err\") != \"\") do={ :set skip (\"broken comment: \" . (\$st->\"err\")) }\n          \
    :if ([:typeof (\$kv->\"email\")] = \"str\") do={ :set uEmail (\$kv->\"email\") }\n          :if \
    ([:typeof (\$kv->\"first\")] = \"str\") do={ :set uFirst (\$kv->\"first\") }\n          :if ([:t\
    ypeof (\$kv->\"last\")] = \"str\") do={ :set uLast (\$kv->\"last\") }\n          :local uPkg \$u\
    Profile\n          :if ([:typeof (\$kv->\"pkg\")] = \"str\") do={ :set uPkg (\$kv->\"pkg\") }\n          \
    :if (\$uDisabled || (\$kv->\"bill\") = \"no\") do={\n            :set skip \"not billed (disable\
    d, or bill=no in the comment)\"\n            :set quiet true\n          }\n          # These val\
    ues reach mail subjects and bodies: a CR or LF in a subject would start new mail headers.\n          \
    :if (\$skip = \"\" && (\$uName . \$uFirst . \$uLast . \$uPkg . [:tostr (\$kv->\"bpkg\")]) ~ \"[\\\
    01-\\1F\\7F]\") do={\n            :set skip \"the login name, first or last name or package cont\
    ains a control character\"\n          }\n          :foreach checked,pattern in=\$rbChecks do={\n            \
    :if (\$skip = \"\" && [:typeof (\$kv->\$checked)] = \"str\" && !((\$kv->\$checked) ~ \$pattern)) \
    do={\n              :set skip (\$checked . \"=\" . (\$kv->\$checked) . \" in the comment is not \
    valid (docs/comment-format.md)\")\n            }\n          }\n          :local mailOk (\$uEmail \
    ~ \"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\\\.[A-Za-z0-9-]+)+\\\$\")\n          # Also for a user di\
    sabled since the bill was made: the bill still goes out.\n          :if ((\$kv->\"um\") ~ \"^[0-\
    9]\" || (\$kv->\"am\") ~ \"^[0-9]\") do={\n            :if (\$skip = \"\" || \$quiet) do={\n              \
    :set (\$outbox->(\"u\" . \$uName)) {\"id\"=\$uId;\"name\"=\$uName;\"email\"=\$uEmail;\"first\"=\$\
    uFirst;\"last\"=\$uLast;\\\n                \"mailOk\"=\$mailOk;\"pre\"=(\$st->\"pre\");\"post\"\
    =(\$st->\"post\");\"kv\"=\$kv}\n            } else={\n              :set problems (\$problems . \
    \$uName . \": a bill mail is pending but the comment is not valid: \" . \$skip . \"\\n\")\n            \
    }\n          }\n        } on-error={\n          :log warning (\"rosbill: BillingMail: skipped \" \
    . \$uName . \": a router command failed for this user\")\n          :set problems (\$problems . \
    \$uName . \": a router command failed for this user; see the router log\\n\")\n        }\n      \
    }\n    }\n    # --- send what is due: the accounts copies, then the users' bill mails ----------\
    -----------------------------------\n    # 1. Every attempt is written to the comment first (um/\
    am one attempt up), then the run waits 5s, and\n    #    only then does any mail go out: a mail \
    the server took before a power cut, whose \"ok\" was never written, is\n    #    sent again mark\
    ed as a re-send. (The wait covers a router that keeps a write in memory for a moment.)\n    # 2. \
    The digest (or each accounts copy) and the users' mails; \"ok\" is written after each delivery.\n    \
    # 3. An attempt that did not happen (the run stopped: time budget, three failures in a row) is w\
    ritten back.\n    :local mailStart [/system clock get time]\n    :local stopped \"\"\n    :local \
    streak 0\n    :local attempted 0\n    :local delivered 0\n    :local srv \"\"\n    # Before Rout\
    erOS 7.12 /tool e-mail wants the server as an IP (address=): resolve the name on every run, so a\
    \n    # provider that moves its server does not silently stop all mail.\n    :if (\$mailNeeded) \
    do={\n      :do { :set srv [:tostr [:resolve \"smtp.example.net\"]] } on-error={\n        :log w\
    arning (\"rosbill: \" . \$runName . \": cannot resolve \" . \"smtp.example.net\" . \"; using the \
    /tool e-mail address\")\n      }\n    }\n    :local pendCount 0\n    :local nextDue 9999999\n    \
    :local outstanding \"\"\n    :local todo [:toarray \"\"]\n    :foreach key,e in=\$outbox do={\n      \
    :local kv (\$e->\"kv\")\n      :local uName (\$e->\"name\")\n      :local userDue ([\$rbMailWhen \
    state=(\$kv->\"um\")] <= \$rosbillDay)\n      :local accountsDue ([\$rbMailWhen state=(\$kv->\"a\
    m\")] <= \$rosbillDay)\n      :if (\$userDue || \$accountsDue) do={\n        :local job {\"user\"\
    =(\$userDue && (\$e->\"mailOk\"));\"accounts\"=\$accountsDue;\"um\"=(\$kv->\"um\");\"am\"=(\$kv-\
    >\"am\")}\n        :if (\$userDue && !(\$e->\"mailOk\")) do={\n          :set problems (\$proble\
    ms . \$uName . \": no valid e-mail address (\\\"\" . (\$e->\"email\") . \"\\\"): the bill of \" \
    . \\\n            (\$kv->\"per\") . \" was not mailed; the accounts copy has it\\n\")\n        }\
    \n        :if (\$userDue) do={ :set (\$kv->\"um\") [\$rbMailNext state=(\$kv->\"um\") outcome=\"\
    attempt\" today=\$rosbillDay] }\n        :if (\$accountsDue) do={ :set (\$kv->\"am\") [\$rbMailN\
    ext state=(\$kv->\"am\") outcome=\"attempt\" today=\$rosbillDay] }\n        :do {\n          /us\
    er-manager user set (\$e->\"id\") comment=[\$rbWriteState pre=(\$e->\"pre\") post=(\$e->\"post\"\
    ) kv=\$kv]\n          :set (\$e->\"kv\") \$kv\n          :set (\$outbox->\$key) \$e\n          :\
    set (\$todo->\$key) \$job\n        } on-error={ :log warning (\"rosbill: BillingMail: could not \
    record the mail state of \" . \$uName . \"; not sent now\") }\n      }\n    }\n    :if ([:len \$\
    todo] > 0) do={ :delay 5s }\n    # The accounts copies as a digest: the bill lines of many users \
    in one mail, each mail under 30 kB.\n    :local digest [:toarray \"\"]\n    :local lines \"\"\n    \
    :local members [:toarray \"\"]\n    :foreach key,job in=\$todo do={\n      :if (\$job->\"account\
    s\") do={\n        :local e (\$outbox->\$key)\n        # The placeholders of a bill mail, all fr\
    om what the comment recorded when the bill was made, so a re-send is the\n        # same bill (n\
    ames and the e-mail address are read fresh: a corrected address is used).\n        :local kv (\$\
    e->\"kv\")\n        :local uName (\$e->\"name\")\n        :local uFirst (\$e->\"first\")\n        \
    :local uLast (\$e->\"last\")\n        :local uEmail (\$e->\"email\")\n        :local uPkg (\$kv-\
    >\"bpkg\")\n        :local period (\$kv->\"per\")\n        :local invNum (\$kv->\"no\")\n        \
    :local invoice (\"old7/\" . \$invNum)\n        :local usedMb ([:tonum (\$kv->\"use\")] / 1000000\
    )\n        :local capMb (\$kv->\"bcap\")\n        :local capText \"unlimited\"\n        :if (\$c\
    apMb != \"unlimited\") do={ :set capText (\$capMb . \" MB\") }\n        :local priceText [\$rbMo\
    ney cents=(\$kv->\"bprice\")]\n        :local discText [\$rbMoney cents=(\$kv->\"bdisc\")]\n        \
    :local dueText [\$rbMoney cents=([:tonum (\$kv->\"bprice\")] - [:tonum (\$kv->\"bdisc\")])]\n        \
    :set mSubject (\"Invoice \" . \$invoice . \": \" . \$uName . \" R \" . \$dueText)\n        :set \
    mBody \"\"\n        :set mBody (\$mBody . \$invoice . \" \" . \$period . \" \" . \$uName . \" (\" \
    . \$uFirst . \" \" . \$uLast . \", \" . \$uEmail . \") \" . \$uPkg . \": \" . \$usedMb . \" MB, \
    price \" . \$priceText . \", discount \" . \$discText . \", due R \" . \$dueText . \"\\n\")\n        \
    :if ((\$job->\"am\") ~ \"^[1-9]\") do={ :set mBody (\"(re-sent) \" . \$mBody) }\n        :if ([:\
    len \$lines] > 0 && ([:len \$lines] + [:len \$mBody]) > 30000) do={\n          :set (\$digest->[\
    :len \$digest]) {\"lines\"=\$lines;\"members\"=\$members}\n          :set lines \"\"\n          \
    :set members [:toarray \"\"]\n        }\n        :set lines (\$lines . \$mBody)\n        :set (\$\
    members->[:len \$members]) \$key\n      }\n    }\n    :if ([:len \$lines] > 0) do={ :set (\$dige\
    st->[:len \$digest]) {\"lines\"=\$lines;\"members\"=\$members} }\n    :local digestPart 0\n    :\
    local digestParts [:len \$digest]\n    :foreach chunk in=\$digest do={\n      :set digestPart (\$\
    digestPart + 1)\n      :local digestBills (\$chunk->\"lines\")\n      :local digestCount [:len (\
    \$chunk->\"members\")]\n      :set mSubject (\"Example Wireless: \" . \$digestCount . \" invoice\
    s (\" . \$today . \", part \" . \$digestPart . \" of \" . \$digestParts . \")\")\n      :set mBo\
    dy \"\"\n      :set mBody (\$mBody . \"Copies of the invoices made or re-sent on \" . \$today . \
    \":\\n\")\n      :set mBody (\$mBody . \"\\n\")\n      :set mBody (\$mBody . \$digestBills . \"\\\
    n\")\n      :set mBody (\$mBody . \"Example Wireless\\n\")\n      :if (\$stopped = \"\" && ![\$r\
    bMailTimeLeft since=\$mailStart]) do={ :set stopped \"the time for mail in this run was used up\" \
    }\n      :if (\$stopped = \"\") do={\n        :local outcome [\$rbSend mailTo=\"accounts@example\
    .net\" mailSubject=\$mSubject mailBody=\$mBody srv=\$srv]\n        :set attempted (\$attempted + \
    1)\n        :if (\$outcome = \"ok\") do={\n          :set streak 0\n          :set delivered (\$\
    delivered + 1)\n        } else={\n          :set streak (\$streak + 1)\n          :if (\$streak \
    >= 3) do={ :set stopped \"three mails in a row were not delivered (is the SMTP server down\?)\" \
    }\n        }\n        :foreach key in=(\$chunk->\"members\") do={\n          :local job (\$todo-\
    >\$key)\n          :set (\$job->\"accounts\") false\n          :set (\$todo->\$key) \$job\n          \
    :if (\$outcome = \"ok\") do={\n            :local e (\$outbox->\$key)\n            :local kv (\$\
    e->\"kv\")\n            :set (\$kv->\"am\") \"ok\"\n            :do {\n              /user-manag\
    er user set (\$e->\"id\") comment=[\$rbWriteState pre=(\$e->\"pre\") post=(\$e->\"post\") kv=\$k\
    v]\n            } on-error={ :log warning (\"rosbill: BillingMail: could not record the accounts \
    copy of \" . (\$e->\"name\")) }\n            :set (\$e->\"kv\") \$kv\n            :set (\$outbox\
    ->\$key) \$e\n          }\n        }\n      }\n    }\n    :foreach key,job in=\$todo do={\n      \
    :local e (\$outbox->\$key)\n      # The placeholders of a bill mail, all from what the comment r\
    ecorded when the bill was made, so a re-send is the\n      # same bill (names and the e-mail add\
    ress are read fresh: a corrected address is used).\n      :local kv (\$e->\"kv\")\n      :local \
    uName (\$e->\"name\")\n      :local uFirst (\$e->\"first\")\n      :local uLast (\$e->\"last\")\n      \
    :local uEmail (\$e->\"email\")\n      :local uPkg (\$kv->\"bpkg\")\n      :local period (\$kv->\"\
    per\")\n      :local invNum (\$kv->\"no\")\n      :local invoice (\"old7/\" . \$invNum)\n      :\
    local usedMb ([:tonum (\$kv->\"use\")] / 1000000)\n      :local capMb (\$kv->\"bcap\")\n      :l\
    ocal capText \"unlimited\"\n      :if (\$capMb != \"unlimited\") do={ :set capText (\$capMb . \" \
    MB\") }\n      :local priceText [\$rbMoney cents=(\$kv->\"bprice\")]\n      :local discText [\$r\
    bMoney cents=(\$kv->\"bdisc\")]\n      :local dueText [\$rbMoney cents=([:tonum (\$kv->\"bprice\"\
    )] - [:tonum (\$kv->\"bdisc\")])]\n      :local done false\n      :if (\$job->\"user\") do={\n        \
    :if (\$stopped = \"\" && ![\$rbMailTimeLeft since=\$mailStart]) do={ :set stopped \"the time for \
    mail in this run was used up\" }\n        :if (\$stopped = \"\") do={\n          :set (\$job->\"\
    user\") false\n          :set mSubject (\"Example Wireless invoice \" . \$invoice . \" for \" . \
    \$period)\n          :set mBody \"\"\n          :set mBody (\$mBody . \"Dear \" . \$uFirst . \" \
    \" . \$uLast . \",\\n\")\n          :set mBody (\$mBody . \"\\n\")\n          :set mBody (\$mBod\
    y . \"Invoice:      \" . \$invoice . \"\\n\")\n          :set mBody (\$mBody . \"Period:       \" \
    . \$period . \"\\n\")\n          :set mBody (\$mBody . \"Package:      \" . \$uPkg . \"\\n\")\n          \
    :set mBody (\$mBody . \"Data used:    \" . \$usedMb . \" MB of \" . \$capMb . \" MB\\n\")\n          \
    :set mBody (\$mBody . \"\\n\")\n          :set mBody (\$mBody . \"Package price R \" . \$priceTe\
    xt . \"\\n\")\n          :set mBody (\$mBody . \"Discount      R \" . \$discText . \"\\n\")\n          \
    :set mBody (\$mBody . \"Amount due    R \" . \$dueText . \"\\n\")\n          :set mBody (\$mBody \
    . \"All prices include VAT at 15%.\\n\")\n          :set mBody (\$mBody . \"\\n\")\n          :s\
    et mBody (\$mBody . \"Please pay into:\\n\")\n          :set mBody (\$mBody . \"Example Wireless \
    (Pty) Ltd\\n\")\n          :set mBody (\$mBody . \"Bank: First Example Bank, branch 250655\\n\")\
    \n          :set mBody (\$mBody . \"Account: 62012345678 (cheque)\\n\")\n          :set mBody (\$\
    mBody . \"Use \" . \$invoice . \" as the payment reference.\\n\")\n          :set mBody (\$mBody \
    . \"\\n\")\n          :set mBody (\$mBody . \"Example Wireless\\n\")\n          :local resend ((\
    \$job->\"um\") ~ \"^[1-9]\")\n          :if (\$resend) do={\n            :set mSubject (\"Re-sen\
    t: \" . \$mSubject)\n            :set mBody (\"(This is a copy: the first mail could not be conf\
    irmed as delivered. Please ignore it if you have it already.)\\n\\n\" . \$mBody)\n          }\n          \
    :local outcome [\$rbSend mailTo=\$uEmail mailSubject=\$mSubject mailBody=\$mBody srv=\$srv]\n          \
    :set attempted (\$attempted + 1)\n          :if (\$outcome = \"ok\") do={\n            :set stre\
    ak 0\n            :set delivered (\$delivered + 1)\n          } else={\n            :set streak \
    (\$streak + 1)\n            :if (\$streak >= 3) do={ :set stopped \"three mails in a row were no\
    t delivered (is the SMTP server down\?)\" }\n          }\n          :if (\$outcome = \"ok\") do=\
    {\n            :set (\$kv->\"um\") \"ok\"\n            :set done true\n            :log info (\"\
    rosbill: BillingMail: mailed invoice \" . \$invoice . \" to \" . \$uName)\n            :if (\$re\
    send) do={\n              :set problems (\$problems . \$uName . \": invoice \" . \$invoice . \" \
    (\" . \$period . \") was delivered late, as a re-send\\n\")\n            }\n          }\n        \
    }\n      }\n      # An attempt that did not happen (the run stopped first) is written back, so i\
    t counts as not tried.\n      :if (\$job->\"user\") do={\n        :set (\$kv->\"um\") (\$job->\"\
    um\")\n        :set done true\n      }\n      :if (\$job->\"accounts\") do={\n        :set (\$kv\
    ->\"am\") (\$job->\"am\")\n        :set done true\n      }\n      :if (\$done) do={\n        :do \
    {\n          /user-manager user set (\$e->\"id\") comment=[\$rbWriteState pre=(\$e->\"pre\") pos\
    t=(\$e->\"post\") kv=\$kv]\n        } on-error={ :log warning (\"rosbill: BillingMail: could not \
    record the mail state of \" . \$uName) }\n        :set (\$e->\"kv\") \$kv\n        :set (\$outbo\
    x->\$key) \$e\n      }\n    }\n    # Still waiting: counted for the ledger (so the next run know\
    s whether and when to look) and listed for accounts.\n    :foreach key,e in=\$outbox do={\n      \
    # The placeholders of a bill mail, all from what the comment recorded when the bill was made, so \
    a re-send is the\n      # same bill (names and the e-mail address are read fresh: a corrected ad\
    dress is used).\n      :local kv (\$e->\"kv\")\n      :local uName (\$e->\"name\")\n      :local \
    uFirst (\$e->\"first\")\n      :local uLast (\$e->\"last\")\n      :local uEmail (\$e->\"email\"\
    )\n      :local uPkg (\$kv->\"bpkg\")\n      :local period (\$kv->\"per\")\n      :local invNum \
    (\$kv->\"no\")\n      :local invoice (\"old7/\" . \$invNum)\n      :local usedMb ([:tonum (\$kv-\
    >\"use\")] / 1000000)\n      :local capMb (\$kv->\"bcap\")\n      :local capText \"unlimited\"\n      \
    :if (\$capMb != \"unlimited\") do={ :set capText (\$capMb . \" MB\") }\n      :local priceText [\
    \$rbMoney cents=(\$kv->\"bprice\")]\n      :local discText [\$rbMoney cents=(\$kv->\"bdisc\")]\n      \
    :local dueText [\$rbMoney cents=([:tonum (\$kv->\"bprice\")] - [:tonum (\$kv->\"bdisc\")])]\n      \
    :local waiting \"\"\n      :foreach m in={\"um\";\"am\"} do={\n        :local when [\$rbMailWhen \
    state=(\$kv->\$m)]\n        :if (\$when < 9999999) do={\n          :if (\$when < \$nextDue) do={ \
    :set nextDue \$when }\n          :local what \"the bill mail\"\n          :if (\$m = \"am\") do=\
    { :set what \"the accounts copy\" }\n          :if (\$waiting != \"\") do={ :set waiting (\$wait\
    ing . \", \") }\n          :set waiting (\$waiting . \$what . \" (attempts so far: \" . [:pick (\
    \$kv->\$m) 0 [:find (\$kv->\$m) \"/\"]] . \")\")\n        }\n      }\n      :if (\$waiting != \"\
    \") do={\n        :set pendCount (\$pendCount + 1)\n        :set outstanding (\$outstanding . \$\
    uName . \": invoice \" . \$invoice . \" (\" . \$period . \"): not yet delivered: \" . \$waiting \
    . \"\\n\")\n      }\n    }\n    :if (\$stopped != \"\") do={\n      :log warning (\"rosbill: Bil\
    lingMail: stopped sending: \" . \$stopped . \"; the rest is sent on the next run\")\n      :set \
    problems (\$problems . \"Sending stopped early: \" . \$stopped . \"; the rest is sent on the nex\
    t run.\\n\")\n    }\n    # --- report to accounts; the ledger learns what is still pending -----\
    ------------------------------------------\n    :if (\$mailNeeded) do={\n      :if (\$outstandin\
    g != \"\") do={ :set problems (\$problems . \"Still outstanding (retried on the next runs):\\n\" \
    . \$outstanding) }\n      :local period \$rosbillPeriod\n    # The report, in parts if it is lon\
    g (RouterOS sends bodies just under 64 kB). Needs \$problems, \$period, \$billed, \$srv.\n    # \
    What an earlier report could not deliver (global rosbillUnsent; a reboot loses it) goes first, s\
    o accounts learn of\n    # a dropped warning or an outstanding bill even when the report of that \
    night failed.\n    :global rosbillUnsent\n    :if ([:typeof \$rosbillUnsent] != \"str\") do={ :s\
    et rosbillUnsent \"\" }\n    :local rest \$problems\n    :if (\$rosbillUnsent != \"\") do={\n      \
    :set rest (\"From earlier reports that could not be sent:\\n\" . \$rosbillUnsent . \"\\nNow:\\n\" \
    . \$problems)\n      :set rosbillUnsent \"\"\n    }\n    :if (\$rest = \"\") do={ :set rest \"no\
    ne\\n\" }\n    :local chunks [:toarray \"\"]\n    :while ([:len \$rest] > 0) do={\n      :local \
    cut [:len \$rest]\n      :if (\$cut > 30000) do={\n        :set cut 30000\n        :local head [\
    :pick \$rest 0 \$cut]\n        :local nl [:find \$head \"\\n\" -1]\n        :local last -1\n        \
    :while ([:typeof \$nl] = \"num\") do={\n          :set last \$nl\n          :set nl [:find \$hea\
    d \"\\n\" \$nl]\n        }\n        :if (\$last >= 0) do={ :set cut (\$last + 1) }\n      }\n      \
    :set (\$chunks->[:len \$chunks]) [:pick \$rest 0 \$cut]\n      :set rest [:pick \$rest \$cut [:l\
    en \$rest]]\n    }\n    :local chunkNo 0\n    :foreach chunk in=\$chunks do={\n      :set chunkN\
    o (\$chunkNo + 1)\n      :local reportText \$chunk\n      :set mSubject (\"Example Wireless: Bil\
    ling report \" . \$today)\n      :set mBody \"\"\n      :set mBody (\$mBody . \"Billing ran on \" \
    . \$today . \" (period \" . \$period . \"). Users billed: \" . \$billed . \"\\n\")\n      :set m\
    Body (\$mBody . \"\\n\")\n      :set mBody (\$mBody . \"Skipped users and failed e-mails:\\n\")\n      \
    :set mBody (\$mBody . \$reportText . \"\\n\")\n      :if ([:len \$chunks] > 1) do={ :set mSubjec\
    t (\$mSubject . \" (part \" . \$chunkNo . \" of \" . [:len \$chunks] . \")\") }\n      :if ([\$r\
    bSend mailTo=\"accounts@example.net\" mailSubject=\$mSubject mailBody=\$mBody srv=\$srv] != \"ok\
    \") do={\n        :log warning (\"rosbill: \" . \$runName . \": the report to accounts could not \
    be sent; it goes with the next one\")\n        # Kept for the next report, the newest 30 kB at m\
    ost.\n        :set rosbillUnsent (\$rosbillUnsent . \$chunk)\n        :if ([:len \$rosbillUnsent\
    ] > 30000) do={\n          :set rosbillUnsent (\"(older lines dropped)\\n\" . [:pick \$rosbillUn\
    sent ([:len \$rosbillUnsent] - 30000) [:len \$rosbillUnsent]])\n        }\n      }\n    }\n    }\
    \n    :if (\$work) do={\n      :set (\$led->\"pend\") [:tostr \$pendCount]\n      :set (\$led->\"\
    next\") \"\"\n      :if (\$pendCount > 0) do={ :set (\$led->\"next\") [:tostr \$nextDue] }\n      \
    :do {\n        /system script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost \
    kv=\$led]\n      } on-error={ :log warning \"rosbill: BillingMail: could not update /system scri\
    pt BillingState\" }\n      :log info (\"rosbill: BillingMail: \" . \$delivered . \" mails delive\
    red, \" . \$pendCount . \" users with mail outstanding\")\n    }\n  } on-error={\n    :log error \
    \"rosbill: BillingMail: stopped with an error (see the log above); the next run sends the rest\"\
    \n  }\n  :if (\$lockOwner) do={ :set rosbillLock \"\" }\n}\n"
:local ids [/system script find where name="BillingMail"]
:if ([:len $ids] = 0) do={
  /system script add name="BillingMail" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "BillingMail") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local p [:tostr [/system script get $sid policy]]
  :if ($p != $policy && $p != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# Oversight: the scheduled dispatcher: Billing and BillingMail every run, else UsageWarnings\n# Gen\
    erated by rosbill 0.1.0 for RouterOS 7.9 (v7).\n# Do not edit on the router: change config/billi\
    ng.yaml, rebuild and deploy.\n# The scheduled dispatcher (every night, and once shortly after ea\
    ch boot). One run at a time: a run that finds\n# another one active logs that and does nothing. \
    Billing and BillingMail run every time: together they finish\n# whatever an earlier run left (an \
    interrupted counter reset, a period that ended unbilled, mails not yet delivered),\n# and on the \
    last day of the month they bill the month. UsageWarnings runs on the other days.\n:global found\n\
    :global rosbillLock\n:global rosbillLockPass\n:global rosbillClock\n:global rosbillBooted\n:loca\
    l ok true\n:do { /system script run MonthEnd } on-error={ :set ok false }\n# The first run after \
    a boot (a reboot clears the globals) waits up to 30 minutes for a clock it can trust: a\n# route\
    r without a battery clock shows 1970 until NTP has synchronised, and the work a power cut interr\
    upted should\n# not wait for the next night.\n:if ([:typeof \$rosbillBooted] = \"nothing\") do={\
    \n  :set rosbillBooted true\n  :local waited 0\n  :while (\$rosbillClock != \"ok\" && \$waited < \
    30) do={\n    :if (\$waited = 0) do={ :log info (\"rosbill: Oversight: waiting for the clock (\" \
    . \$rosbillClock . \")\") }\n    :delay 60s\n    :set waited (\$waited + 1)\n    :set ok true\n    \
    :do { /system script run MonthEnd } on-error={ :set ok false }\n  }\n}\n# --- one run at a time \
    ---------------------------------------------------------------------------------------------\n# \
    The lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals are shared by every s\
    cript on the router\n# and a reboot clears them, so a power cut never leaves a lock behind. A lo\
    ck older than 7 h is\n# stale (a run that was stopped by hand) and is taken over. A script start\
    ed by the lock holder (Oversight runs\n# Billing, BillingMail and UsageWarnings) finds the holde\
    r's token in rosbillLockPass and runs inside the same lock.\n:global rosbillDay\n:local nowSecs \
    -1\n:do {\n  :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\n    :set nowSecs (\
    (\$rosbillDay * 86400) + [:tonum [/system clock get time]])\n  }\n} on-error={}\n:local locked f\
    alse\n:local lockOwner false\n:if ([:typeof \$rosbillLockPass] = \"str\" && \$rosbillLockPass != \
    \"\" && \$rosbillLockPass = \$rosbillLock) do={\n  :set rosbillLockPass \"\"\n  :set locked true\
    \n} else={\n  :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLock != \"\")\n  :if (\$\
    held) do={\n    :local parts [:toarray \"\"]\n    :local rest \$rosbillLock\n    :local sp [:fin\
    d \$rest \" \"]\n    :while ([:typeof \$sp] = \"num\") do={\n      :set (\$parts->[:len \$parts]\
    ) [:pick \$rest 0 \$sp]\n      :set rest [:pick \$rest (\$sp + 1) [:len \$rest]]\n      :set sp \
    [:find \$rest \" \"]\n    }\n    :set (\$parts->[:len \$parts]) \$rest\n    :local since -1\n    \
    :if ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\") do=\
    {\n      :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)])\n    }\n    :if (\$\
    nowSecs >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) do={\n      \
    :log warning (\"rosbill: \" . \"Oversight\" . \": taking over a stale lock (\" . \$rosbillLock . \
    \")\")\n      :set held false\n    }\n  }\n  :if (\$held) do={\n    :log warning (\"rosbill: \" \
    . \"Oversight\" . \": another run holds the lock (\" . \$rosbillLock . \"); this run does nothin\
    g\")\n  } else={\n    :local stamp \"0 0\"\n    :if (\$nowSecs >= 0) do={ :set stamp (\$rosbillD\
    ay . \" \" . (\$nowSecs - (\$rosbillDay * 86400))) }\n    :set rosbillLock (\"Oversight\" . \" \" \
    . \$stamp)\n    :set locked true\n    :set lockOwner true\n  }\n}\n:if (\$locked) do={\n  :do {\n    \
    :set rosbillLockPass \$rosbillLock\n    :do { /system script run Billing } on-error={\n      :lo\
    g error \"rosbill: Oversight: Billing stopped with an error; see the log above\"\n    }\n    :se\
    t rosbillLockPass \$rosbillLock\n    :do { /system script run BillingMail } on-error={\n      :l\
    og error \"rosbill: Oversight: BillingMail stopped with an error; see the log above\"\n    }\n    \
    :if (\$ok && \$found != true) do={\n      :set rosbillLockPass \$rosbillLock\n      :do { /syste\
    m script run UsageWarnings } on-error={\n        :log error \"rosbill: Oversight: UsageWarnings \
    stopped with an error; see the log above\"\n      }\n    }\n  } on-error={ :log error \"rosbill: \
    Oversight: stopped with an error; see the log above\" }\n  :set rosbillLockPass \"\"\n  :set ros\
    billLock \"\"\n}\n:if (!\$ok) do={\n  :log error \"rosbill: Oversight: MonthEnd could not read t\
    he date, so only unfinished work that needs no date was done\"\n}\n"
:local ids [/system script find where name="Oversight"]
:if ([:len $ids] = 0) do={
  /system script add name="Oversight" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "Oversight") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local p [:tostr [/system script get $sid policy]]
  :if ($p != $policy && $p != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local ids [/system scheduler find where name="Oversight"]
:local onEvent "/system script run Oversight"
:if ([:len $ids] = 0) do={
  /system scheduler add name="Oversight" start-time=23:50:00 interval=1d on-event=$onEvent policy=read,write,test comment=$managed
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system scheduler entry is named " . "Oversight") }
  :local sid ($ids->0)
  :if ([:tostr [/system scheduler get $sid start-time]] != "23:50:00") do={ /system scheduler set $sid start-time=23:50:00 }
  :if ([/system scheduler get $sid interval] != 1d) do={ /system scheduler set $sid interval=1d }
  :if ([:tostr [/system scheduler get $sid on-event]] != $onEvent) do={ /system scheduler set $sid on-event=$onEvent }
  :local p [:tostr [/system scheduler get $sid policy]]
  :if ($p != $policy && $p != $policy2) do={ /system scheduler set $sid policy=read,write,test }
  :if ([:tostr [/system scheduler get $sid comment]] != $managed) do={ /system scheduler set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local ids [/system scheduler find where name="OversightAtBoot"]
:local onEvent ":delay 60s; /system script run Oversight"
:if ([:len $ids] = 0) do={
  /system scheduler add name="OversightAtBoot" start-time=startup interval=0s on-event=$onEvent policy=read,write,test comment=$managed
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system scheduler entry is named " . "OversightAtBoot") }
  :local sid ($ids->0)
  :if ([:tostr [/system scheduler get $sid start-time]] != "startup") do={ /system scheduler set $sid start-time=startup }
  :if ([/system scheduler get $sid interval] != 0s) do={ /system scheduler set $sid interval=0s }
  :if ([:tostr [/system scheduler get $sid on-event]] != $onEvent) do={ /system scheduler set $sid on-event=$onEvent }
  :local p [:tostr [/system scheduler get $sid policy]]
  :if ($p != $policy && $p != $policy2) do={ /system scheduler set $sid policy=read,write,test }
  :if ([:tostr [/system scheduler get $sid comment]] != $managed) do={ /system scheduler set $sid comment=$managed }
}
}
# /tool e-mail settings (the password is not here: rosbill deploy sets it from ROSBILL_SMTP_PASSWORD,
# or set it by hand once). RouterOS 7.12 renamed address= to server= (which takes a host name;
# address= wants an IP, so the name is resolved at import); RouterOS 6 says start-tls=no|yes|tls-only,
# 7.x tls=no|yes|starttls.
# Written only when they differ, so importing this file twice changes nothing.
{
:local want {"address"=[:tostr [:resolve "smtp.example.net"]];"port"="587";"tls"="yes";"user"="billing@example.net";"from"="billing@example.net"}
:local have [/tool e-mail get]
:local same true
:foreach k,v in=$want do={ :if ([:tostr ($have->$k)] != $v) do={ :set same false } }
:if (!$same) do={
  /tool e-mail set address=[:resolve "smtp.example.net"] port=587 tls=yes user="billing@example.net" from="billing@example.net"
}
}
