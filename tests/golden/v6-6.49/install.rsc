# rosbill install for router tower6 (RouterOS 6.49.10, v6), rosbill 0.1.0.
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
    ted by rosbill 0.1.0 for RouterOS 6.49.10 (v6).\n# Do not edit on the router: change config/bill\
    ing.yaml, rebuild and deploy.\n# The functions Billing and UsageWarnings share, defined as globa\
    ls (prefix rb). Both run this script when\n# rbFunctions is not this build's id, so an update to \
    the scripts takes effect in the next run, and a run never mixes\n# functions of two builds. Glob\
    als vanish at reboot; the first run after a boot defines them again.\n# parseState: splits a com\
    ment into the text around the rosbill state block \"rb{key=value;...}\" and the block's\n# keys \
    (docs/comment-format.md). Also reads the packed comment of the original AutomatedBilling scripts\
    \n# (\"1000230007509\": next invoice 10002, cap 3000 MB, level 75, billed month 09), alone or fo\
    llowed by a block.\n# Returns {\"err\"=...;\"pre\"=...;\"post\"=...;\"kv\"=...}; err is \"\" whe\
    n the comment is readable.\n:global rbParseState do={\n  :local text [:tostr \$comment]\n  :loca\
    l kv [:toarray \"\"]\n  :local pre \$text\n  :local post \"\"\n  :local err \"\"\n  :local packe\
    d \"\"\n  :local open [:find \$text \"rb{\"]\n  :if ([:typeof \$open] = \"num\") do={\n    :loca\
    l rest [:pick \$text (\$open + 3) [:len \$text]]\n    :local close [:find \$rest \"}\"]\n    :if \
    ([:typeof \$close] != \"num\") do={\n      :set err \"the rb{ block has no closing }\"\n    } el\
    se={\n      :set pre [:pick \$text 0 \$open]\n      :set post [:pick \$rest (\$close + 1) [:len \
    \$rest]]\n      :local body [:pick \$rest 0 \$close]\n      :while ([:len \$body] > 0 && \$err = \
    \"\") do={\n        :local semi [:find \$body \";\"]\n        :if ([:typeof \$semi] != \"num\") \
    do={ :set semi [:len \$body] }\n        :local pair [:pick \$body 0 \$semi]\n        :set body [\
    :pick \$body (\$semi + 1) [:len \$body]]\n        :if (\$pair != \"\") do={\n          :local eq \
    [:find \$pair \"=\"]\n          :if ([:typeof \$eq] != \"num\") do={\n            :set err (\"\\\
    \"\" . \$pair . \"\\\" has no =\")\n          } else={\n            :local key [:pick \$pair 0 \$\
    eq]\n            :if (\$key ~ \"^[a-z]+\\\$\") do={\n              :set (\$kv->\$key) [:pick \$p\
    air (\$eq + 1) [:len \$pair]]\n            } else={\n              :set err (\"\\\"\" . \$key . \
    \"\\\" is not a key\")\n            }\n          }\n        }\n      }\n      :if (\$pre ~ \"^[0\
    -9]{13,} *\\\$\") do={\n        :set packed [:pick \$pre 0 [:find (\$pre . \" \") \" \"]]\n        \
    :set pre \"\"\n      }\n    }\n  } else={\n    :if (\$text ~ \"^[0-9]{13,}\\\$\") do={\n      :s\
    et packed \$text\n      :set pre \"\"\n    } else={\n      :if (\$text != \"\") do={ :set pre (\$\
    text . \" \") }\n    }\n  }\n  # The packed digits fill in what the block does not say; the next \
    write replaces them with the block.\n  :if (\$packed != \"\" && \$err = \"\") do={\n    :local n \
    [:len \$packed]\n    :local monthText [:pick \$packed (\$n - 2) \$n]\n    :if ([:pick \$monthTex\
    t 0 1] = \"0\") do={ :set monthText [:pick \$monthText 1 2] }\n    :local month [:tonum \$monthT\
    ext]\n    :if (\$month < 1 || \$month > 12) do={\n      :set err (\"the packed comment has month \
    \" . \$monthText)\n    } else={\n      :local year [:tonum [:pick \$today 0 4]]\n      :local th\
    isMonth [:pick \$today 5 7]\n      :if ([:pick \$thisMonth 0 1] = \"0\") do={ :set thisMonth [:p\
    ick \$thisMonth 1 2] }\n      :if (\$month > [:tonum \$thisMonth]) do={ :set year (\$year - 1) }\
    \n      # The digit groups, leading zeros dropped (\"0750\" is 750 MB, \"09\" is September).\n      \
    :local groups {\"inv\"=[:pick \$packed 0 5];\"cap\"=[:pick \$packed 5 (\$n - 4)];\"lvl\"=[:pick \
    \$packed (\$n - 4) (\$n - 2)]}\n      :local old {\"per\"=([:tostr \$year] . \"-\" . [:pick [:to\
    str (100 + \$month)] 1 3])}\n      :foreach k,v in=\$groups do={\n        :local t \$v\n        \
    :while ([:len \$t] > 1 && [:pick \$t 0 1] = \"0\") do={ :set t [:pick \$t 1 [:len \$t]] }\n        \
    :set (\$old->\$k) \$t\n      }\n      :foreach k,v in=\$old do={\n        :if ([:typeof (\$kv->\$\
    k)] = \"nothing\") do={ :set (\$kv->\$k) \$v }\n      }\n    }\n  }\n  :return {\"err\"=\$err;\"\
    pre\"=\$pre;\"post\"=\$post;\"kv\"=\$kv}\n}\n# writeState: the comment with the state block rebu\
    ilt from kv: keys in alphabetical order (RouterOS iterates keyed\n# arrays that way), keys whose \
    value is \"\" left out (that is how a key is removed).\n:global rbWriteState do={\n  :local out \
    \"\"\n  :foreach k,v in=\$kv do={\n    :if ([:tostr \$v] != \"\") do={\n      :if (\$out != \"\"\
    ) do={ :set out (\$out . \";\") }\n      :set out (\$out . \$k . \"=\" . \$v)\n    }\n  }\n  :re\
    turn (\$pre . \"rb{\" . \$out . \"}\" . \$post)\n}\n# decimal: a string of digits as a num (lead\
    ing zeros dropped first, so \"08\" is 8 whatever :tonum makes of a\n# leading zero); nothing if \
    it is not digits.\n:global rbDecimal do={\n  :local t [:tostr \$text]\n  :while ([:len \$t] > 1 \
    && [:pick \$t 0 1] = \"0\") do={ :set t [:pick \$t 1 [:len \$t]] }\n  :if (!(\$t ~ \"^[0-9]+\\\$\
    \")) do={ :return [:nothing] }\n  :return [:tonum \$t]\n}\n# money: cents -> \"1234.50\"\n:globa\
    l rbMoney do={\n  :local c [:tonum \$cents]\n  :local sign \"\"\n  :if (\$c < 0) do={\n    :set \
    sign \"-\"\n    :set c (0 - \$c)\n  }\n  :return (\$sign . (\$c / 100) . \".\" . [:pick [:tostr \
    (100 + (\$c % 100))] 1 3])\n}\n# send: one mail at a time, because /tool e-mail has a single las\
    t-status. Waits (up to 60 s) for an earlier mail\n# to finish, sends, then waits for this mail's \
    outcome. Never raises. Returns \"ok\", \"failed\", \"busy\" (an earlier\n# mail is still in prog\
    ress: nothing was sent) or \"unknown\" (no outcome after 5 minutes in progress).\n# srv: the SMT\
    P server's IP for this send, or \"\" for the /tool e-mail setting.\n:global rbSend do={\n  :if (\
    [:len \$mailBody] > 60000) do={\n    :log error (\"rosbill: a mail of \" . [:len \$mailBody] . \" \
    bytes was not sent: RouterOS takes bodies just under 64 kB\")\n    :return \"failed\"\n  }\n  :l\
    ocal st \"\"\n  :do { :set st [:tostr [/tool e-mail get last-status]] } on-error={}\n  :local wa\
    ited 0\n  :while ((\$st = \"in-progress\" || \$st = \"resolving-dns\") && \$waited < 240) do={\n    \
    :delay 250ms\n    :set waited (\$waited + 1)\n    :do { :set st [:tostr [/tool e-mail get last-s\
    tatus]] } on-error={}\n  }\n  :if (\$st = \"in-progress\" || \$st = \"resolving-dns\") do={ :ret\
    urn \"busy\" }\n  :local before \$st\n  :local sent true\n  :do {\n    :if ([:len \$srv] > 0) do\
    ={\n      /tool e-mail send to=\$mailTo from=\"billing@example.net\" subject=\$mailSubject body=\
    \$mailBody server=\$srv\n    } else={\n      /tool e-mail send to=\$mailTo from=\"billing@exampl\
    e.net\" subject=\$mailSubject body=\$mailBody\n    }\n  } on-error={ :set sent false }\n  :if (!\
    \$sent) do={ :return \"failed\" }\n  # Before RouterOS 7.21 send returns at once and only last-s\
    tatus tells, which may still show the previous mail's\n  # outcome for a moment. This mail's out\
    come is the first final status after in-progress was seen, or a status that\n  # differs from th\
    e one before the send. A status that does not move for 20 s means this mail ended like the one\n  \
    # before (see docs/assumptions.md, \"last-status after send\").\n  :local seenBusy false\n  :set \
    waited 0\n  :while (true) do={\n    :do { :set st [:tostr [/tool e-mail get last-status]] } on-e\
    rror={ :set st \"\" }\n    :if (\$st = \"in-progress\" || \$st = \"resolving-dns\") do={\n      \
    :set seenBusy true\n    } else={\n      :if (\$seenBusy || \$st != \$before) do={\n        :if (\
    \$st = \"succeeded\") do={ :return \"ok\" }\n        :return \"failed\"\n      }\n      :if (\$w\
    aited >= 80) do={\n        :if (\$before = \"succeeded\") do={ :return \"ok\" }\n        :return \
    \"failed\"\n      }\n    }\n    :if (\$waited >= 1200) do={ :return \"unknown\" }\n    :delay 25\
    0ms\n    :set waited (\$waited + 1)\n  }\n}\n# What each state key may hold (docs/comment-format\
    .md). A user whose comment breaks one of these is skipped and\n# reported, and nothing is writte\
    n to that comment, so fixing the text is all it takes.\n:global rbChecks [:toarray \"\"]\n:local \
    mailState \"^(ok|[0-9]{1,3}/[0-9]{1,7})\\\$\"\n:set (\$rbChecks->\"am\") \$mailState\n:set (\$rb\
    Checks->\"um\") \$mailState\n:set (\$rbChecks->\"base\") \"^[0-9]{1,19}\\\$\"\n:set (\$rbChecks-\
    >\"use\") \"^[0-9]{1,19}\\\$\"\n:set (\$rbChecks->\"rst\") \"^(-|[0-9]{1,19})\\\$\"\n:set (\$rbC\
    hecks->\"no\") \"^[0-9]{1,15}\\\$\"\n:set (\$rbChecks->\"inv\") \"^[0-9]{1,15}\\\$\"\n:set (\$rb\
    Checks->\"bprice\") \"^[0-9]{1,12}\\\$\"\n:set (\$rbChecks->\"bdisc\") \"^[0-9]{1,12}\\\$\"\n:se\
    t (\$rbChecks->\"bcap\") \"^([0-9]{1,12}|unlimited)\\\$\"\n:set (\$rbChecks->\"lvl\") \"^[0-9]{1\
    ,4}\\\$\"\n:set (\$rbChecks->\"wf\") \"^[0-9]{1,4}\\\$\"\n:set (\$rbChecks->\"per\") \"^[0-9]{4}\
    -(0[1-9]|1[0-2])\\\$\"\n:set (\$rbChecks->\"cap\") \"^([1-9][0-9]{0,9}|unlimited)\\\$\"\n:set (\$\
    rbChecks->\"disc\") \"^((100|[1-9]\?[0-9])%|(0|[1-9][0-9]{0,8})(\\\\.[0-9]{1,2})\?)\\\$\"\n# mon\
    thIndex: \"YYYY-MM\" -> months since year 0 (comparable numbers); periodOf: the reverse.\n:globa\
    l rbMonthIndex do={\n  :local mo [:pick \$p 5 7]\n  :if ([:pick \$mo 0 1] = \"0\") do={ :set mo \
    [:pick \$mo 1 2] }\n  :return (([:tonum [:pick \$p 0 4]] * 12) + [:tonum \$mo] - 1)\n}\n:global \
    rbPeriodOf do={\n  :local i [:tonum \$index]\n  :return ([:pick [:tostr (10000 + (\$i / 12))] 1 \
    5] . \"-\" . [:pick [:tostr (101 + (\$i % 12))] 1 3])\n}\n# Mail states in the comment (um= the \
    user's bill mail, am= the accounts copy): \"ok\" once delivered, else \"N/D\":\n# N failed attem\
    pts so far, the last on day D (days since 1970-01-01, as rosbillDay); \"0/D\": not tried yet. Af\
    ter\n# N failures the next attempt waits 1, 2, then 4 days, so an address that bounces does not \
    cost every run.\n# mailWhen: the day a mail in this state is to be tried (a day far ahead when i\
    t needs no sending).\n:global rbMailWhen do={\n  :local s [:tostr \$state]\n  :if (!(\$s ~ \"^[0\
    -9]{1,3}/[0-9]{1,7}\\\$\")) do={ :return 9999999 }\n  :local slash [:find \$s \"/\"]\n  :local t\
    ries [:tonum [:pick \$s 0 \$slash]]\n  :local last [:tonum [:pick \$s (\$slash + 1) [:len \$s]]]\
    \n  :if (\$tries = 0) do={ :return \$last }\n  :local waits {0;1;2;4}\n  :local wait 4\n  :if (\$\
    tries < 4) do={ :set wait (\$waits->\$tries) }\n  :return (\$last + \$wait)\n}\n# mailNext: the \
    state after an attempt on day \"today\" with this outcome (\"ok\" or anything else).\n:global rb\
    MailNext do={\n  :if (\$outcome = \"ok\") do={ :return \"ok\" }\n  :local s [:tostr \$state]\n  \
    :local tries [:tonum [:pick \$s 0 [:find \$s \"/\"]]]\n  :return ([:tostr (\$tries + 1)] . \"/\" \
    . \$today)\n}\n# makeBill: the bill of one user for one period, as the comment records it (docs/\
    comment-format.md): period,\n# invoice number, usage, package, cap, price and discount as billed\
    , both mails pending, and the counter total it\n# was based on as the new base. Nothing here is \
    sent: mails are made from these keys later, and again, identical,\n# for every re-send. Returns \
    {\"kv\"=...;\"down\"=true when the counters went down since the last bill}.\n# kv: the user's ke\
    ys; total: counter total now (bytes); pkg: package name; info: {cap=bytes;price=cents};\n# numbe\
    r: the invoice number; period: YYYY-MM; today: day number.\n:global rbMakeBill do={\n  :local k \
    \$kv\n  :local now [:tonum \$total]\n  :local base 0\n  :if ([:typeof (\$k->\"base\")] = \"str\"\
    ) do={ :set base [:tonum (\$k->\"base\")] }\n  :local used (\$now - \$base)\n  :local down false\
    \n  # Counters below the base: they were reset or sessions were removed behind rosbill's back; c\
    ount from 0.\n  :if (\$used < 0) do={\n    :set used \$now\n    :set down true\n  }\n  :local pr\
    ice [:tonum (\$info->\"price\")]\n  :local disc 0\n  :local d (\$k->\"disc\")\n  :if ([:typeof \$\
    d] = \"str\") do={\n    :if (\$d ~ \"%\\\$\") do={\n      # percent of the price, rounded half u\
    p to the cent\n      :set disc (((\$price * [:tonum [:pick \$d 0 ([:len \$d] - 1)]]) + 50) / 100\
    )\n    } else={\n      :local dot [:find \$d \".\"]\n      :if ([:typeof \$dot] = \"num\") do={\n        \
    :local cents [:pick (\$d . \"00\") (\$dot + 1) (\$dot + 3)]\n        :if ([:pick \$cents 0 1] = \
    \"0\") do={ :set cents [:pick \$cents 1 2] }\n        :set disc (([:tonum [:pick \$d 0 \$dot]] * \
    100) + [:tonum \$cents])\n      } else={\n        :set disc ([:tonum \$d] * 100)\n      }\n    }\
    \n  }\n  :if (\$disc > \$price) do={ :set disc \$price }\n  :local cap [:tonum (\$info->\"cap\")\
    ]\n  :if ((\$k->\"cap\") = \"unlimited\") do={ :set cap 0 }\n  :if ((\$k->\"cap\") ~ \"^[0-9]+\\\
    \$\") do={ :set cap ([:tonum (\$k->\"cap\")] * 1000000) }\n  :local capText \"unlimited\"\n  :if \
    (\$cap > 0) do={ :set capText [:tostr (\$cap / 1000000)] }\n  :set (\$k->\"per\") \$period\n  :s\
    et (\$k->\"no\") [:tostr \$number]\n  :set (\$k->\"use\") [:tostr \$used]\n  :set (\$k->\"bpkg\"\
    ) \$pkg\n  :set (\$k->\"bcap\") \$capText\n  :set (\$k->\"bprice\") [:tostr \$price]\n  :set (\$\
    k->\"bdisc\") [:tostr \$disc]\n  :set (\$k->\"base\") [:tostr \$now]\n  :set (\$k->\"lvl\") \"0\"\
    \n  :set (\$k->\"wf\") \"\"\n  :set (\$k->\"inv\") \"\"\n  :set (\$k->\"um\") (\"0/\" . \$today)\
    \n  :set (\$k->\"am\") (\"0/\" . \$today)\n  :return {\"kv\"=\$k;\"down\"=\$down}\n}\n# mailTime\
    Left: false once this run has spent 3h on mail since \"since\" (a hung or slow SMTP server must\n\
    # not hold the router all night; whatever is left is sent on the next run).\n:global rbMailTimeL\
    eft do={\n  :local spent ([/system clock get time] - \$since)\n  :if (\$spent < 0s) do={ :set sp\
    ent (\$spent + 1d) }\n  :return (\$spent < 3h)\n}\n:global rbFunctions \"6b5878094ea72e0f\"\n"
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
    Generated by rosbill 0.1.0 for RouterOS 6.49.10 (v6).\n# Do not edit on the router: change confi\
    g/billing.yaml, rebuild and deploy.\n# Reads the router's date and publishes it to the other scr\
    ipts as globals:\n#   found          true on the last day of the month\n#   rosbillToday   today\
    , YYYY-MM-DD\n#   rosbillMonth   this month, YYYY-MM\n#   rosbillPeriod  the period that is due \
    for billing: this month on its last day, else last month\n#   rosbillDay     today as a day numb\
    er (days since 1970-01-01)\n#   rosbillClock   \"ok\", or why the clock cannot be trusted for bi\
    lling\n# Both clock formats are read at run time (nov/30/2026 before RouterOS 7.10, 2026-11-30 f\
    rom 7.10), so an upgrade\n# across 7.10 cannot break billing. Numbers are read without :tonum's \
    help on leading zeros (\"08\"): what :tonum\n# makes of them is not documented.\n:global found f\
    alse\n:global rosbillToday \"\"\n:global rosbillMonth \"\"\n:global rosbillPeriod \"\"\n:global \
    rosbillDay 0\n:global rosbillClock \"the date has not been read\"\n# decimal: a string of digits \
    as a num (leading zeros dropped first, so \"08\" is 8 whatever :tonum makes of a\n# leading zero\
    ); nothing if it is not digits.\n:local decimal do={\n  :local t [:tostr \$text]\n  :while ([:le\
    n \$t] > 1 && [:pick \$t 0 1] = \"0\") do={ :set t [:pick \$t 1 [:len \$t]] }\n  :if (!(\$t ~ \"\
    ^[0-9]+\\\$\")) do={ :return [:nothing] }\n  :return [:tonum \$t]\n}\n:local d [:tostr [/system \
    clock get date]]\n:local y 0\n:local m 0\n:local dd 0\n:if ([:len \$d] = 10 && [:pick \$d 4 5] = \
    \"-\" && [:pick \$d 7 8] = \"-\") do={\n  :set y [\$decimal text=[:pick \$d 0 4]]\n  :set m [\$d\
    ecimal text=[:pick \$d 5 7]]\n  :set dd [\$decimal text=[:pick \$d 8 10]]\n} else={\n  :if ([:le\
    n \$d] = 11 && [:pick \$d 3 4] = \"/\" && [:pick \$d 6 7] = \"/\") do={\n    :local months {\"ja\
    n\"=1;\"feb\"=2;\"mar\"=3;\"apr\"=4;\"may\"=5;\"jun\"=6;\"jul\"=7;\"aug\"=8;\"sep\"=9;\"oct\"=10\
    ;\"nov\"=11;\"dec\"=12}\n    # Lower case on the router; upper case accepted too.\n    :local mo\
    nthName [:pick \$d 0 3]\n    :local upper {\"Jan\"=\"jan\";\"Feb\"=\"feb\";\"Mar\"=\"mar\";\"Apr\
    \"=\"apr\";\"May\"=\"may\";\"Jun\"=\"jun\";\"Jul\"=\"jul\";\"Aug\"=\"aug\";\"Sep\"=\"sep\";\"Oct\
    \"=\"oct\";\"Nov\"=\"nov\";\"Dec\"=\"dec\"}\n    :if ([:typeof (\$upper->\$monthName)] = \"str\"\
    ) do={ :set monthName (\$upper->\$monthName) }\n    :set m (\$months->\$monthName)\n    :set dd \
    [\$decimal text=[:pick \$d 4 6]]\n    :set y [\$decimal text=[:pick \$d 7 11]]\n  }\n}\n:if ([:t\
    ypeof \$y] != \"num\" || [:typeof \$m] != \"num\" || [:typeof \$dd] != \"num\") do={\n  :set ros\
    billClock (\"the date \\\"\" . \$d . \"\\\" cannot be read\")\n  :log error (\"rosbill: MonthEnd\
    : cannot read the date \\\"\" . \$d . \"\\\"; nothing will be billed or warned\")\n  :error \"ro\
    sbill: unreadable date\"\n}\n:if (\$y < 1 || \$m < 1 || \$m > 12 || \$dd < 1 || \$dd > 31) do={\n  \
    :set rosbillClock (\"the date \\\"\" . \$d . \"\\\" cannot be read\")\n  :log error (\"rosbill: \
    MonthEnd: cannot read the date \\\"\" . \$d . \"\\\"; nothing will be billed or warned\")\n  :er\
    ror \"rosbill: unreadable date\"\n}\n# Days in this month, with the full Gregorian rule (2000 is \
    a leap year, 2100 is not).\n:local last 31\n:if (\$m = 4 || \$m = 6 || \$m = 9 || \$m = 11) do={ \
    :set last 30 }\n:if (\$m = 2) do={\n  :set last 28\n  :if (((\$y % 4) = 0 && (\$y % 100) != 0) |\
    | (\$y % 400) = 0) do={ :set last 29 }\n}\n:local mm [:pick [:tostr (100 + \$m)] 1 3]\n:local yy\
    yy [:pick [:tostr (10000 + \$y)] 1 5]\n:set rosbillToday (\$yyyy . \"-\" . \$mm . \"-\" . [:pick \
    [:tostr (100 + \$dd)] 1 3])\n:set rosbillMonth (\$yyyy . \"-\" . \$mm)\n:if (\$dd = \$last) do={\
    \n  :set found true\n  :set rosbillPeriod \$rosbillMonth\n} else={\n  :set found false\n  :if (\$\
    m = 1) do={\n    :set rosbillPeriod ([:pick [:tostr (10000 + \$y - 1)] 1 5] . \"-12\")\n  } else\
    ={\n    :set rosbillPeriod (\$yyyy . \"-\" . [:pick [:tostr (100 + \$m - 1)] 1 3])\n  }\n}\n# da\
    yNumber: days since 1970-01-01 of a date written YYYY-MM-DD (the days-from-civil algorithm, inte\
    ger arithmetic\n# only); -1 if it is not such a date.\n:local dayNumber do={\n  :local t [:tostr \
    \$date]\n  :if (!(\$t ~ \"^[0-9]{4}-[0-9]{2}-[0-9]{2}\\\$\")) do={ :return -1 }\n  :local mo [:p\
    ick \$t 5 7]\n  :if ([:pick \$mo 0 1] = \"0\") do={ :set mo [:pick \$mo 1 2] }\n  :local dd [:pi\
    ck \$t 8 10]\n  :if ([:pick \$dd 0 1] = \"0\") do={ :set dd [:pick \$dd 1 2] }\n  :local yy [:to\
    num [:pick \$t 0 4]]\n  :set mo [:tonum \$mo]\n  :if (\$mo <= 2) do={ :set yy (\$yy - 1) }\n  :l\
    ocal era (\$yy / 400)\n  :local yoe (\$yy - (\$era * 400))\n  :local mp (\$mo + 9)\n  :if (\$mo \
    > 2) do={ :set mp (\$mo - 3) }\n  :local doy ((((153 * \$mp) + 2) / 5) + [:tonum \$dd] - 1)\n  :\
    local doe ((\$yoe * 365) + (\$yoe / 4) - (\$yoe / 100) + \$doy)\n  :return ((\$era * 146097) + \$\
    doe - 719468)\n}\n:set rosbillDay [\$dayNumber date=\$rosbillToday]\n# Can the clock be trusted\? \
    A router without a battery clock boots on jan/02/1970 until NTP has synchronised\n# (Clock manua\
    l); billing on such a date would bill a wrong period. So: never before this build's date, and, w\
    here\n# the NTP client is enabled, only once it reports that it is synchronised.\n:set rosbillCl\
    ock \"ok\"\n:if (\$rosbillDay < 20454) do={\n  :set rosbillClock (\"the clock says \" . \$rosbil\
    lToday . \", before this build of rosbill (\" . \"2026-01-01\" . \")\")\n}\n# NTP: where the cli\
    ent is enabled, trust the clock only once it has synchronised. The ntp package's client reports\n\
    # status=synchronized; the built-in SNTP client has no status, and shows last-adjustment (a time\
    ) only after a good\n# reply from its server (help.mikrotik.com NTP, v6 section; the same test a\
    s eworm-de's TimeIsSync for RouterOS 6).\n:do {\n  :if ([/system ntp client get enabled] = true) \
    do={\n    :local synced false\n    :local why \"no reply from the server yet\"\n    :do {\n      \
    :local ntp [:tostr [/system ntp client get status]]\n      :set synced (\$ntp = \"synchronized\"\
    )\n      :set why (\"status \" . \$ntp)\n    } on-error={\n      :do { :set synced ([:typeof [/s\
    ystem ntp client get last-adjustment]] = \"time\") } on-error={}\n    }\n    :if (!\$synced) do=\
    { :set rosbillClock (\"the NTP client is enabled but not synchronised (\" . \$why . \")\") }\n  \
    }\n} on-error={}\n"
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
    0.1.0 for RouterOS 6.49.10 (v6).\n# Do not edit on the router: change config/billing.yaml, rebui\
    ld and deploy.\n# E-mails each user who crossed a warning level of their data cap since the last \
    warning, at most once per level\n# per billing period, and copies accounts at every level. A war\
    ning that cannot be delivered is\n# retried on the next runs while the period lasts (wf= in the \
    comment); Billing reports one that never got through.\n# Usage is counted from the base= that Bi\
    lling recorded, so nothing is warned while Billing is behind.\n# The shared functions (script Bi\
    llingFunctions), of this build.\n:global rbFunctions\n:if (\$rbFunctions != \"6b5878094ea72e0f\"\
    ) do={ :do { /system script run BillingFunctions } on-error={} }\n:if (\$rbFunctions != \"6b5878\
    094ea72e0f\") do={\n  :log error (\"rosbill: \" . \"UsageWarnings\" . \": /system script Billing\
    Functions is missing or of another build; nothing was done\")\n  :error \"rosbill: BillingFuncti\
    ons missing\"\n}\n:global rbParseState\n:global rbWriteState\n:global rbDecimal\n:global rbMoney\
    \n:global rbSend\n:global rbChecks\n:global rbMonthIndex\n:global rbPeriodOf\n:global rbMailWhen\
    \n:global rbMailNext\n:global rbMakeBill\n:global rbMailTimeLeft\n:global rosbillToday\n:global \
    rosbillMonth\n:global rosbillPeriod\n:global rosbillDay\n:global rosbillClock\n:global rosbillLo\
    ck\n:global rosbillLockPass\n:local runName \"UsageWarnings\"\n:local dateOk true\n:do { /system \
    script run MonthEnd } on-error={ :set dateOk false }\n:if ([:typeof \$rosbillToday] != \"str\" |\
    | \$rosbillToday = \"\") do={ :set dateOk false }\n:local today \$rosbillToday\n# --- one run at \
    a time -----------------------------------------------------------------------------------------\
    ----\n# The lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals are shared by \
    every script on the router\n# and a reboot clears them, so a power cut never leaves a lock behin\
    d. A lock older than 7 h is\n# stale (a run that was stopped by hand) and is taken over. A scrip\
    t started by the lock holder (Oversight runs\n# Billing, BillingMail and UsageWarnings) finds th\
    e holder's token in rosbillLockPass and runs inside the same lock.\n:global rosbillDay\n:local n\
    owSecs -1\n:do {\n  :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\n    :set no\
    wSecs ((\$rosbillDay * 86400) + [:tonum [/system clock get time]])\n  }\n} on-error={}\n:local l\
    ocked false\n:local lockOwner false\n:if ([:typeof \$rosbillLockPass] = \"str\" && \$rosbillLock\
    Pass != \"\" && \$rosbillLockPass = \$rosbillLock) do={\n  :set rosbillLockPass \"\"\n  :set loc\
    ked true\n} else={\n  :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLock != \"\")\n  \
    :if (\$held) do={\n    :local parts [:toarray \"\"]\n    :local rest \$rosbillLock\n    :local s\
    p [:find \$rest \" \"]\n    :while ([:typeof \$sp] = \"num\") do={\n      :set (\$parts->[:len \$\
    parts]) [:pick \$rest 0 \$sp]\n      :set rest [:pick \$rest (\$sp + 1) [:len \$rest]]\n      :s\
    et sp [:find \$rest \" \"]\n    }\n    :set (\$parts->[:len \$parts]) \$rest\n    :local since -\
    1\n    :if ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\
    \") do={\n      :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)])\n    }\n    \
    :if (\$nowSecs >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) d\
    o={\n      :log warning (\"rosbill: \" . \"UsageWarnings\" . \": taking over a stale lock (\" . \
    \$rosbillLock . \")\")\n      :set held false\n    }\n  }\n  :if (\$held) do={\n    :log warning \
    (\"rosbill: \" . \"UsageWarnings\" . \": another run holds the lock (\" . \$rosbillLock . \"); t\
    his run does nothing\")\n  } else={\n    :local stamp \"0 0\"\n    :if (\$nowSecs >= 0) do={ :se\
    t stamp (\$rosbillDay . \" \" . (\$nowSecs - (\$rosbillDay * 86400))) }\n    :set rosbillLock (\"\
    UsageWarnings\" . \" \" . \$stamp)\n    :set locked true\n    :set lockOwner true\n  }\n}\n# Pac\
    kages: cap in bytes (0 = unlimited), price in cents.\n:local pkgs {\"Lite\"={\"cap\"=3000000000;\
    \"price\"=19900};\"Home\"={\"cap\"=50000000000;\"price\"=34900};\"Business\"={\"cap\"=2000000000\
    00;\"price\"=89900};\"Unlimited\"={\"cap\"=0;\"price\"=129900}}\n:local problems \"\"\n:local mS\
    ubject \"\"\n:local mBody \"\"\n:global rosbillLastProblems\n:local levels {50;75;90;100}\n:loca\
    l warned 0\n:if (\$locked) do={\n  :do {\n    :local go (\$dateOk && \$rosbillClock = \"ok\")\n    \
    :if (!\$go) do={\n      :log warning (\"rosbill: UsageWarnings: no warnings tonight: \" . \$rosb\
    illClock)\n    }\n    # Usage is counted from the last bill: while a billing period is still unf\
    inished, warnings would count two months.\n    :if (\$go) do={\n      :do {\n        :local ledg\
    erIds [/system script find where name=\"BillingState\"]\n        :if ([:len \$ledgerIds] > 0) do\
    ={\n          :local lst [\$rbParseState comment=[/system script get (\$ledgerIds->0) comment] t\
    oday=\"\"]\n          :local done ((\$lst->\"kv\")->\"done\")\n          :if ([:typeof \$done] = \
    \"str\" && [\$rbMonthIndex p=\$done] < [\$rbMonthIndex p=\$rosbillPeriod]) do={\n            :se\
    t go false\n            :log warning (\"rosbill: UsageWarnings: billing of \" . \$rosbillPeriod \
    . \" is not finished; no warnings tonight\")\n          }\n        }\n      } on-error={}\n    }\
    \n    :local mailNeeded \$go\n    :local mailStart [/system clock get time]\n    :local stopped \
    \"\"\n    :local streak 0\n    :local attempted 0\n    :local delivered 0\n    :local srv \"\"\n    \
    # Before RouterOS 7.12 /tool e-mail wants the server as an IP (address=): resolve the name on ev\
    ery run, so a\n    # provider that moves its server does not silently stop all mail.\n    :if (\$\
    mailNeeded) do={\n      :do { :set srv [:tostr [:resolve \"smtp.example.net\"]] } on-error={\n        \
    :log warning (\"rosbill: \" . \$runName . \": cannot resolve \" . \"smtp.example.net\" . \"; usi\
    ng the /tool e-mail address\")\n      }\n    }\n    :if (\$go) do={\n      :foreach u in=[/tool \
    user-manager user print as-value] do={\n        :local uId (\$u->\".id\")\n        :local uName \
    [:tostr (\$u->\"username\")]\n        :local uComment [:tostr (\$u->\"comment\")]\n        :loca\
    l uDisabled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disabled\")] = \"yes\")\n        \
    :local uProfile [:tostr (\$u->\"actual-profile\")]\n        :local uEmail [:tostr (\$u->\"email\"\
    )]\n        :local uFirst [:tostr (\$u->\"first-name\")]\n        :local uLast [:tostr (\$u->\"l\
    ast-name\")]\n        :do {\n          # --- this user's state and data, checked before anything \
    is computed or sent ------------------------------\n          :local skip \"\"\n          :local \
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
    :set skip \"its counters are being reset\"\n            :set quiet true\n          }\n          \
    :if (\$skip = \"\" && !\$mailOk) do={ :set skip \"no valid e-mail address\" }\n          :local \
    changed false\n          :if (\$skip = \"\") do={\n            # The counters from the bulk prin\
    t when it carries them, else read one by one.\n            :local uTotal -1\n            :local \
    dl [:tonum (\$u->\"download-used\")]\n            :local ul [:tonum (\$u->\"upload-used\")]\n            \
    :if ([:typeof \$dl] = \"num\" && [:typeof \$ul] = \"num\") do={\n              :set uTotal (\$dl \
    + \$ul)\n            } else={\n              # The user's counters, read now (not from the bulk \
    print, which may be older or lack them).\n              :set uTotal -1\n              :do {\n                \
    :local dl [:tonum [/tool user-manager user get \$uId download-used]]\n                :local ul \
    [:tonum [/tool user-manager user get \$uId upload-used]]\n                :if ([:typeof \$dl] = \
    \"num\" && [:typeof \$ul] = \"num\") do={ :set uTotal (\$dl + \$ul) }\n              } on-error=\
    {}\n            }\n            :if ([:typeof (\$kv->\"pkg\")] != \"str\" && \$uProfile != \"\") \
    do={ :set uPkg \$uProfile }\n            :if (\$uPkg = \"\" && [:typeof (\$kv->\"bpkg\")] = \"st\
    r\") do={ :set uPkg (\$kv->\"bpkg\") }\n            :if (\$uTotal < 0) do={ :set skip \"the usag\
    e counters could not be read\" }\n            :if (\$skip = \"\" && \$uPkg = \"\") do={ :set ski\
    p \"no package (no User Manager profile and no pkg= in the comment)\" }\n            :if (\$skip \
    = \"\" && [:typeof (\$pkgs->\$uPkg)] != \"array\") do={ :set skip (\"unknown package \\\"\" . \$\
    uPkg . \"\\\"\") }\n            :if (\$skip = \"\") do={\n              # --- usage this period, \
    counted from base= (the counter total when the last bill was made) --------------------\n              \
    :local period \$rosbillMonth\n              :local capBytes (\$pkgs->\$uPkg->\"cap\")\n              \
    :if ((\$kv->\"cap\") = \"unlimited\") do={ :set capBytes 0 }\n              :if ((\$kv->\"cap\") \
    ~ \"^[0-9]+\\\$\") do={ :set capBytes ([:tonum (\$kv->\"cap\")] * 1000000) }\n              :loc\
    al base 0\n              :if ([:typeof (\$kv->\"base\")] = \"str\") do={ :set base [:tonum (\$kv\
    ->\"base\")] }\n              :local used (\$uTotal - \$base)\n              :if (\$used < 0) do\
    ={\n                # The counters went down since the last bill (reset, or sessions removed out\
    side rosbill): count from 0, and say\n                # so in the comment at once, so that later \
    traffic is not hidden behind the old base.\n                :set used \$uTotal\n                \
    :set (\$kv->\"base\") \"0\"\n                :set changed true\n                :set problems (\$\
    problems . \$uName . \": the counters went below the last bill's; usage is counted from 0\\n\")\n              \
    }\n              :local usedMb (\$used / 1000000)\n              :local capMb \"unlimited\"\n              \
    :local capText \"unlimited\"\n              :local percent 0\n              :if (\$capBytes > 0) \
    do={\n                :set capMb (\$capBytes / 1000000)\n                :set capText (\$capMb . \
    \" MB\")\n                :set percent ((\$used * 100) / \$capBytes)\n                # --- the \
    highest level reached; mailed if it is above the last one mailed this period -------------------\
    ---\n                :local level 0\n                :foreach l in=\$levels do={\n                  \
    :if (\$percent >= \$l) do={ :set level \$l }\n                }\n                :local stored 0\
    \n                :if ([:typeof (\$kv->\"lvl\")] = \"str\") do={ :set stored [:tonum (\$kv->\"lv\
    l\")] }\n                :if (\$level > \$stored) do={\n                  :if (\$stopped = \"\" \
    && ![\$rbMailTimeLeft since=\$mailStart]) do={ :set stopped \"the time for mail in this run was \
    used up\" }\n                  :if (\$stopped = \"\") do={\n                    # Write ahead (w\
    f= this level) before sending: a warning the power cut after sending is marked next time.\n                    \
    :local resend ((\$kv->\"wf\") = [:tostr \$level])\n                    :if (!\$resend) do={\n                      \
    :set (\$kv->\"wf\") [:tostr \$level]\n                      /tool user-manager user set \$uId co\
    mment=[\$rbWriteState pre=(\$st->\"pre\") post=(\$st->\"post\") kv=\$kv]\n                    }\n                    \
    :set mSubject (\"Example Wireless: \" . \$level . \"% of your \" . \$uPkg . \" data used\")\n                    \
    :set mBody \"\"\n                    :set mBody (\$mBody . \"Dear \" . \$uFirst . \" \" . \$uLas\
    t . \",\\n\")\n                    :set mBody (\$mBody . \"\\n\")\n                    :set mBod\
    y (\$mBody . \"You have used \" . \$usedMb . \" MB of your \" . \$capMb . \" MB \" . \$uPkg . \" \
    allowance this month (\" . \$percent . \"%).\\n\")\n                    :set mBody (\$mBody . \"\
    This is an automatic notice at \" . \$level . \"% of your cap; it is sent once per month.\\n\")\n                    \
    :set mBody (\$mBody . \"\\n\")\n                    :set mBody (\$mBody . \"Need more\\\? Reply \
    to this mail to upgrade.\\n\")\n                    :set mBody (\$mBody . \"\\n\")\n                    \
    :set mBody (\$mBody . \"Example Wireless\\n\")\n                    :if (\$resend) do={ :set mSu\
    bject (\"Re-sent: \" . \$mSubject) }\n                    :local outcome [\$rbSend mailTo=\$uEma\
    il mailSubject=\$mSubject mailBody=\$mBody srv=\$srv]\n                    :set attempted (\$att\
    empted + 1)\n                    :if (\$outcome = \"ok\") do={\n                      :set strea\
    k 0\n                      :set delivered (\$delivered + 1)\n                    } else={\n                      \
    :set streak (\$streak + 1)\n                      :if (\$streak >= 3) do={ :set stopped \"three \
    mails in a row were not delivered (is the SMTP server down\?)\" }\n                    }\n                    \
    :if (\$outcome = \"ok\") do={\n                      :set (\$kv->\"lvl\") [:tostr \$level]\n                      \
    :set (\$kv->\"wf\") \"\"\n                      :set changed true\n                      :set wa\
    rned (\$warned + 1)\n                      :log info (\"rosbill: UsageWarnings: \" . \$uName . \" \
    reached \" . \$level . \"% (\" . \$usedMb . \" MB), warned\")\n                      :if (true) \
    do={\n                        :set mSubject (\"Usage \" . \$level . \"%: \" . \$uName . \" (\" . \
    \$uPkg . \")\")\n                        :set mBody \"\"\n                        :set mBody (\$\
    mBody . \$uName . \" (\" . \$uFirst . \" \" . \$uLast . \", \" . \$uEmail . \") used \" . \$used\
    Mb . \" of \" . \$capMb . \" MB (\" . \$percent . \"%) on \" . \$today . \".\\n\")\n                        \
    :if ([\$rbSend mailTo=\"accounts@example.net\" mailSubject=\$mSubject mailBody=\$mBody srv=\$srv\
    ] != \"ok\") do={\n                          :set problems (\$problems . \$uName . \": the accou\
    nts copy of the \" . \$level . \"% warning could not be sent\\n\")\n                        }\n                      \
    }\n                    } else={\n                      :log warning (\"rosbill: UsageWarnings: t\
    he \" . \$level . \"% warning to \" . \$uName . \" was not delivered; it is retried at the next \
    run\")\n                      :set problems (\$problems . \$uName . \": the \" . \$level . \"% w\
    arning mail to \" . \$uEmail . \" was not delivered; retried at the next run\\n\")\n                    \
    }\n                  }\n                }\n              }\n            }\n          }\n          \
    :if (\$changed) do={\n            /tool user-manager user set \$uId comment=[\$rbWriteState pre=\
    (\$st->\"pre\") post=(\$st->\"post\") kv=\$kv]\n          }\n          :if (\$skip != \"\" && !\$\
    quiet) do={\n            :log warning (\"rosbill: UsageWarnings: skipped \" . \$uName . \": \" . \
    \$skip)\n            :set problems (\$problems . \$uName . \": skipped: \" . \$skip . \"\\n\")\n          \
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
:local src "# Billing: bills every ended period once, recording each bill before anything is sent; resets the c\
    ounters of billed users who are offline\n# Generated by rosbill 0.1.0 for RouterOS 6.49.10 (v6).\
    \n# Do not edit on the router: change config/billing.yaml, rebuild and deploy.\n# Runs every nig\
    ht (Oversight) and records whatever bill is due; BillingMail sends the mails afterwards.\n#  1. \
    An interrupted counter reset of an earlier run (a power cut) is finished first.\n#  2. A period \
    that has ended and is not billed yet (on the last day: this month) is billed. Each user's bill\n\
    #     (period, invoice number, usage, package, price, discount) is recorded in the user's commen\
    t, with both of its\n#     mails marked pending, before anything is sent. Invoice numbers come f\
    rom one sequence for the whole router\n#     (the comment of /system script BillingState).\n#  3\
    . The billed users' sessions are closed on this router (the NAS) and the counters of those who s\
    tay offline are\n#     reset; the counters are read again afterwards and that reading becomes th\
    e base of the next period.\n# Nothing is billed while the clock cannot be trusted (see MonthEnd)\
    ; the work is done once it can.\n# The shared functions (script BillingFunctions), of this build\
    .\n:global rbFunctions\n:if (\$rbFunctions != \"6b5878094ea72e0f\") do={ :do { /system script ru\
    n BillingFunctions } on-error={} }\n:if (\$rbFunctions != \"6b5878094ea72e0f\") do={\n  :log err\
    or (\"rosbill: \" . \"Billing\" . \": /system script BillingFunctions is missing or of another b\
    uild; nothing was done\")\n  :error \"rosbill: BillingFunctions missing\"\n}\n:global rbParseSta\
    te\n:global rbWriteState\n:global rbDecimal\n:global rbMoney\n:global rbSend\n:global rbChecks\n\
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
    \n      :foreach u in=[/tool user-manager user print as-value] do={\n        :local uId (\$u->\"\
    .id\")\n        :local uName [:tostr (\$u->\"username\")]\n        :local uComment [:tostr (\$u-\
    >\"comment\")]\n        :local uDisabled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$\
    u->\"disabled\")] = \"yes\")\n        :local uProfile [:tostr (\$u->\"actual-profile\")]\n        \
    :local uEmail [:tostr (\$u->\"email\")]\n        :local uFirst [:tostr (\$u->\"first-name\")]\n        \
    :local uLast [:tostr (\$u->\"last-name\")]\n        :do {\n          :local st [\$rbParseState c\
    omment=\$uComment today=\$rosbillToday]\n          :local kv (\$st->\"kv\")\n          :if ((\$s\
    t->\"err\") = \"\") do={\n            # no= is a bill's number; inv= (rosbill 0.1 and the origin\
    al scripts) is a user's *next* number.\n            :foreach key in={\"no\";\"inv\"} do={\n              \
    :if ((\$kv->\$key) ~ \"^[0-9]{1,15}\\\$\") do={\n                :local used [\$rbDecimal text=(\
    \$kv->\$key)]\n                :if (\$key = \"inv\") do={ :set used (\$used - 1) }\n                \
    :if (\$used > \$seq) do={ :set seq \$used }\n              }\n            }\n            :if ((\$\
    kv->\"per\") ~ \"^[0-9]{4}-[0-9]{2}\\\$\") do={\n              :if (\$maxPer = \"\" || [\$rbMont\
    hIndex p=(\$kv->\"per\")] > [\$rbMonthIndex p=\$maxPer]) do={ :set maxPer (\$kv->\"per\") }\n            \
    }\n            :local marker (\$kv->\"rst\")\n            :if ([:typeof \$marker] = \"str\") do=\
    {\n              # The reset of this user was interrupted. Billing disabled the user before it, \
    so no traffic has come in\n              # since: whatever the counters say now is where the nex\
    t period starts.\n              :local uTotal -1\n              :if (\$marker != \"-\") do={\n                \
    # The user's counters, read now (not from the bulk print, which may be older or lack them).\n                \
    :set uTotal -1\n                :do {\n                  :local dl [:tonum [/tool user-manager u\
    ser get \$uId download-used]]\n                  :local ul [:tonum [/tool user-manager user get \
    \$uId upload-used]]\n                  :if ([:typeof \$dl] = \"num\" && [:typeof \$ul] = \"num\"\
    ) do={ :set uTotal (\$dl + \$ul) }\n                } on-error={}\n                :if (\$uTotal \
    >= 0) do={\n                  :set (\$kv->\"base\") [:tostr \$uTotal]\n                } else={\n                  \
    :set problems (\$problems . \$uName . \": the counters could not be read after an interrupted re\
    set; check base= in the comment\\n\")\n                }\n              }\n              :set (\$\
    kv->\"rst\") \"\"\n              /tool user-manager user set \$uId disabled=no comment=[\$rbWrit\
    eState pre=(\$st->\"pre\") post=(\$st->\"post\") kv=\$kv]\n              :log warning (\"rosbill\
    : Billing: finished the interrupted counter reset of \" . \$uName . \" and enabled the user agai\
    n\")\n            }\n          }\n        } on-error={\n          :log warning (\"rosbill: Billi\
    ng: could not check \" . \$uName . \" for unfinished work\")\n        }\n      }\n    }\n    # -\
    -- can the clock be trusted, and is there anything to do\? -------------------------------------\
    -------------------\n    :local clockOk (\$go && \$dateOk && \$rosbillClock = \"ok\")\n    :loca\
    l clockWhy \$rosbillClock\n    :if (!\$dateOk) do={ :set clockWhy \"MonthEnd could not read the \
    date\" }\n    :if (\$clockOk && (\$led->\"day\") ~ \"^[0-9]{1,7}\\\$\") do={\n      :if (\$rosbi\
    llDay < ([\$rbDecimal text=(\$led->\"day\")] - 1)) do={\n        :set clockOk false\n        :se\
    t clockWhy (\"the clock says \" . \$rosbillToday . \", earlier than the last run\")\n      }\n    \
    }\n    :if (\$go && \$fresh && \$clockOk) do={\n      # A new ledger: start after the last perio\
    d any user was billed for, else after last month (nothing before\n      # this install is billed\
    ).\n      :if (\$maxPer != \"\") do={\n        :set (\$led->\"done\") \$maxPer\n      } else={\n        \
    :set (\$led->\"done\") [\$rbPeriodOf index=([\$rbMonthIndex p=\$rosbillMonth] - 1)]\n      }\n    \
    }\n    :local due \"\"\n    :local recordNight false\n    :if (\$go && \$clockOk) do={\n      :s\
    et due [\$rbPeriodOf index=([\$rbMonthIndex p=(\$led->\"done\")] + 1)]\n      :set recordNight (\
    [\$rbMonthIndex p=\$due] <= [\$rbMonthIndex p=\$rosbillPeriod])\n    }\n    :local work (\$go && \
    \$clockOk && (\$recordNight || \$busy || \$fresh))\n    :if (\$go && !\$clockOk) do={\n      :lo\
    g error (\"rosbill: Billing: \" . \$clockWhy . \"; nothing is billed or sent until the clock can \
    be trusted\")\n      :set problems (\$problems . \"Billing is paused: \" . \$clockWhy . \". What\
    ever is due is done once the clock is right.\\n\")\n    }\n    :if (\$go && !\$work) do={\n      \
    # Nothing due: only remember the day of this run.\n      :if (\$clockOk && (\$led->\"day\") != [\
    :tostr \$rosbillDay]) do={\n        :set (\$led->\"day\") [:tostr \$rosbillDay]\n        :do {\n          \
    /system script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost kv=\$led]\n        \
    } on-error={ :log warning \"rosbill: Billing: could not update /system script BillingState\" }\n      \
    }\n    }\n    :if (\$work) do={\n      :set (\$led->\"busy\") \"1\"\n      :set (\$led->\"seq\") \
    [:tostr \$seq]\n      :set (\$led->\"day\") [:tostr \$rosbillDay]\n      :do {\n        /system \
    script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost kv=\$led]\n      } on-\
    error={\n        :set work false\n        :log error \"rosbill: Billing: cannot write /system sc\
    ript BillingState; nothing was billed\"\n      }\n    }\n    # --- every user: bill what is due \
    -----------------------------------------------------------------------------\n    :local billed \
    0\n    :local cands [:toarray \"\"]\n    :local dueIndex 0\n    :if (\$recordNight) do={ :set du\
    eIndex [\$rbMonthIndex p=\$due] }\n    :if (\$recordNight) do={\n      :foreach u in=[/tool user\
    -manager user print as-value] do={\n        :local uId (\$u->\".id\")\n        :local uName [:to\
    str (\$u->\"username\")]\n        :local uComment [:tostr (\$u->\"comment\")]\n        :local uD\
    isabled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disabled\")] = \"yes\")\n        \
    :local uProfile [:tostr (\$u->\"actual-profile\")]\n        :local uEmail [:tostr (\$u->\"email\"\
    )]\n        :local uFirst [:tostr (\$u->\"first-name\")]\n        :local uLast [:tostr (\$u->\"l\
    ast-name\")]\n        :local key (\"u\" . \$uName)\n        :do {\n          # --- this user's s\
    tate and data, checked before anything is computed or sent ------------------------------\n          \
    :local skip \"\"\n          :local quiet false\n          :local st [\$rbParseState comment=\$uC\
    omment today=\$rosbillToday]\n          :local kv (\$st->\"kv\")\n          :if ((\$st->\"err\") \
    != \"\") do={ :set skip (\"broken comment: \" . (\$st->\"err\")) }\n          :if ([:typeof (\$k\
    v->\"email\")] = \"str\") do={ :set uEmail (\$kv->\"email\") }\n          :if ([:typeof (\$kv->\"\
    first\")] = \"str\") do={ :set uFirst (\$kv->\"first\") }\n          :if ([:typeof (\$kv->\"last\
    \")] = \"str\") do={ :set uLast (\$kv->\"last\") }\n          :local uPkg \$uProfile\n          \
    :if ([:typeof (\$kv->\"pkg\")] = \"str\") do={ :set uPkg (\$kv->\"pkg\") }\n          :if (\$uDi\
    sabled || (\$kv->\"bill\") = \"no\") do={\n            :set skip \"not billed (disabled, or bill\
    =no in the comment)\"\n            :set quiet true\n          }\n          # These values reach \
    mail subjects and bodies: a CR or LF in a subject would start new mail headers.\n          :if (\
    \$skip = \"\" && (\$uName . \$uFirst . \$uLast . \$uPkg . [:tostr (\$kv->\"bpkg\")]) ~ \"[\\01-\\\
    1F\\7F]\") do={\n            :set skip \"the login name, first or last name or package contains \
    a control character\"\n          }\n          :foreach checked,pattern in=\$rbChecks do={\n            \
    :if (\$skip = \"\" && [:typeof (\$kv->\$checked)] = \"str\" && !((\$kv->\$checked) ~ \$pattern)) \
    do={\n              :set skip (\$checked . \"=\" . (\$kv->\$checked) . \" in the comment is not \
    valid (docs/comment-format.md)\")\n            }\n          }\n          :local mailOk (\$uEmail \
    ~ \"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\\\.[A-Za-z0-9-]+)+\\\$\")\n          :if (\$skip = \"\" &\
    & [:typeof (\$kv->\"rst\")] = \"str\") do={\n            :set skip \"a counter reset of an earli\
    er run was not finished (rst= in the comment)\"\n          }\n          :local needBill false\n          \
    :local uTotal -1\n          :if (\$recordNight && \$skip = \"\") do={\n            :if ([:typeof \
    (\$kv->\"per\")] != \"str\") do={ :set needBill true }\n            :if (!\$needBill) do={ :set \
    needBill ([\$rbMonthIndex p=(\$kv->\"per\")] < \$dueIndex) }\n          }\n          :if (\$need\
    Bill) do={\n            # The user's counters, read now (not from the bulk print, which may be o\
    lder or lack them).\n            :set uTotal -1\n            :do {\n              :local dl [:to\
    num [/tool user-manager user get \$uId download-used]]\n              :local ul [:tonum [/tool u\
    ser-manager user get \$uId upload-used]]\n              :if ([:typeof \$dl] = \"num\" && [:typeo\
    f \$ul] = \"num\") do={ :set uTotal (\$dl + \$ul) }\n            } on-error={}\n            # Th\
    e package: pkg= in the comment, else the User Manager profile. A v6 profile that expired leaves\n            \
    # actual-profile empty; then the package of the last bill stands in, and accounts are told.\n            \
    :set uPkg \$uProfile\n            :if ([:typeof (\$kv->\"pkg\")] = \"str\") do={ :set uPkg (\$kv\
    ->\"pkg\") }\n            :if (\$uPkg = \"\" && [:typeof (\$kv->\"bpkg\")] = \"str\") do={\n              \
    :set uPkg (\$kv->\"bpkg\")\n              :set problems (\$problems . \$uName . \": has no activ\
    e profile; billed as \" . \$uPkg . \", the package of the last bill\\n\")\n            }\n            \
    :if (\$uTotal < 0) do={ :set skip \"the usage counters could not be read\" }\n            :if (\$\
    skip = \"\" && \$uPkg = \"\") do={ :set skip \"no package (no User Manager profile and no pkg= i\
    n the comment)\" }\n            :if (\$skip = \"\" && [:typeof (\$pkgs->\$uPkg)] != \"array\") d\
    o={ :set skip (\"unknown package \\\"\" . \$uPkg . \"\\\"\") }\n            :if (\$skip != \"\") \
    do={ :set needBill false }\n          }\n          :if (\$recordNight && \$skip != \"\" && !\$qu\
    iet) do={\n            :log warning (\"rosbill: Billing: \" . \$uName . \" is not billed for \" \
    . \$due . \": \" . \$skip)\n            :set problems (\$problems . \$uName . \": NOT BILLED for \
    \" . \$due . \": \" . \$skip . \"\\n\")\n          }\n          :local entry {\"id\"=\$uId;\"nam\
    e\"=\$uName;\"pre\"=(\$st->\"pre\");\"post\"=(\$st->\"post\");\"kv\"=\$kv;\"pkg\"=\$uPkg}\n          \
    :if (\$needBill) do={\n            :set (\$cands->\$key) \$entry\n          }\n        } on-erro\
    r={\n          :log warning (\"rosbill: Billing: skipped \" . \$uName . \": a router command fai\
    led for this user\")\n          :set problems (\$problems . \$uName . \": a router command faile\
    d for this user; see the router log\\n\")\n        }\n      }\n    }\n    # --- close the billed \
    users' sessions and reset the counters of those who stay offline --------------------------\n    \
    # A reset while a session is open does not stick (its next interim update carries the whole sess\
    ion total again),\n    # and a User Manager close-session alone may leave the NAS session runnin\
    g (MikroTik wiki, User Manager Active\n    # sessions). So only users whose sessions this router \
    ended as the NAS and who then show no open session anywhere\n    # are reset. They are disabled \
    from that check until the counters have been read again after the reset, so no\n    # traffic ca\
    n come in between; their comment says so (rst=), and an interrupted run finishes the job first t\
    hing\n    # next time. Everyone else is billed the same way and keeps counting from the recorded \
    base.\n    :if ([:len \$cands] > 0) do={\n      :do {\n        :local ids [:toarray \"\"]\n        \
    :foreach a in=[/ppp active print as-value proplist=.id,name] do={\n          :if ([:typeof (\$ca\
    nds->(\"u\" . [:tostr (\$a->\"name\")]))] = \"array\") do={ :set (\$ids->[:len \$ids]) (\$a->\".\
    id\") }\n        }\n        :if ([:len \$ids] > 0) do={ /ppp active remove \$ids }\n      } on-e\
    rror={ :log warning \"rosbill: Billing: could not close the PPP sessions\" }\n      :do {\n        \
    :local ids [:toarray \"\"]\n        :foreach a in=[/ip hotspot active print as-value proplist=.i\
    d,user] do={\n          :if ([:typeof (\$cands->(\"u\" . [:tostr (\$a->\"user\")]))] = \"array\"\
    ) do={ :set (\$ids->[:len \$ids]) (\$a->\".id\") }\n        }\n        :if ([:len \$ids] > 0) do\
    ={ /ip hotspot active remove \$ids }\n      } on-error={ :log warning \"rosbill: Billing: could \
    not close the hotspot sessions\" }\n      # Time for the NAS's Accounting-Stop to reach User Man\
    ager.\n      :delay 5s\n      :local online [:toarray \"\"]\n      :local readOk true\n      # W\
    ho has a session open now: on this router as the NAS (PPP, hotspot) or in User Manager (a remote \
    NAS, or a\n      # session whose Stop has not arrived). Read in bulk; if a table cannot be read, \
    nobody is reset.\n      :set online [:toarray \"\"]\n      :set readOk true\n      :do {\n        \
    :foreach s in=[/tool user-manager session print as-value where active] do={ :set (\$online->(\"u\
    \" . [:tostr (\$s->\"user\")])) true }\n        :foreach a in=[/ppp active print as-value propli\
    st=name] do={ :set (\$online->(\"u\" . [:tostr (\$a->\"name\")])) true }\n        :foreach a in=\
    [/ip hotspot active print as-value proplist=user] do={ :set (\$online->(\"u\" . [:tostr (\$a->\"\
    user\")])) true }\n      } on-error={\n        :set readOk false\n        :log warning \"rosbill\
    : Billing: could not read the open sessions; no counters are reset this time\"\n      }\n      :\
    local locked [:toarray \"\"]\n      :foreach key,e in=\$cands do={\n        :if (\$readOk && (\$\
    online->\$key) != true) do={\n          :local kv (\$e->\"kv\")\n          :set (\$kv->\"rst\") \
    \"-\"\n          :do {\n            /tool user-manager user set (\$e->\"id\") disabled=yes comme\
    nt=[\$rbWriteState pre=(\$e->\"pre\") post=(\$e->\"post\") kv=\$kv]\n            :set (\$locked-\
    >\$key) true\n          } on-error={ :log warning (\"rosbill: Billing: could not disable \" . (\$\
    e->\"name\") . \" for the counter reset\") }\n        }\n      }\n      # Anyone who came online \
    between the check and the lock is not reset.\n      # Who has a session open now: on this router \
    as the NAS (PPP, hotspot) or in User Manager (a remote NAS, or a\n      # session whose Stop has \
    not arrived). Read in bulk; if a table cannot be read, nobody is reset.\n      :set online [:toa\
    rray \"\"]\n      :set readOk true\n      :do {\n        :foreach s in=[/tool user-manager sessi\
    on print as-value where active] do={ :set (\$online->(\"u\" . [:tostr (\$s->\"user\")])) true }\n        \
    :foreach a in=[/ppp active print as-value proplist=name] do={ :set (\$online->(\"u\" . [:tostr (\
    \$a->\"name\")])) true }\n        :foreach a in=[/ip hotspot active print as-value proplist=user\
    ] do={ :set (\$online->(\"u\" . [:tostr (\$a->\"user\")])) true }\n      } on-error={\n        :\
    set readOk false\n        :log warning \"rosbill: Billing: could not read the open sessions; no \
    counters are reset this time\"\n      }\n      :local resetNow [:toarray \"\"]\n      :foreach k\
    ey,entry in=\$cands do={\n        :local uId (\$entry->\"id\")\n        :local uName (\$entry->\"\
    name\")\n        :local uPkg (\$entry->\"pkg\")\n        :local kv (\$entry->\"kv\")\n        :l\
    ocal uProfile \"\"\n        :local uTotal -1\n        :local isLocked ((\$locked->\$key) = true)\
    \n        # The user's counters, read now (not from the bulk print, which may be older or lack t\
    hem).\n        :set uTotal -1\n        :do {\n          :local dl [:tonum [/tool user-manager us\
    er get \$uId download-used]]\n          :local ul [:tonum [/tool user-manager user get \$uId upl\
    oad-used]]\n          :if ([:typeof \$dl] = \"num\" && [:typeof \$ul] = \"num\") do={ :set uTota\
    l (\$dl + \$ul) }\n        } on-error={}\n        :local keepLocked (\$isLocked && \$readOk && (\
    \$online->\$key) != true && \$uTotal >= 0)\n        :if (\$uTotal < 0) do={\n          :set prob\
    lems (\$problems . \$uName . \": NOT BILLED for \" . \$due . \": the usage counters could not be \
    read\\n\")\n          :if (\$isLocked) do={\n            :set (\$kv->\"rst\") \"\"\n            \
    :do { /tool user-manager user set \$uId disabled=no comment=[\$rbWriteState pre=(\$entry->\"pre\"\
    ) post=(\$entry->\"post\") kv=\$kv] } on-error={\n              :do { /tool user-manager user se\
    t \$uId disabled=no } on-error={}\n            }\n          }\n        } else={\n          # Rec\
    ord the bill: one write holds the bill, its invoice number and the new base, before any mail is \
    sent.\n          :if ((\$kv->\"um\") ~ \"^[0-9]\" || (\$kv->\"am\") ~ \"^[0-9]\") do={\n            \
    :set problems (\$problems . \$uName . \": the mails of invoice number \" . (\$kv->\"no\") . \" (\
    \" . (\$kv->\"per\") . \\\n              \") were never all confirmed delivered; they are given \
    up for the bill of \" . \$due . \" (see the accounts copy)\\n\")\n          }\n          :if ((\$\
    kv->\"wf\") ~ \"^[0-9]+\\\$\") do={\n            :set problems (\$problems . \$uName . \": the \" \
    . (\$kv->\"wf\") . \"% usage warning could not be delivered before the period ended\\n\")\n          \
    }\n          :set seq (\$seq + 1)\n          :local bill [\$rbMakeBill kv=\$kv total=\$uTotal pk\
    g=\$uPkg info=(\$pkgs->\$uPkg) number=\$seq period=\$due today=\$rosbillDay]\n          :local n\
    kv (\$bill->\"kv\")\n          :if (\$keepLocked) do={ :set (\$nkv->\"rst\") [:tostr \$uTotal] }\
    \n          :local wrote true\n          :do {\n            # Still locked for the reset (rst= h\
    olds the counter total before it), or enabled again.\n            :if (\$keepLocked) do={\n              \
    /tool user-manager user set \$uId comment=[\$rbWriteState pre=(\$entry->\"pre\") post=(\$entry->\
    \"post\") kv=\$nkv]\n            } else={\n              /tool user-manager user set \$uId disab\
    led=no comment=[\$rbWriteState pre=(\$entry->\"pre\") post=(\$entry->\"post\") kv=\$nkv]\n            \
    }\n          } on-error={ :set wrote false }\n          :if (\$wrote) do={\n            :set bil\
    led (\$billed + 1)\n            :log info (\"rosbill: Billing: \" . \$uName . \" billed for \" . \
    \$due . \", invoice number \" . \$seq)\n            :if (\$bill->\"down\") do={\n              :\
    set problems (\$problems . \$uName . \": the counters were below the last bill's (reset or sessi\
    ons removed outside rosbill); usage counted from 0\\n\")\n            }\n            :set (\$ent\
    ry->\"kv\") \$nkv\n            :if ((\$billed % 50) = 0) do={\n              :set (\$led->\"seq\"\
    ) [:tostr \$seq]\n              :do { /system script set \$ledgerId comment=[\$rbWriteState pre=\
    \$ledPre post=\$ledPost kv=\$led] } on-error={}\n            }\n          } else={\n            \
    :log error (\"rosbill: Billing: could not write the bill of \" . \$uName . \"; invoice number \" \
    . \$seq . \" stays unused\")\n            :set problems (\$problems . \$uName . \": NOT BILLED f\
    or \" . \$due . \": the comment could not be written (invoice number \" . \$seq . \" is unused)\\\
    n\")\n          }\n          :if (\$keepLocked && \$wrote) do={ :set (\$resetNow->\$key) \$entry \
    }\n          :if (\$isLocked && !\$wrote) do={ :do { /tool user-manager user set \$uId disabled=\
    no } on-error={} }\n        }\n      }\n      :if ([:len \$resetNow] > 0) do={\n        :do {\n          \
    # RouterOS 6: one reset-counters for all of them clears download-used and upload-used.\n          \
    :local ids [:toarray \"\"]\n          :foreach key,e in=\$resetNow do={ :set (\$ids->[:len \$ids\
    ]) (\$e->\"id\") }\n          /tool user-manager user reset-counters \$ids\n        } on-error={ \
    :log warning \"rosbill: Billing: the counter reset failed; the counters are read again either wa\
    y\" }\n        # Read the counters again until the reset shows (it may take effect a moment afte\
    r the command returns), at\n        # most 20 s; the users stay disabled meanwhile. Counters tha\
    t do not go down mean the reset changed nothing:\n        # then the base stays the billed total\
    , which is right too.\n        :local waiting \$resetNow\n        :local rounds 0\n        :whil\
    e ([:len \$waiting] > 0 && \$rounds < 10) do={\n          :delay 2s\n          :set rounds (\$ro\
    unds + 1)\n          :local still [:toarray \"\"]\n          :foreach key,entry in=\$waiting do=\
    {\n            :local uId (\$entry->\"id\")\n            :local uName (\$entry->\"name\")\n            \
    :local uProfile \"\"\n            :local uTotal -1\n            # The user's counters, read now \
    (not from the bulk print, which may be older or lack them).\n            :set uTotal -1\n            \
    :do {\n              :local dl [:tonum [/tool user-manager user get \$uId download-used]]\n              \
    :local ul [:tonum [/tool user-manager user get \$uId upload-used]]\n              :if ([:typeof \
    \$dl] = \"num\" && [:typeof \$ul] = \"num\") do={ :set uTotal (\$dl + \$ul) }\n            } on-\
    error={}\n            :local kv (\$entry->\"kv\")\n            :local before [:tonum (\$kv->\"rs\
    t\")]\n            :if ((\$uTotal >= 0 && \$uTotal < \$before) || \$rounds = 10) do={\n              \
    :if (\$uTotal >= 0) do={\n                :set (\$kv->\"base\") [:tostr \$uTotal]\n              \
    } else={\n                :set problems (\$problems . \$uName . \": the counters could not be re\
    ad after the reset; check base= in the comment\\n\")\n              }\n              :set (\$kv-\
    >\"rst\") \"\"\n              :do {\n                /tool user-manager user set \$uId disabled=\
    no comment=[\$rbWriteState pre=(\$entry->\"pre\") post=(\$entry->\"post\") kv=\$kv]\n              \
    } on-error={\n                :do { /tool user-manager user set \$uId disabled=no } on-error={}\n                \
    :log error (\"rosbill: Billing: could not record the reset of \" . \$uName . \"; check base= and \
    rst= in its comment\")\n              }\n            } else={\n              :set (\$still->\$ke\
    y) \$entry\n            }\n          }\n          :set waiting \$still\n        }\n      }\n    \
    }\n    # --- close the ledger; BillingMail sends the bills, the accounts copies and the report -\
    -----------------------------\n    :global rosbillNotes\n    :global rosbillBilled\n    :if ([:t\
    ypeof \$rosbillNotes] != \"str\") do={ :set rosbillNotes \"\" }\n    :set rosbillNotes (\$rosbil\
    lNotes . \$problems)\n    :set rosbillBilled \$billed\n    :if (\$work) do={\n      :if (\$recor\
    dNight) do={ :set (\$led->\"done\") \$due }\n      :set (\$led->\"seq\") [:tostr \$seq]\n      # \
    New bills, or an interrupted run whose bills may still be unsent: BillingMail looks at every use\
    r tonight.\n      :if (\$billed > 0 || \$busy) do={\n        :local pend 0\n        :if ((\$led-\
    >\"pend\") ~ \"^[0-9]{1,7}\\\$\") do={ :set pend [:tonum (\$led->\"pend\")] }\n        :set pend \
    (\$pend + \$billed)\n        :if (\$pend = 0) do={ :set pend 1 }\n        :set (\$led->\"pend\") \
    [:tostr \$pend]\n        :set (\$led->\"next\") [:tostr \$rosbillDay]\n      }\n      :set (\$le\
    d->\"busy\") \"\"\n      :do {\n        /system script set \$ledgerId comment=[\$rbWriteState pr\
    e=\$ledPre post=\$ledPost kv=\$led]\n      } on-error={ :log error \"rosbill: Billing: could not \
    update /system script BillingState; the next run checks everyone\" }\n      :if (\$recordNight) \
    do={ :log info (\"rosbill: Billing: \" . \$billed . \" users billed for \" . \$due) }\n    }\n  \
    } on-error={\n    :log error \"rosbill: Billing: stopped with an error (see the log above); the \
    next run finishes the work\"\n  }\n  :if (\$lockOwner) do={ :set rosbillLock \"\" }\n}\n"
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
    by rosbill 0.1.0 for RouterOS 6.49.10 (v6).\n# Do not edit on the router: change config/billing.\
    yaml, rebuild and deploy.\n# Runs every night after Billing (Oversight). Sends every bill mail a\
    nd accounts copy that is pending in the users'\n# comments and due (um=, am=; a failed one is re\
    tried after 1, 2, then every 4 days), marks re-sends as such, and\n# sends accounts a report: wh\
    at Billing did, what failed, and what is still outstanding. A mail counts as delivered\n# only w\
    hen last-status reports the outcome of that very send. Sending stops after three failures in a r\
    ow or when\n# the time budget (3h) is spent; the rest is sent on the next run.\n# The shared fun\
    ctions (script BillingFunctions), of this build.\n:global rbFunctions\n:if (\$rbFunctions != \"6\
    b5878094ea72e0f\") do={ :do { /system script run BillingFunctions } on-error={} }\n:if (\$rbFunc\
    tions != \"6b5878094ea72e0f\") do={\n  :log error (\"rosbill: \" . \"BillingMail\" . \": /system \
    script BillingFunctions is missing or of another build; nothing was done\")\n  :error \"rosbill: \
    BillingFunctions missing\"\n}\n:global rbParseState\n:global rbWriteState\n:global rbDecimal\n:g\
    lobal rbMoney\n:global rbSend\n:global rbChecks\n:global rbMonthIndex\n:global rbPeriodOf\n:glob\
    al rbMailWhen\n:global rbMailNext\n:global rbMakeBill\n:global rbMailTimeLeft\n:global rosbillTo\
    day\n:global rosbillMonth\n:global rosbillPeriod\n:global rosbillDay\n:global rosbillClock\n:glo\
    bal rosbillLock\n:global rosbillLockPass\n:local runName \"BillingMail\"\n:local dateOk true\n:d\
    o { /system script run MonthEnd } on-error={ :set dateOk false }\n:if ([:typeof \$rosbillToday] \
    != \"str\" || \$rosbillToday = \"\") do={ :set dateOk false }\n:local today \$rosbillToday\n# --\
    - one run at a time ----------------------------------------------------------------------------\
    -----------------\n# The lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals \
    are shared by every script on the router\n# and a reboot clears them, so a power cut never leave\
    s a lock behind. A lock older than 7 h is\n# stale (a run that was stopped by hand) and is taken \
    over. A script started by the lock holder (Oversight runs\n# Billing, BillingMail and UsageWarni\
    ngs) finds the holder's token in rosbillLockPass and runs inside the same lock.\n:global rosbill\
    Day\n:local nowSecs -1\n:do {\n  :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\
    \n    :set nowSecs ((\$rosbillDay * 86400) + [:tonum [/system clock get time]])\n  }\n} on-error\
    ={}\n:local locked false\n:local lockOwner false\n:if ([:typeof \$rosbillLockPass] = \"str\" && \
    \$rosbillLockPass != \"\" && \$rosbillLockPass = \$rosbillLock) do={\n  :set rosbillLockPass \"\"\
    \n  :set locked true\n} else={\n  :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLoc\
    k != \"\")\n  :if (\$held) do={\n    :local parts [:toarray \"\"]\n    :local rest \$rosbillLock\
    \n    :local sp [:find \$rest \" \"]\n    :while ([:typeof \$sp] = \"num\") do={\n      :set (\$\
    parts->[:len \$parts]) [:pick \$rest 0 \$sp]\n      :set rest [:pick \$rest (\$sp + 1) [:len \$r\
    est]]\n      :set sp [:find \$rest \" \"]\n    }\n    :set (\$parts->[:len \$parts]) \$rest\n    \
    :local since -1\n    :if ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \
    \"^[0-9]+\\\$\") do={\n      :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)]\
    )\n    }\n    :if (\$nowSecs >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$sinc\
    e) > 25200)) do={\n      :log warning (\"rosbill: \" . \"BillingMail\" . \": taking over a stale \
    lock (\" . \$rosbillLock . \")\")\n      :set held false\n    }\n  }\n  :if (\$held) do={\n    :\
    log warning (\"rosbill: \" . \"BillingMail\" . \": another run holds the lock (\" . \$rosbillLoc\
    k . \"); this run does nothing\")\n  } else={\n    :local stamp \"0 0\"\n    :if (\$nowSecs >= 0\
    ) do={ :set stamp (\$rosbillDay . \" \" . (\$nowSecs - (\$rosbillDay * 86400))) }\n    :set rosb\
    illLock (\"BillingMail\" . \" \" . \$stamp)\n    :set locked true\n    :set lockOwner true\n  }\n\
    }\n# Packages: cap in bytes (0 = unlimited), price in cents.\n:local pkgs {\"Lite\"={\"cap\"=300\
    0000000;\"price\"=19900};\"Home\"={\"cap\"=50000000000;\"price\"=34900};\"Business\"={\"cap\"=20\
    0000000000;\"price\"=89900};\"Unlimited\"={\"cap\"=0;\"price\"=129900}}\n:local problems \"\"\n:\
    local mSubject \"\"\n:local mBody \"\"\n:global rosbillNotes\n:if (\$locked) do={\n  :do {\n    \
    :global rosbillBilled\n    :if ([:typeof \$rosbillNotes] != \"str\") do={ :set rosbillNotes \"\" \
    }\n    :set problems \$rosbillNotes\n    :set rosbillNotes \"\"\n    :local billed 0\n    :if ([\
    :typeof \$rosbillBilled] = \"num\") do={ :set billed \$rosbillBilled }\n    :set rosbillBilled 0\
    \n    # --- the ledger (Billing keeps it): is any mail pending, and due today\? ----------------\
    -------------------------\n    :local ledgerId \"\"\n    :local led [:toarray \"\"]\n    :local \
    ledPre \"\"\n    :local ledPost \"\"\n    :do {\n      :local ledgerIds [/system script find whe\
    re name=\"BillingState\"]\n      :if ([:len \$ledgerIds] > 0) do={\n        :local lst [\$rbPars\
    eState comment=[/system script get (\$ledgerIds->0) comment] today=\"\"]\n        :if ((\$lst->\"\
    err\") = \"\") do={\n          :set ledgerId (\$ledgerIds->0)\n          :set led (\$lst->\"kv\"\
    )\n          :set ledPre (\$lst->\"pre\")\n          :set ledPost (\$lst->\"post\")\n        }\n      \
    }\n    } on-error={}\n    :local clockOk (\$dateOk && \$rosbillClock = \"ok\")\n    :local pend \
    0\n    :local nextDay 0\n    :if ((\$led->\"pend\") ~ \"^[0-9]{1,7}\\\$\") do={ :set pend [:tonu\
    m (\$led->\"pend\")] }\n    :if ((\$led->\"next\") ~ \"^[0-9]{1,7}\\\$\") do={ :set nextDay [:to\
    num (\$led->\"next\")] }\n    :local work (\$clockOk && \$ledgerId != \"\" && ((\$pend > 0 && \$\
    rosbillDay >= \$nextDay) || (\$led->\"busy\") = \"1\"))\n    :global rosbillUnsent\n    # A repo\
    rt that could not be sent earlier goes out as soon as mail works again.\n    :local mailNeeded (\
    \$work || \$problems != \"\" || ([:typeof \$rosbillUnsent] = \"str\" && \$rosbillUnsent != \"\")\
    )\n    # --- every user with a bill mail or an accounts copy still to send ---------------------\
    -------------------------\n    :local outbox [:toarray \"\"]\n    :if (\$work) do={\n      :fore\
    ach u in=[/tool user-manager user print as-value] do={\n        :local uId (\$u->\".id\")\n        \
    :local uName [:tostr (\$u->\"username\")]\n        :local uComment [:tostr (\$u->\"comment\")]\n        \
    :local uDisabled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disabled\")] = \"ye\
    s\")\n        :local uProfile [:tostr (\$u->\"actual-profile\")]\n        :local uEmail [:tostr \
    (\$u->\"email\")]\n        :local uFirst [:tostr (\$u->\"first-name\")]\n        :local uLast [:\
    tostr (\$u->\"last-name\")]\n        :do {\n          # --- this user's state and data, checked \
    before anything is computed or sent ------------------------------\n          :local skip \"\"\n          \
    :local quiet false\n          :local st [\$rbParseState comment=\$uComment today=\$rosbillToday]\
    \n          :local kv (\$st->\"kv\")\n          :if ((\$st->\"err\") != \"\") do={ :set skip (\"\
    broken comment: \" . (\$st->\"err\")) }\n          :if ([:typeof (\$kv->\"email\")] = \"str\") d\
    o={ :set uEmail (\$kv->\"email\") }\n          :if ([:typeof (\$kv->\"first\")] = \"str\") do={ \
    :set uFirst (\$kv->\"first\") }\n          :if ([:typeof (\$kv->\"last\")] = \"str\") do={ :set \
    uLast (\$kv->\"last\") }\n          :local uPkg \$uProfile\n          :if ([:typeof (\$kv->\"pkg\
    \")] = \"str\") do={ :set uPkg (\$kv->\"pkg\") }\n          :if (\$uDisabled || (\$kv->\"bill\") \
    = \"no\") do={\n            :set skip \"not billed (disabled, or bill=no in the comment)\"\n            \
    :set quiet true\n          }\n          # These values reach mail subjects and bodies: a CR or L\
    F in a subject would start new mail headers.\n          :if (\$skip = \"\" && (\$uName . \$uFirs\
    t . \$uLast . \$uPkg . [:tostr (\$kv->\"bpkg\")]) ~ \"[\\01-\\1F\\7F]\") do={\n            :set \
    skip \"the login name, first or last name or package contains a control character\"\n          }\
    \n          :foreach checked,pattern in=\$rbChecks do={\n            :if (\$skip = \"\" && [:typ\
    eof (\$kv->\$checked)] = \"str\" && !((\$kv->\$checked) ~ \$pattern)) do={\n              :set s\
    kip (\$checked . \"=\" . (\$kv->\$checked) . \" in the comment is not valid (docs/comment-format\
    .md)\")\n            }\n          }\n          :local mailOk (\$uEmail ~ \"^[A-Za-z0-9._%+-]+@[A\
    -Za-z0-9-]+(\\\\.[A-Za-z0-9-]+)+\\\$\")\n          # Also for a user disabled since the bill was \
    made: the bill still goes out.\n          :if ((\$kv->\"um\") ~ \"^[0-9]\" || (\$kv->\"am\") ~ \"\
    ^[0-9]\") do={\n            :if (\$skip = \"\" || \$quiet) do={\n              :set (\$outbox->(\
    \"u\" . \$uName)) {\"id\"=\$uId;\"name\"=\$uName;\"email\"=\$uEmail;\"first\"=\$uFirst;\"last\"=\
    \$uLast;\\\n                \"mailOk\"=\$mailOk;\"pre\"=(\$st->\"pre\");\"post\"=(\$st->\"post\"\
    );\"kv\"=\$kv}\n            } else={\n              :set problems (\$problems . \$uName . \": a \
    bill mail is pending but the comment is not valid: \" . \$skip . \"\\n\")\n            }\n          \
    }\n        } on-error={\n          :log warning (\"rosbill: BillingMail: skipped \" . \$uName . \
    \": a router command failed for this user\")\n          :set problems (\$problems . \$uName . \"\
    : a router command failed for this user; see the router log\\n\")\n        }\n      }\n    }\n    \
    # --- send what is due: the accounts copies, then the users' bill mails ------------------------\
    ---------------------\n    # 1. Every attempt is written to the comment first (um/am one attempt \
    up), then the run waits 5s, and\n    #    only then does any mail go out: a mail the server took \
    before a power cut, whose \"ok\" was never written, is\n    #    sent again marked as a re-send. \
    (The wait covers a router that keeps a write in memory for a moment.)\n    # 2. The digest (or e\
    ach accounts copy) and the users' mails; \"ok\" is written after each delivery.\n    # 3. An att\
    empt that did not happen (the run stopped: time budget, three failures in a row) is written back\
    .\n    :local mailStart [/system clock get time]\n    :local stopped \"\"\n    :local streak 0\n    \
    :local attempted 0\n    :local delivered 0\n    :local srv \"\"\n    # Before RouterOS 7.12 /too\
    l e-mail wants the server as an IP (address=): resolve the name on every run, so a\n    # provid\
    er that moves its server does not silently stop all mail.\n    :if (\$mailNeeded) do={\n      :d\
    o { :set srv [:tostr [:resolve \"smtp.example.net\"]] } on-error={\n        :log warning (\"rosb\
    ill: \" . \$runName . \": cannot resolve \" . \"smtp.example.net\" . \"; using the /tool e-mail \
    address\")\n      }\n    }\n    :local pendCount 0\n    :local nextDue 9999999\n    :local outst\
    anding \"\"\n    :local todo [:toarray \"\"]\n    :foreach key,e in=\$outbox do={\n      :local \
    kv (\$e->\"kv\")\n      :local uName (\$e->\"name\")\n      :local userDue ([\$rbMailWhen state=\
    (\$kv->\"um\")] <= \$rosbillDay)\n      :local accountsDue ([\$rbMailWhen state=(\$kv->\"am\")] \
    <= \$rosbillDay)\n      :if (\$userDue || \$accountsDue) do={\n        :local job {\"user\"=(\$u\
    serDue && (\$e->\"mailOk\"));\"accounts\"=\$accountsDue;\"um\"=(\$kv->\"um\");\"am\"=(\$kv->\"am\
    \")}\n        :if (\$userDue && !(\$e->\"mailOk\")) do={\n          :set problems (\$problems . \
    \$uName . \": no valid e-mail address (\\\"\" . (\$e->\"email\") . \"\\\"): the bill of \" . \\\n            \
    (\$kv->\"per\") . \" was not mailed; the accounts copy has it\\n\")\n        }\n        :if (\$u\
    serDue) do={ :set (\$kv->\"um\") [\$rbMailNext state=(\$kv->\"um\") outcome=\"attempt\" today=\$\
    rosbillDay] }\n        :if (\$accountsDue) do={ :set (\$kv->\"am\") [\$rbMailNext state=(\$kv->\"\
    am\") outcome=\"attempt\" today=\$rosbillDay] }\n        :do {\n          /tool user-manager use\
    r set (\$e->\"id\") comment=[\$rbWriteState pre=(\$e->\"pre\") post=(\$e->\"post\") kv=\$kv]\n          \
    :set (\$e->\"kv\") \$kv\n          :set (\$outbox->\$key) \$e\n          :set (\$todo->\$key) \$\
    job\n        } on-error={ :log warning (\"rosbill: BillingMail: could not record the mail state \
    of \" . \$uName . \"; not sent now\") }\n      }\n    }\n    :if ([:len \$todo] > 0) do={ :delay \
    5s }\n    :foreach key,job in=\$todo do={\n      :local e (\$outbox->\$key)\n      # The placeho\
    lders of a bill mail, all from what the comment recorded when the bill was made, so a re-send is \
    the\n      # same bill (names and the e-mail address are read fresh: a corrected address is used\
    ).\n      :local kv (\$e->\"kv\")\n      :local uName (\$e->\"name\")\n      :local uFirst (\$e-\
    >\"first\")\n      :local uLast (\$e->\"last\")\n      :local uEmail (\$e->\"email\")\n      :lo\
    cal uPkg (\$kv->\"bpkg\")\n      :local period (\$kv->\"per\")\n      :local invNum (\$kv->\"no\"\
    )\n      :local invoice (\"T6-\" . \$invNum)\n      :local usedMb ([:tonum (\$kv->\"use\")] / 10\
    00000)\n      :local capMb (\$kv->\"bcap\")\n      :local capText \"unlimited\"\n      :if (\$ca\
    pMb != \"unlimited\") do={ :set capText (\$capMb . \" MB\") }\n      :local priceText [\$rbMoney \
    cents=(\$kv->\"bprice\")]\n      :local discText [\$rbMoney cents=(\$kv->\"bdisc\")]\n      :loc\
    al dueText [\$rbMoney cents=([:tonum (\$kv->\"bprice\")] - [:tonum (\$kv->\"bdisc\")])]\n      :\
    local done false\n      :if (\$job->\"user\") do={\n        :if (\$stopped = \"\" && ![\$rbMailT\
    imeLeft since=\$mailStart]) do={ :set stopped \"the time for mail in this run was used up\" }\n        \
    :if (\$stopped = \"\") do={\n          :set (\$job->\"user\") false\n          :set mSubject (\"\
    Example Wireless invoice \" . \$invoice . \" for \" . \$period)\n          :set mBody \"\"\n          \
    :set mBody (\$mBody . \"Dear \" . \$uFirst . \" \" . \$uLast . \",\\n\")\n          :set mBody (\
    \$mBody . \"\\n\")\n          :set mBody (\$mBody . \"Invoice:      \" . \$invoice . \"\\n\")\n          \
    :set mBody (\$mBody . \"Period:       \" . \$period . \"\\n\")\n          :set mBody (\$mBody . \
    \"Package:      \" . \$uPkg . \"\\n\")\n          :set mBody (\$mBody . \"Data used:    \" . \$u\
    sedMb . \" MB of \" . \$capMb . \" MB\\n\")\n          :set mBody (\$mBody . \"\\n\")\n          \
    :set mBody (\$mBody . \"Package price R \" . \$priceText . \"\\n\")\n          :set mBody (\$mBo\
    dy . \"Discount      R \" . \$discText . \"\\n\")\n          :set mBody (\$mBody . \"Amount due    \
    R \" . \$dueText . \"\\n\")\n          :set mBody (\$mBody . \"All prices include VAT at 15%.\\n\
    \")\n          :set mBody (\$mBody . \"\\n\")\n          :set mBody (\$mBody . \"Please pay into\
    :\\n\")\n          :set mBody (\$mBody . \"Example Wireless (Pty) Ltd\\n\")\n          :set mBod\
    y (\$mBody . \"Bank: First Example Bank, branch 250655\\n\")\n          :set mBody (\$mBody . \"\
    Account: 62012345678 (cheque)\\n\")\n          :set mBody (\$mBody . \"Use \" . \$invoice . \" a\
    s the payment reference.\\n\")\n          :set mBody (\$mBody . \"\\n\")\n          :set mBody (\
    \$mBody . \"Example Wireless\\n\")\n          :local resend ((\$job->\"um\") ~ \"^[1-9]\")\n          \
    :if (\$resend) do={\n            :set mSubject (\"Re-sent: \" . \$mSubject)\n            :set mB\
    ody (\"(This is a copy: the first mail could not be confirmed as delivered. Please ignore it if \
    you have it already.)\\n\\n\" . \$mBody)\n          }\n          :local outcome [\$rbSend mailTo\
    =\$uEmail mailSubject=\$mSubject mailBody=\$mBody srv=\$srv]\n          :set attempted (\$attemp\
    ted + 1)\n          :if (\$outcome = \"ok\") do={\n            :set streak 0\n            :set d\
    elivered (\$delivered + 1)\n          } else={\n            :set streak (\$streak + 1)\n            \
    :if (\$streak >= 3) do={ :set stopped \"three mails in a row were not delivered (is the SMTP ser\
    ver down\?)\" }\n          }\n          :if (\$outcome = \"ok\") do={\n            :set (\$kv->\"\
    um\") \"ok\"\n            :set done true\n            :log info (\"rosbill: BillingMail: mailed \
    invoice \" . \$invoice . \" to \" . \$uName)\n            :if (\$resend) do={\n              :se\
    t problems (\$problems . \$uName . \": invoice \" . \$invoice . \" (\" . \$period . \") was deli\
    vered late, as a re-send\\n\")\n            }\n          }\n        }\n      }\n      :if (\$job\
    ->\"accounts\") do={\n        :if (\$stopped = \"\" && ![\$rbMailTimeLeft since=\$mailStart]) do\
    ={ :set stopped \"the time for mail in this run was used up\" }\n        :if (\$stopped = \"\") \
    do={\n          :set (\$job->\"accounts\") false\n          :set mSubject (\"Invoice \" . \$invo\
    ice . \": \" . \$uName . \" R \" . \$dueText)\n          :set mBody \"\"\n          :set mBody (\
    \$mBody . \$invoice . \" \" . \$period . \" \" . \$uName . \" (\" . \$uFirst . \" \" . \$uLast . \
    \", \" . \$uEmail . \") \" . \$uPkg . \": \" . \$usedMb . \" MB, price \" . \$priceText . \", di\
    scount \" . \$discText . \", due R \" . \$dueText . \"\\n\")\n          :if ((\$job->\"am\") ~ \"\
    ^[1-9]\") do={\n            :set mSubject (\"Re-sent: \" . \$mSubject)\n            :set mBody (\
    \"(This is a copy: the first mail could not be confirmed as delivered. Please ignore it if you h\
    ave it already.)\\n\\n\" . \$mBody)\n          }\n          :local outcome [\$rbSend mailTo=\"ac\
    counts@example.net\" mailSubject=\$mSubject mailBody=\$mBody srv=\$srv]\n          :set attempte\
    d (\$attempted + 1)\n          :if (\$outcome = \"ok\") do={\n            :set streak 0\n            \
    :set delivered (\$delivered + 1)\n          } else={\n            :set streak (\$streak + 1)\n            \
    :if (\$streak >= 3) do={ :set stopped \"three mails in a row were not delivered (is the SMTP ser\
    ver down\?)\" }\n          }\n          :if (\$outcome = \"ok\") do={\n            :set (\$kv->\"\
    am\") \"ok\"\n            :set done true\n          }\n        }\n      }\n      # An attempt th\
    at did not happen (the run stopped first) is written back, so it counts as not tried.\n      :if \
    (\$job->\"user\") do={\n        :set (\$kv->\"um\") (\$job->\"um\")\n        :set done true\n      \
    }\n      :if (\$job->\"accounts\") do={\n        :set (\$kv->\"am\") (\$job->\"am\")\n        :s\
    et done true\n      }\n      :if (\$done) do={\n        :do {\n          /tool user-manager user \
    set (\$e->\"id\") comment=[\$rbWriteState pre=(\$e->\"pre\") post=(\$e->\"post\") kv=\$kv]\n        \
    } on-error={ :log warning (\"rosbill: BillingMail: could not record the mail state of \" . \$uNa\
    me) }\n        :set (\$e->\"kv\") \$kv\n        :set (\$outbox->\$key) \$e\n      }\n    }\n    \
    # Still waiting: counted for the ledger (so the next run knows whether and when to look) and lis\
    ted for accounts.\n    :foreach key,e in=\$outbox do={\n      # The placeholders of a bill mail, \
    all from what the comment recorded when the bill was made, so a re-send is the\n      # same bil\
    l (names and the e-mail address are read fresh: a corrected address is used).\n      :local kv (\
    \$e->\"kv\")\n      :local uName (\$e->\"name\")\n      :local uFirst (\$e->\"first\")\n      :l\
    ocal uLast (\$e->\"last\")\n      :local uEmail (\$e->\"email\")\n      :local uPkg (\$kv->\"bpk\
    g\")\n      :local period (\$kv->\"per\")\n      :local invNum (\$kv->\"no\")\n      :local invo\
    ice (\"T6-\" . \$invNum)\n      :local usedMb ([:tonum (\$kv->\"use\")] / 1000000)\n      :local \
    capMb (\$kv->\"bcap\")\n      :local capText \"unlimited\"\n      :if (\$capMb != \"unlimited\") \
    do={ :set capText (\$capMb . \" MB\") }\n      :local priceText [\$rbMoney cents=(\$kv->\"bprice\
    \")]\n      :local discText [\$rbMoney cents=(\$kv->\"bdisc\")]\n      :local dueText [\$rbMoney \
    cents=([:tonum (\$kv->\"bprice\")] - [:tonum (\$kv->\"bdisc\")])]\n      :local waiting \"\"\n      \
    :foreach m in={\"um\";\"am\"} do={\n        :local when [\$rbMailWhen state=(\$kv->\$m)]\n        \
    :if (\$when < 9999999) do={\n          :if (\$when < \$nextDue) do={ :set nextDue \$when }\n          \
    :local what \"the bill mail\"\n          :if (\$m = \"am\") do={ :set what \"the accounts copy\" \
    }\n          :if (\$waiting != \"\") do={ :set waiting (\$waiting . \", \") }\n          :set wa\
    iting (\$waiting . \$what . \" (attempts so far: \" . [:pick (\$kv->\$m) 0 [:find (\$kv->\$m) \"\
    /\"]] . \")\")\n        }\n      }\n      :if (\$waiting != \"\") do={\n        :set pendCount (\
    \$pendCount + 1)\n        :set outstanding (\$outstanding . \$uName . \": invoice \" . \$invoice \
    . \" (\" . \$period . \"): not yet delivered: \" . \$waiting . \"\\n\")\n      }\n    }\n    :if \
    (\$stopped != \"\") do={\n      :log warning (\"rosbill: BillingMail: stopped sending: \" . \$st\
    opped . \"; the rest is sent on the next run\")\n      :set problems (\$problems . \"Sending sto\
    pped early: \" . \$stopped . \"; the rest is sent on the next run.\\n\")\n    }\n    # --- repor\
    t to accounts; the ledger learns what is still pending -----------------------------------------\
    ------\n    :if (\$mailNeeded) do={\n      :if (\$outstanding != \"\") do={ :set problems (\$pro\
    blems . \"Still outstanding (retried on the next runs):\\n\" . \$outstanding) }\n      :local pe\
    riod \$rosbillPeriod\n    # The report, in parts if it is long (RouterOS sends bodies just under \
    64 kB). Needs \$problems, \$period, \$billed, \$srv.\n    # What an earlier report could not del\
    iver (global rosbillUnsent; a reboot loses it) goes first, so accounts learn of\n    # a dropped \
    warning or an outstanding bill even when the report of that night failed.\n    :global rosbillUn\
    sent\n    :if ([:typeof \$rosbillUnsent] != \"str\") do={ :set rosbillUnsent \"\" }\n    :local \
    rest \$problems\n    :if (\$rosbillUnsent != \"\") do={\n      :set rest (\"From earlier reports \
    that could not be sent:\\n\" . \$rosbillUnsent . \"\\nNow:\\n\" . \$problems)\n      :set rosbil\
    lUnsent \"\"\n    }\n    :if (\$rest = \"\") do={ :set rest \"none\\n\" }\n    :local chunks [:t\
    oarray \"\"]\n    :while ([:len \$rest] > 0) do={\n      :local cut [:len \$rest]\n      :if (\$\
    cut > 30000) do={\n        :set cut 30000\n        :local head [:pick \$rest 0 \$cut]\n        :\
    local nl [:find \$head \"\\n\" -1]\n        :local last -1\n        :while ([:typeof \$nl] = \"n\
    um\") do={\n          :set last \$nl\n          :set nl [:find \$head \"\\n\" \$nl]\n        }\n        \
    :if (\$last >= 0) do={ :set cut (\$last + 1) }\n      }\n      :set (\$chunks->[:len \$chunks]) \
    [:pick \$rest 0 \$cut]\n      :set rest [:pick \$rest \$cut [:len \$rest]]\n    }\n    :local ch\
    unkNo 0\n    :foreach chunk in=\$chunks do={\n      :set chunkNo (\$chunkNo + 1)\n      :local r\
    eportText \$chunk\n      :set mSubject (\"Example Wireless: Billing report \" . \$today)\n      \
    :set mBody \"\"\n      :set mBody (\$mBody . \"Billing ran on \" . \$today . \" (period \" . \$p\
    eriod . \"). Users billed: \" . \$billed . \"\\n\")\n      :set mBody (\$mBody . \"\\n\")\n      \
    :set mBody (\$mBody . \"Skipped users and failed e-mails:\\n\")\n      :set mBody (\$mBody . \$r\
    eportText . \"\\n\")\n      :if ([:len \$chunks] > 1) do={ :set mSubject (\$mSubject . \" (part \
    \" . \$chunkNo . \" of \" . [:len \$chunks] . \")\") }\n      :if ([\$rbSend mailTo=\"accounts@e\
    xample.net\" mailSubject=\$mSubject mailBody=\$mBody srv=\$srv] != \"ok\") do={\n        :log wa\
    rning (\"rosbill: \" . \$runName . \": the report to accounts could not be sent; it goes with th\
    e next one\")\n        # Kept for the next report, the newest 30 kB at most.\n        :set rosbi\
    llUnsent (\$rosbillUnsent . \$chunk)\n        :if ([:len \$rosbillUnsent] > 30000) do={\n          \
    :set rosbillUnsent (\"(older lines dropped)\\n\" . [:pick \$rosbillUnsent ([:len \$rosbillUnsent\
    ] - 30000) [:len \$rosbillUnsent]])\n        }\n      }\n    }\n    }\n    :if (\$work) do={\n      \
    :set (\$led->\"pend\") [:tostr \$pendCount]\n      :set (\$led->\"next\") \"\"\n      :if (\$pen\
    dCount > 0) do={ :set (\$led->\"next\") [:tostr \$nextDue] }\n      :do {\n        /system scrip\
    t set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost kv=\$led]\n      } on-error\
    ={ :log warning \"rosbill: BillingMail: could not update /system script BillingState\" }\n      \
    :log info (\"rosbill: BillingMail: \" . \$delivered . \" mails delivered, \" . \$pendCount . \" \
    users with mail outstanding\")\n    }\n  } on-error={\n    :log error \"rosbill: BillingMail: st\
    opped with an error (see the log above); the next run sends the rest\"\n  }\n  :if (\$lockOwner) \
    do={ :set rosbillLock \"\" }\n}\n"
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
    erated by rosbill 0.1.0 for RouterOS 6.49.10 (v6).\n# Do not edit on the router: change config/b\
    illing.yaml, rebuild and deploy.\n# The scheduled dispatcher (every night, and once shortly afte\
    r each boot). One run at a time: a run that finds\n# another one active logs that and does nothi\
    ng. Billing and BillingMail run every time: together they finish\n# whatever an earlier run left \
    (an interrupted counter reset, a period that ended unbilled, mails not yet delivered),\n# and on \
    the last day of the month they bill the month. UsageWarnings runs on the other days.\n:global fo\
    und\n:global rosbillLock\n:global rosbillLockPass\n:global rosbillClock\n:global rosbillBooted\n\
    :local ok true\n:do { /system script run MonthEnd } on-error={ :set ok false }\n# The first run \
    after a boot (a reboot clears the globals) waits up to 30 minutes for a clock it can trust: a\n# \
    router without a battery clock shows 1970 until NTP has synchronised, and the work a power cut i\
    nterrupted should\n# not wait for the next night.\n:if ([:typeof \$rosbillBooted] = \"nothing\") \
    do={\n  :set rosbillBooted true\n  :local waited 0\n  :while (\$rosbillClock != \"ok\" && \$wait\
    ed < 30) do={\n    :if (\$waited = 0) do={ :log info (\"rosbill: Oversight: waiting for the cloc\
    k (\" . \$rosbillClock . \")\") }\n    :delay 60s\n    :set waited (\$waited + 1)\n    :set ok t\
    rue\n    :do { /system script run MonthEnd } on-error={ :set ok false }\n  }\n}\n# --- one run a\
    t a time ---------------------------------------------------------------------------------------\
    ------\n# The lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals are shared \
    by every script on the router\n# and a reboot clears them, so a power cut never leaves a lock be\
    hind. A lock older than 7 h is\n# stale (a run that was stopped by hand) and is taken over. A sc\
    ript started by the lock holder (Oversight runs\n# Billing, BillingMail and UsageWarnings) finds \
    the holder's token in rosbillLockPass and runs inside the same lock.\n:global rosbillDay\n:local \
    nowSecs -1\n:do {\n  :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\n    :set n\
    owSecs ((\$rosbillDay * 86400) + [:tonum [/system clock get time]])\n  }\n} on-error={}\n:local \
    locked false\n:local lockOwner false\n:if ([:typeof \$rosbillLockPass] = \"str\" && \$rosbillLoc\
    kPass != \"\" && \$rosbillLockPass = \$rosbillLock) do={\n  :set rosbillLockPass \"\"\n  :set lo\
    cked true\n} else={\n  :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLock != \"\")\n  \
    :if (\$held) do={\n    :local parts [:toarray \"\"]\n    :local rest \$rosbillLock\n    :local s\
    p [:find \$rest \" \"]\n    :while ([:typeof \$sp] = \"num\") do={\n      :set (\$parts->[:len \$\
    parts]) [:pick \$rest 0 \$sp]\n      :set rest [:pick \$rest (\$sp + 1) [:len \$rest]]\n      :s\
    et sp [:find \$rest \" \"]\n    }\n    :set (\$parts->[:len \$parts]) \$rest\n    :local since -\
    1\n    :if ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\
    \") do={\n      :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)])\n    }\n    \
    :if (\$nowSecs >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) d\
    o={\n      :log warning (\"rosbill: \" . \"Oversight\" . \": taking over a stale lock (\" . \$ro\
    sbillLock . \")\")\n      :set held false\n    }\n  }\n  :if (\$held) do={\n    :log warning (\"\
    rosbill: \" . \"Oversight\" . \": another run holds the lock (\" . \$rosbillLock . \"); this run \
    does nothing\")\n  } else={\n    :local stamp \"0 0\"\n    :if (\$nowSecs >= 0) do={ :set stamp \
    (\$rosbillDay . \" \" . (\$nowSecs - (\$rosbillDay * 86400))) }\n    :set rosbillLock (\"Oversig\
    ht\" . \" \" . \$stamp)\n    :set locked true\n    :set lockOwner true\n  }\n}\n:if (\$locked) d\
    o={\n  :do {\n    :set rosbillLockPass \$rosbillLock\n    :do { /system script run Billing } on-\
    error={\n      :log error \"rosbill: Oversight: Billing stopped with an error; see the log above\
    \"\n    }\n    :set rosbillLockPass \$rosbillLock\n    :do { /system script run BillingMail } on\
    -error={\n      :log error \"rosbill: Oversight: BillingMail stopped with an error; see the log \
    above\"\n    }\n    :if (\$ok && \$found != true) do={\n      :set rosbillLockPass \$rosbillLock\
    \n      :do { /system script run UsageWarnings } on-error={\n        :log error \"rosbill: Overs\
    ight: UsageWarnings stopped with an error; see the log above\"\n      }\n    }\n  } on-error={ :\
    log error \"rosbill: Oversight: stopped with an error; see the log above\" }\n  :set rosbillLock\
    Pass \"\"\n  :set rosbillLock \"\"\n}\n:if (!\$ok) do={\n  :log error \"rosbill: Oversight: Mont\
    hEnd could not read the date, so only unfinished work that needs no date was done\"\n}\n"
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
:local want {"address"=[:tostr [:resolve "smtp.example.net"]];"port"="587";"start-tls"="yes";"user"="billing@example.net";"from"="billing@example.net"}
:local have [/tool e-mail get]
:local same true
:foreach k,v in=$want do={ :if ([:tostr ($have->$k)] != $v) do={ :set same false } }
:if (!$same) do={
  /tool e-mail set address=[:resolve "smtp.example.net"] port=587 start-tls=yes user="billing@example.net" from="billing@example.net"
}
}
