# install.rsc: the rosbill billing scripts and scheduler entries of router tower6.
# Requires RouterOS 6.43 or later, before 7.0 (v6); the importing user needs the policy read,write,test.
# rosbill 0.1.0, RouterOS 6.49.10, build 083eb84db0c0, config sha256 c57028db92251c24...
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
:local src "# BillingFunctions: defines the functions the billing, mail, warning, Enforce and notify scripts \
    share.\n\
    # Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never \
    dont-require-permissions.\n\
    # rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 \
    c57028db92251c24...\n\
    # Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces \
    this script.\n\
    # The functions Billing, BillingMail, UsageWarnings, Enforce and BillingNotify share, defined \
    as globals (prefix\n\
    # rb). Each of them runs this script when rbFunctions is not this build's id, so an update to \
    the scripts takes\n\
    # effect in the next run, and a run never mixes functions of two builds. Globals vanish at \
    reboot; the first run\n\
    # after a boot defines them again.\n\
    # MonthEnd and Oversight need none of them and run without this script.\n\
    # parseState: splits a comment into the text around the rosbill state block \
    \"rb{key=value;...}\" and the block's\n\
    # keys (rosbill's own format: docs/comment-format.md in rosbill). Also reads the packed comment \
    of the original\n\
    # AutomatedBilling scripts (\"1000230007509\": next invoice 10002, cap 3000 MB, level 75, \
    billed month 09), alone or\n\
    # followed by a block.\n\
    # Returns {\"err\"=...;\"pre\"=...;\"post\"=...;\"kv\"=...}; err is \"\" when the comment is \
    readable.\n\
    :global rbParseState do={\n  \
    :local text [:tostr \$comment]\n  \
    :local kv [:toarray \"\"]\n  \
    :local pre \$text\n  \
    :local post \"\"\n  \
    :local err \"\"\n  \
    :local packed \"\"\n  \
    :local open [:find \$text \"rb{\"]\n  \
    :if ([:typeof \$open] = \"num\") do={\n    \
    :local rest [:pick \$text (\$open + 3) [:len \$text]]\n    \
    :local close [:find \$rest \"}\"]\n    \
    :if ([:typeof \$close] != \"num\") do={\n      \
    :set err \"the rb{ block has no closing }\"\n    \
    } else={\n      \
    :set pre [:pick \$text 0 \$open]\n      \
    :set post [:pick \$rest (\$close + 1) [:len \$rest]]\n      \
    :local body [:pick \$rest 0 \$close]\n      \
    :while ([:len \$body] > 0 && \$err = \"\") do={\n        \
    :local semi [:find \$body \";\"]\n        \
    :if ([:typeof \$semi] != \"num\") do={ :set semi [:len \$body] }\n        \
    :local pair [:pick \$body 0 \$semi]\n        \
    :set body [:pick \$body (\$semi + 1) [:len \$body]]\n        \
    :if (\$pair != \"\") do={\n          \
    :local equals [:find \$pair \"=\"]\n          \
    :if ([:typeof \$equals] != \"num\") do={\n            \
    :set err (\"\\\"\" . \$pair . \"\\\" has no =\")\n          \
    } else={\n            \
    :local key [:pick \$pair 0 \$equals]\n            \
    :if (\$key ~ \"^[a-z]+\\\$\") do={\n              \
    :set (\$kv->\$key) [:pick \$pair (\$equals + 1) [:len \$pair]]\n            \
    } else={\n              \
    :set err (\"\\\"\" . \$key . \"\\\" is not a key\")\n            \
    }\n          \
    }\n        \
    }\n      \
    }\n      \
    :if (\$pre ~ \"^[0-9]{13,} *\\\$\") do={\n        \
    :set packed [:pick \$pre 0 [:find (\$pre . \" \") \" \"]]\n        \
    :set pre \"\"\n      \
    }\n    \
    }\n  \
    } else={\n    \
    :if (\$text ~ \"^[0-9]{13,}\\\$\") do={\n      \
    :set packed \$text\n      \
    :set pre \"\"\n    \
    } else={\n      \
    :if (\$text != \"\") do={ :set pre (\$text . \" \") }\n    \
    }\n  \
    }\n  \
    # The packed digits fill in what the block does not say; the next write replaces them with the \
    block.\n  \
    :if (\$packed != \"\" && \$err = \"\") do={\n    \
    :local digits [:len \$packed]\n    \
    :local monthText [:pick \$packed (\$digits - 2) \$digits]\n    \
    :if ([:pick \$monthText 0 1] = \"0\") do={ :set monthText [:pick \$monthText 1 2] }\n    \
    :local month [:tonum \$monthText]\n    \
    :if (\$month < 1 || \$month > 12) do={\n      \
    :set err (\"the packed comment has month \" . \$monthText)\n    \
    } else={\n      \
    :local year [:tonum [:pick \$today 0 4]]\n      \
    :local thisMonth [:pick \$today 5 7]\n      \
    :if ([:pick \$thisMonth 0 1] = \"0\") do={ :set thisMonth [:pick \$thisMonth 1 2] }\n      \
    :if (\$month > [:tonum \$thisMonth]) do={ :set year (\$year - 1) }\n      \
    # The digit groups, leading zeros dropped (\"0750\" is 750 MB, \"09\" is September).\n      \
    :local groups {\"inv\"=[:pick \$packed 0 5];\"cap\"=[:pick \$packed 5 (\$digits - \
    4)];\"lvl\"=[:pick \$packed (\$digits - \\\n          \
    4) (\$digits - 2)]}\n      \
    :local old {\"per\"=([:tostr \$year] . \"-\" . [:pick [:tostr (100 + \$month)] 1 3])}\n      \
    :foreach k,v in=\$groups do={\n        \
    :local group \$v\n        \
    :while ([:len \$group] > 1 && [:pick \$group 0 1] = \"0\") do={ :set group [:pick \$group 1 \
    [:len \$group]] }\n        \
    :set (\$old->\$k) \$group\n      \
    }\n      \
    :foreach k,v in=\$old do={\n        \
    :if ([:typeof (\$kv->\$k)] = \"nothing\") do={ :set (\$kv->\$k) \$v }\n      \
    }\n    \
    }\n  \
    }\n  \
    :return {\"err\"=\$err;\"pre\"=\$pre;\"post\"=\$post;\"kv\"=\$kv}\n\
    }\n\
    # writeState: the comment with the state block rebuilt from kv: keys in alphabetical order \
    (RouterOS iterates keyed\n\
    # arrays that way), keys whose value is \"\" left out (that is how a key is removed).\n\
    # uid= (a User Manager user's id): the user's comment is read again first and paid=, pamt=, \
    pday= are taken from it\n\
    # (only rosbill pay writes them), and owe= too when paid= changed since this run read kv: a \
    payment recorded\n\
    # meanwhile is kept even when pay could not see the run (docs/payments.md).\n\
    :global rbWriteState do={\n  \
    :if ([:typeof \$uid] != \"nothing\") do={\n    \
    :global rbParseState\n    \
    :local now \"\"\n    \
    :do { :set now [:tostr [/tool user-manager user get \$uid comment]] } on-error={}\n    \
    :local open [:find \$now \"rb{\"]\n    \
    :if ([:typeof \$open] = \"num\") do={\n      \
    :local fresh [\$rbParseState comment=[:pick \$now \$open [:len \$now]]]\n      \
    :if ((\$fresh->\"err\") = \"\") do={\n        \
    :local fkv (\$fresh->\"kv\")\n        \
    :local moved ([:tostr (\$fkv->\"paid\")] != [:tostr (\$kv->\"paid\")])\n        \
    :foreach k in={\"paid\";\"pamt\";\"pday\";\"owe\"} do={\n          \
    :if (\$moved || \$k != \"owe\") do={ :set (\$kv->\$k) [:tostr (\$fkv->\$k)] }\n        \
    }\n      \
    }\n    \
    }\n  \
    }\n  \
    :local out \"\"\n  \
    :foreach k,v in=\$kv do={\n    \
    :if ([:tostr \$v] != \"\") do={\n      \
    :if (\$out != \"\") do={ :set out (\$out . \";\") }\n      \
    :set out (\$out . \$k . \"=\" . \$v)\n    \
    }\n  \
    }\n  \
    :return (\$pre . \"rb{\" . \$out . \"}\" . \$post)\n\
    }\n\
    # decimal: a string of digits as a num (leading zeros dropped first, so \"08\" is 8 whatever \
    :tonum makes of a\n\
    # leading zero); nothing if it is not digits.\n\
    :global rbDecimal do={\n  \
    :local digits [:tostr \$text]\n  \
    :while ([:len \$digits] > 1 && [:pick \$digits 0 1] = \"0\") do={ :set digits [:pick \$digits 1 \
    [:len \$digits]] }\n  \
    :if (!(\$digits ~ \"^[0-9]+\\\$\")) do={ :return [:nothing] }\n  \
    :return [:tonum \$digits]\n\
    }\n\
    # money: cents -> \"1234.50\"\n\
    :global rbMoney do={\n  \
    :local amount [:tonum \$cents]\n  \
    :local sign \"\"\n  \
    :if (\$amount < 0) do={\n    \
    :set sign \"-\"\n    \
    :set amount (0 - \$amount)\n  \
    }\n  \
    :return (\$sign . (\$amount / 100) . \".\" . [:pick [:tostr (100 + (\$amount % 100))] 1 3])\n\
    }\n\
    # send: one mail at a time, because /tool e-mail has a single last-status. Waits (up to 60 s) \
    for an earlier mail\n\
    # to finish, sends, then waits for this mail's outcome. Never raises. Returns \"ok\", \
    \"failed\", \"busy\" (an earlier\n\
    # mail is still in progress: nothing was sent) or \"unknown\" (no outcome after 5 minutes in \
    progress).\n\
    # srv: the SMTP server's IP for this send, or \"\" for the /tool e-mail setting.\n\
    :global rbSend do={\n  \
    :if ([:len \$mailBody] > 60000) do={\n    \
    :log error (\"rosbill: BillingFunctions: rbSend: a mail of \" . [:len \$mailBody] . \" bytes to \
    \" . \$mailTo . \\\n        \
    \" was not sent: RouterOS takes bodies just under 64 kB\")\n    \
    :return \"failed\"\n  \
    }\n  \
    :local mailStatus \"\"\n  \
    :do { :set mailStatus [:tostr [/tool e-mail get last-status]] } on-error={}\n  \
    :local waited 0\n  \
    :while ((\$mailStatus = \"in-progress\" || \$mailStatus = \"resolving-dns\") && \$waited < 240) \
    do={\n    \
    :delay 250ms\n    \
    :set waited (\$waited + 1)\n    \
    :do { :set mailStatus [:tostr [/tool e-mail get last-status]] } on-error={}\n  \
    }\n  \
    :if (\$mailStatus = \"in-progress\" || \$mailStatus = \"resolving-dns\") do={ :return \"busy\" \
    }\n  \
    :local before \$mailStatus\n  \
    :local sent true\n  \
    :do {\n    \
    :if ([:len \$srv] > 0) do={\n      \
    /tool e-mail send to=\$mailTo from=\"billing@example.net\" subject=\$mailSubject \
    body=\$mailBody server=\$srv\n    \
    } else={\n      \
    /tool e-mail send to=\$mailTo from=\"billing@example.net\" subject=\$mailSubject \
    body=\$mailBody\n    \
    }\n  \
    } on-error={ :set sent false }\n  \
    :if (!\$sent) do={ :return \"failed\" }\n  \
    # Before RouterOS 7.21 send returns at once and only last-status tells, which may still show \
    the previous mail's\n  \
    # outcome for a moment. This mail's outcome is the first final status after in-progress was \
    seen, or a status that\n  \
    # differs from the one before the send. A status that does not move for 20 s means this mail \
    ended like the one\n  \
    # before. last-status itself is in the E-mail manual (help.mikrotik.com/docs/x/BYB6AQ); its \
    timing is not, and\n  \
    # rosbill lists it as an assumption to check on a router.\n  \
    :local seenBusy false\n  \
    :set waited 0\n  \
    :while (true) do={\n    \
    :do { :set mailStatus [:tostr [/tool e-mail get last-status]] } on-error={ :set mailStatus \"\" \
    }\n    \
    :if (\$mailStatus = \"in-progress\" || \$mailStatus = \"resolving-dns\") do={\n      \
    :set seenBusy true\n    \
    } else={\n      \
    :if (\$seenBusy || \$mailStatus != \$before) do={\n        \
    :if (\$mailStatus = \"succeeded\") do={ :return \"ok\" }\n        \
    :return \"failed\"\n      \
    }\n      \
    :if (\$waited >= 80) do={\n        \
    :if (\$before = \"succeeded\") do={ :return \"ok\" }\n        \
    :return \"failed\"\n      \
    }\n    \
    }\n    \
    :if (\$waited >= 1200) do={ :return \"unknown\" }\n    \
    :delay 250ms\n    \
    :set waited (\$waited + 1)\n  \
    }\n\
    }\n\
    # What each state key may hold (rosbill's own format: docs/comment-format.md in rosbill). A \
    user whose comment breaks\n\
    # one of these is skipped and\n\
    # reported, and nothing is written to that comment, so fixing the text is all it takes.\n\
    :global rbChecks [:toarray \"\"]\n\
    :local mailState \"^(ok|[0-9]{1,3}/[0-9]{1,7})\\\$\"\n\
    :set (\$rbChecks->\"am\") \$mailState\n\
    :set (\$rbChecks->\"um\") \$mailState\n\
    :set (\$rbChecks->\"base\") \"^[0-9]{1,19}\\\$\"\n\
    :set (\$rbChecks->\"use\") \"^[0-9]{1,19}\\\$\"\n\
    :set (\$rbChecks->\"rst\") \"^(-|[0-9]{1,19})\\\$\"\n\
    :set (\$rbChecks->\"no\") \"^[0-9]{1,15}\\\$\"\n\
    :set (\$rbChecks->\"inv\") \"^[0-9]{1,15}\\\$\"\n\
    :set (\$rbChecks->\"bprice\") \"^[0-9]{1,12}\\\$\"\n\
    :set (\$rbChecks->\"bdisc\") \"^[0-9]{1,12}\\\$\"\n\
    :set (\$rbChecks->\"bcap\") \"^([0-9]{1,12}|unlimited)\\\$\"\n\
    :set (\$rbChecks->\"lvl\") \"^[0-9]{1,4}\\\$\"\n\
    :set (\$rbChecks->\"wf\") \"^[0-9]{1,4}\\\$\"\n\
    :set (\$rbChecks->\"per\") \"^[0-9]{4}-(0[1-9]|1[0-2])\\\$\"\n\
    :set (\$rbChecks->\"cap\") \"^([1-9][0-9]{0,9}|unlimited)\\\$\"\n\
    :set (\$rbChecks->\"disc\") \
    \"^((100|[1-9]\?[0-9])%|(0|[1-9][0-9]{0,8})(\\\\.[0-9]{1,2})\?)\\\$\"\n\
    # monthIndex: \"YYYY-MM\" -> months since year 0 (comparable numbers); periodOf: the reverse.\n\
    :global rbMonthIndex do={\n  \
    :local monthText [:pick \$p 5 7]\n  \
    :if ([:pick \$monthText 0 1] = \"0\") do={ :set monthText [:pick \$monthText 1 2] }\n  \
    :return (([:tonum [:pick \$p 0 4]] * 12) + [:tonum \$monthText] - 1)\n\
    }\n\
    :global rbPeriodOf do={\n  \
    :local months [:tonum \$index]\n  \
    :return ([:pick [:tostr (10000 + (\$months / 12))] 1 5] . \"-\" . [:pick [:tostr (101 + \
    (\$months % 12))] 1 3])\n\
    }\n\
    # Mail states in the comment (um= the user's bill mail, am= the accounts copy): \"ok\" once \
    delivered, else \"N/D\":\n\
    # N failed attempts so far, the last on day D (days since 1970-01-01, as rosbillDay); \"0/D\": \
    not tried yet. After\n\
    # N failures the next attempt waits 1, 2, then 4 days, so an address that bounces does not cost \
    every run.\n\
    # mailWhen: the day a mail in this state is to be tried (a day far ahead when it needs no \
    sending).\n\
    :global rbMailWhen do={\n  \
    :local mailState [:tostr \$state]\n  \
    :if (!(\$mailState ~ \"^[0-9]{1,3}/[0-9]{1,7}\\\$\")) do={ :return 9999999 }\n  \
    :local slash [:find \$mailState \"/\"]\n  \
    :local tries [:tonum [:pick \$mailState 0 \$slash]]\n  \
    :local last [:tonum [:pick \$mailState (\$slash + 1) [:len \$mailState]]]\n  \
    :if (\$tries = 0) do={ :return \$last }\n  \
    :local waits {0;1;2;4}\n  \
    :local wait 4\n  \
    :if (\$tries < 4) do={ :set wait (\$waits->\$tries) }\n  \
    :return (\$last + \$wait)\n\
    }\n\
    # mailNext: the state after an attempt on day \"today\" with this outcome (\"ok\" or anything \
    else).\n\
    :global rbMailNext do={\n  \
    :if (\$outcome = \"ok\") do={ :return \"ok\" }\n  \
    :local mailState [:tostr \$state]\n  \
    :local tries [:tonum [:pick \$mailState 0 [:find \$mailState \"/\"]]]\n  \
    :return ([:tostr (\$tries + 1)] . \"/\" . \$today)\n\
    }\n\
    # makeBill: the bill of one user for one period, as the comment records it (rosbill's own \
    format: docs/comment-format.md\n\
    # in rosbill): period,\n\
    # invoice number, usage, package, cap, price and discount as billed, both mails pending, and \
    the counter total it\n\
    # was based on as the new base. Nothing here is sent: mails are made from these keys later, and \
    again, identical,\n\
    # for every re-send. Returns {\"kv\"=...;\"down\"=true when the counters went down since the \
    last bill}.\n\
    # kv: the user's keys; total: counter total now (bytes); pkg: package name; info: \
    {cap=bytes;price=cents};\n\
    # number: the invoice number; period: YYYY-MM; today: day number.\n\
    :global rbMakeBill do={\n  \
    :local k \$kv\n  \
    :local now [:tonum \$total]\n  \
    :local base 0\n  \
    :if ([:typeof (\$k->\"base\")] = \"str\") do={ :set base [:tonum (\$k->\"base\")] }\n  \
    :local used (\$now - \$base)\n  \
    :local down false\n  \
    # Counters below the base: they were reset or sessions were removed behind rosbill's back; \
    count from 0.\n  \
    :if (\$used < 0) do={\n    \
    :set used \$now\n    \
    :set down true\n  \
    }\n  \
    :local price [:tonum (\$info->\"price\")]\n  \
    :local disc 0\n  \
    :local d (\$k->\"disc\")\n  \
    :if ([:typeof \$d] = \"str\") do={\n    \
    :if (\$d ~ \"%\\\$\") do={\n      \
    # percent of the price, rounded half up to the cent\n      \
    :set disc (((\$price * [:tonum [:pick \$d 0 ([:len \$d] - 1)]]) + 50) / 100)\n    \
    } else={\n      \
    :local dot [:find \$d \".\"]\n      \
    :if ([:typeof \$dot] = \"num\") do={\n        \
    :local cents [:pick (\$d . \"00\") (\$dot + 1) (\$dot + 3)]\n        \
    :if ([:pick \$cents 0 1] = \"0\") do={ :set cents [:pick \$cents 1 2] }\n        \
    :set disc (([:tonum [:pick \$d 0 \$dot]] * 100) + [:tonum \$cents])\n      \
    } else={\n        \
    :set disc ([:tonum \$d] * 100)\n      \
    }\n    \
    }\n  \
    }\n  \
    :if (\$disc > \$price) do={ :set disc \$price }\n  \
    :local cap [:tonum (\$info->\"cap\")]\n  \
    :if ((\$k->\"cap\") = \"unlimited\") do={ :set cap 0 }\n  \
    :if ((\$k->\"cap\") ~ \"^[0-9]+\\\$\") do={ :set cap ([:tonum (\$k->\"cap\")] * 1000000) }\n  \
    :local capText \"unlimited\"\n  \
    :if (\$cap > 0) do={ :set capText [:tostr (\$cap / 1000000)] }\n  \
    :set (\$k->\"per\") \$period\n  \
    :set (\$k->\"no\") [:tostr \$number]\n  \
    :set (\$k->\"use\") [:tostr \$used]\n  \
    :set (\$k->\"bpkg\") \$pkg\n  \
    :set (\$k->\"bcap\") \$capText\n  \
    :set (\$k->\"bprice\") [:tostr \$price]\n  \
    :set (\$k->\"bdisc\") [:tostr \$disc]\n  \
    :set (\$k->\"base\") [:tostr \$now]\n  \
    :set (\$k->\"lvl\") \"0\"\n  \
    :set (\$k->\"wf\") \"\"\n  \
    :set (\$k->\"inv\") \"\"\n  \
    :set (\$k->\"um\") (\"0/\" . \$today)\n  \
    :set (\$k->\"am\") (\"0/\" . \$today)\n  \
    :return {\"kv\"=\$k;\"down\"=\$down}\n\
    }\n\
    # mailTimeLeft: false once this run has spent 3h on mail since \"since\" (a hung or slow SMTP \
    server must\n\
    # not hold the router all night; whatever is left is sent on the next run).\n\
    :global rbMailTimeLeft do={\n  \
    :local spent ([/system clock get time] - \$since)\n  \
    :if (\$spent < 0s) do={ :set spent (\$spent + 1d) }\n  \
    :return (\$spent < 3h)\n\
    }\n\
    # usageLevel: a user's usage this period, as UsageWarnings and BillingNotify both count it \
    (docs/comment-format.md):\n\
    # total (the counters) minus base= (the total when the last bill was made; from 0 when the \
    counters went below it:\n\
    # low is then true), against cap= in the comment (\"unlimited\", or MB), else the package's cap \
    (bytes, 0 unlimited).\n\
    # Returns {\"used\";\"low\";\"cap\";\"percent\";\"level\"}: cap in bytes; level, the highest of \
    levels reached, is 0 without\n\
    # a cap.\n\
    :global rbUsageLevel do={\n  \
    :local capBytes [:tonum \$cap]\n  \
    :if ((\$kv->\"cap\") = \"unlimited\") do={ :set capBytes 0 }\n  \
    :if ((\$kv->\"cap\") ~ \"^[0-9]+\\\$\") do={ :set capBytes ([:tonum (\$kv->\"cap\")] * 1000000) \
    }\n  \
    :local base 0\n  \
    :if ([:typeof (\$kv->\"base\")] = \"str\") do={ :set base [:tonum (\$kv->\"base\")] }\n  \
    :local used ([:tonum \$total] - \$base)\n  \
    :local low (\$used < 0)\n  \
    :if (\$low) do={ :set used [:tonum \$total] }\n  \
    :local percent 0\n  \
    :local level 0\n  \
    :if (\$capBytes > 0) do={\n    \
    :set percent ((\$used * 100) / \$capBytes)\n    \
    :foreach candidate in=\$levels do={\n      \
    :if (\$percent >= \$candidate) do={ :set level \$candidate }\n    \
    }\n  \
    }\n  \
    :return \
    {\"used\"=\$used;\"low\"=\$low;\"cap\"=\$capBytes;\"percent\"=\$percent;\"level\"=\$level}\n\
    }\n\
    # rbReadTotal: one user's counter total, read now (uid= the User Manager user's id): a bulk \
    print may be older or lack\n\
    # the counters (v6), and RouterOS 7 shows them only in user monitor \
    (help.mikrotik.com/docs/display/ROS/User+Manager).\n\
    # Returns {\"total\";\"profile\"}: total -1 when the counters cannot be read; profile, RouterOS \
    7's actual-profile from\n\
    # monitor (\"\" on RouterOS 6, whose profile comes from the user's print). Billing's counter \
    reads\n\
    # (docs/billing-safety.md).\n\
    :global rbReadTotal do={\n  \
    :local uId \$uid\n  \
    :local uTotal -1\n  \
    :local uProfile \"\"\n  \
    :set uTotal -1\n  \
    :do {\n    \
    :local dl [:tonum [/tool user-manager user get \$uId download-used]]\n    \
    :local ul [:tonum [/tool user-manager user get \$uId upload-used]]\n    \
    :if ([:typeof \$dl] = \"num\" && [:typeof \$ul] = \"num\") do={ :set uTotal (\$dl + \$ul) }\n  \
    } on-error={}\n  \
    :return {\"total\"=\$uTotal;\"profile\"=\$uProfile}\n\
    }\n\
    # rbOnline: who has a session open now, on this router as the NAS (close_sessions: PPP, \
    hotspot) or in User Manager\n\
    # (a remote NAS, or a session whose Stop has not arrived), read in bulk for Billing's counter \
    reset. Returns\n\
    # {\"ok\";\"on\"}: on, \"u<login>\" -> true for each; ok false when a table could not be read \
    (then nobody is reset).\n\
    :global rbOnline do={\n  \
    :local online [:toarray \"\"]\n  \
    :local readOk true\n  \
    :set online [:toarray \"\"]\n  \
    :set readOk true\n  \
    :do {\n    \
    :foreach session in=[/tool user-manager session print as-value where active] \\\n        \
    do={ :set (\$online->(\"u\" . [:tostr (\$session->\"user\")])) true }\n    \
    :foreach active in=[/ppp active print as-value proplist=name] \\\n        \
    do={ :set (\$online->(\"u\" . [:tostr (\$active->\"name\")])) true }\n    \
    :foreach active in=[/ip hotspot active print as-value proplist=user] \\\n        \
    do={ :set (\$online->(\"u\" . [:tostr (\$active->\"user\")])) true }\n  \
    } on-error={\n    \
    :set readOk false\n    \
    :log warning \"rosbill: BillingFunctions: rbOnline: could not read the open sessions; no \
    counters are \\\n        \
    reset this time\"\n  \
    }\n  \
    :return {\"ok\"=\$readOk;\"on\"=\$online}\n\
    }\n\
    # rbCloseSessions: ends the sessions of the users in cands (\"u<login>\" -> entry) on this \
    router as the NAS\n\
    # (close_sessions): before Billing's counter reset (docs/billing-safety.md); Enforce's changed \
    users (docs/enforce.md).\n\
    :global rbCloseSessions do={\n  \
    :do {\n    \
    :local ids [:toarray \"\"]\n    \
    :foreach a in=[/ppp active print as-value proplist=.id,name] do={\n      \
    :if ([:typeof (\$cands->(\"u\" . [:tostr (\$a->\"name\")]))] = \"array\") do={ :set \
    (\$ids->[:len \$ids]) (\$a->\".id\") }\n    \
    }\n    \
    :if ([:len \$ids] > 0) do={ /ppp active remove \$ids }\n  \
    } on-error={ :log warning \"rosbill: BillingFunctions: rbCloseSessions: could not close the PPP \
    sessions\" }\n  \
    :do {\n    \
    :local ids [:toarray \"\"]\n    \
    :foreach a in=[/ip hotspot active print as-value proplist=.id,user] do={\n      \
    :if ([:typeof (\$cands->(\"u\" . [:tostr (\$a->\"user\")]))] = \"array\") do={ :set \
    (\$ids->[:len \$ids]) (\$a->\".id\") }\n    \
    }\n    \
    :if ([:len \$ids] > 0) do={ /ip hotspot active remove \$ids }\n  \
    } on-error={ :log warning \"rosbill: BillingFunctions: rbCloseSessions: could not close the \
    hotspot sessions\" }\n\
    }\n\
    :global rbFunctions \"6d037a0ffa67d64f\"\n"
:local ids [/system script find where name="BillingFunctions"]
:if ([:len $ids] = 0) do={
  /system script add name="BillingFunctions" policy=read,write,test dont-require-permissions=no \
      comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "BillingFunctions") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local policyNow [:tostr [/system script get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) \
      do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# MonthEnd: reads the date; tells the others the period due, the month end and whether the clock \
    can be trusted.\n\
    # Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never \
    dont-require-permissions.\n\
    # rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 \
    c57028db92251c24...\n\
    # Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces \
    this script.\n\
    # Reads the router's date and publishes it to the other scripts as globals:\n\
    #   found          true on the last day of the month\n\
    #   rosbillToday   today, YYYY-MM-DD\n\
    #   rosbillMonth   this month, YYYY-MM\n\
    #   rosbillPeriod  the period that is due for billing: this month on its last day, else last \
    month\n\
    #   rosbillDay     today as a day number (days since 1970-01-01)\n\
    #   rosbillClock   \"ok\", or why the clock cannot be trusted for billing\n\
    # Both clock formats are read at run time (nov/30/2026 before RouterOS 7.10, 2026-11-30 from \
    7.10), so an upgrade\n\
    # across 7.10 cannot break billing. Numbers are read without :tonum's help on leading zeros \
    (\"08\"): what :tonum\n\
    # makes of them is not documented.\n\
    :global found false\n\
    :global rosbillToday \"\"\n\
    :global rosbillMonth \"\"\n\
    :global rosbillPeriod \"\"\n\
    :global rosbillDay 0\n\
    :global rosbillClock \"the date has not been read\"\n\
    # decimal: a string of digits as a num (leading zeros dropped first, so \"08\" is 8 whatever \
    :tonum makes of a\n\
    # leading zero); nothing if it is not digits.\n\
    :local decimal do={\n  \
    :local digits [:tostr \$text]\n  \
    :while ([:len \$digits] > 1 && [:pick \$digits 0 1] = \"0\") do={ :set digits [:pick \$digits 1 \
    [:len \$digits]] }\n  \
    :if (!(\$digits ~ \"^[0-9]+\\\$\")) do={ :return [:nothing] }\n  \
    :return [:tonum \$digits]\n\
    }\n\
    :local dateText [:tostr [/system clock get date]]\n\
    :local year 0\n\
    :local month 0\n\
    :local day 0\n\
    :if ([:len \$dateText] = 10 && [:pick \$dateText 4 5] = \"-\" && [:pick \$dateText 7 8] = \
    \"-\") do={\n  \
    :set year [\$decimal text=[:pick \$dateText 0 4]]\n  \
    :set month [\$decimal text=[:pick \$dateText 5 7]]\n  \
    :set day [\$decimal text=[:pick \$dateText 8 10]]\n\
    } else={\n  \
    :if ([:len \$dateText] = 11 && [:pick \$dateText 3 4] = \"/\" && [:pick \$dateText 6 7] = \
    \"/\") do={\n    \
    # The month is lower case on the router (jan ... dec); a capitalised one (Jan) is accepted \
    too.\n    \
    :local monthName [:pick \$dateText 0 3]\n    \
    :local lower \"janfebmaraprmayjunjulaugsepoctnovdec\"\n    \
    :local position [:find \$lower \$monthName]\n    \
    :if ([:typeof \$position] != \"num\") do={ :set position [:find \
    \"JanFebMarAprMayJunJulAugSepOctNovDec\" \$monthName] }\n    \
    :if ([:typeof \$position] = \"num\" && (\$position % 3) = 0) do={ :set month (\$position / 3 + \
    1) } \\\n        \
    else={ :set month \"\" }\n    \
    :set day [\$decimal text=[:pick \$dateText 4 6]]\n    \
    :set year [\$decimal text=[:pick \$dateText 7 11]]\n  \
    }\n\
    }\n\
    :if ([:typeof \$year] != \"num\" || [:typeof \$month] != \"num\" || [:typeof \$day] != \"num\") \
    do={\n  \
    :set rosbillClock (\"the date \\\"\" . \$dateText . \"\\\" cannot be read\")\n  \
    :log error (\"rosbill: MonthEnd: cannot read the date \\\"\" . \$dateText . \"\\\"; nothing \
    will be billed or warned\")\n  \
    :error \"rosbill: unreadable date\"\n\
    }\n\
    :if (\$year < 1 || \$month < 1 || \$month > 12 || \$day < 1 || \$day > 31) do={\n  \
    :set rosbillClock (\"the date \\\"\" . \$dateText . \"\\\" cannot be read\")\n  \
    :log error (\"rosbill: MonthEnd: cannot read the date \\\"\" . \$dateText . \"\\\"; nothing \
    will be billed or warned\")\n  \
    :error \"rosbill: unreadable date\"\n\
    }\n\
    # Days in this month, with the full Gregorian rule (2000 is a leap year, 2100 is not).\n\
    :local last 31\n\
    :if (\$month = 4 || \$month = 6 || \$month = 9 || \$month = 11) do={ :set last 30 }\n\
    :if (\$month = 2) do={\n  \
    :set last 28\n  \
    :if (((\$year % 4) = 0 && (\$year % 100) != 0) || (\$year % 400) = 0) do={ :set last 29 }\n\
    }\n\
    :local monthText [:pick [:tostr (100 + \$month)] 1 3]\n\
    :local yearText [:pick [:tostr (10000 + \$year)] 1 5]\n\
    :set rosbillToday (\$yearText . \"-\" . \$monthText . \"-\" . [:pick [:tostr (100 + \$day)] 1 \
    3])\n\
    :set rosbillMonth (\$yearText . \"-\" . \$monthText)\n\
    :if (\$day = \$last) do={\n  \
    :set found true\n  \
    :set rosbillPeriod \$rosbillMonth\n\
    } else={\n  \
    :set found false\n  \
    :if (\$month = 1) do={\n    \
    :set rosbillPeriod ([:pick [:tostr (10000 + \$year - 1)] 1 5] . \"-12\")\n  \
    } else={\n    \
    :set rosbillPeriod (\$yearText . \"-\" . [:pick [:tostr (100 + \$month - 1)] 1 3])\n  \
    }\n\
    }\n\
    # dayNumber: days since 1970-01-01 of a date written YYYY-MM-DD (the days-from-civil algorithm, \
    integer arithmetic\n\
    # only); -1 if it is not such a date.\n\
    :local dayNumber do={\n  \
    :local t [:tostr \$date]\n  \
    :if (!(\$t ~ \"^[0-9]{4}-[0-9]{2}-[0-9]{2}\\\$\")) do={ :return -1 }\n  \
    :local mo [:pick \$t 5 7]\n  \
    :if ([:pick \$mo 0 1] = \"0\") do={ :set mo [:pick \$mo 1 2] }\n  \
    :local dd [:pick \$t 8 10]\n  \
    :if ([:pick \$dd 0 1] = \"0\") do={ :set dd [:pick \$dd 1 2] }\n  \
    :local yy [:tonum [:pick \$t 0 4]]\n  \
    :set mo [:tonum \$mo]\n  \
    :if (\$mo <= 2) do={ :set yy (\$yy - 1) }\n  \
    :local era (\$yy / 400)\n  \
    :local yoe (\$yy - (\$era * 400))\n  \
    :local mp (\$mo + 9)\n  \
    :if (\$mo > 2) do={ :set mp (\$mo - 3) }\n  \
    :local doy ((((153 * \$mp) + 2) / 5) + [:tonum \$dd] - 1)\n  \
    :local doe ((\$yoe * 365) + (\$yoe / 4) - (\$yoe / 100) + \$doy)\n  \
    :return ((\$era * 146097) + \$doe - 719468)\n\
    }\n\
    :set rosbillDay [\$dayNumber date=\$rosbillToday]\n\
    # Can the clock be trusted\? A router without a battery clock boots on jan/02/1970 until NTP \
    has synchronised\n\
    # (Clock manual); billing on such a date would bill a wrong period. So: never before this \
    build's date, and, where\n\
    # the NTP client is enabled, only once it reports that it is synchronised.\n\
    :set rosbillClock \"ok\"\n\
    :if (\$rosbillDay < 20454) do={\n  \
    :set rosbillClock (\"the clock says \" . \$rosbillToday . \", before this build of rosbill (\" \
    . \"2026-01-01\" . \")\")\n\
    }\n\
    # NTP: where the client is enabled, trust the clock only once it has synchronised. The ntp \
    package's client reports\n\
    # status=synchronized; the built-in SNTP client has no status, and shows last-adjustment (a \
    time) only after a good\n\
    # reply from its server (help.mikrotik.com NTP, v6 section; the same test as eworm-de's \
    TimeIsSync for RouterOS 6).\n\
    :do {\n  \
    :if ([/system ntp client get enabled] = true) do={\n    \
    :local synced false\n    \
    :local why \"no reply from the server yet\"\n    \
    :do {\n      \
    :local ntp [:tostr [/system ntp client get status]]\n      \
    :set synced (\$ntp = \"synchronized\")\n      \
    :set why (\"status \" . \$ntp)\n    \
    } on-error={\n      \
    :do { :set synced ([:typeof [/system ntp client get last-adjustment]] = \"time\") } \
    on-error={}\n    \
    }\n    \
    :if (!\$synced) do={ :set rosbillClock (\"the NTP client is enabled but not synchronised (\" . \
    \$why . \")\") }\n  \
    }\n\
    } on-error={}\n"
:local ids [/system script find where name="MonthEnd"]
:if ([:len $ids] = 0) do={
  /system script add name="MonthEnd" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "MonthEnd") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local policyNow [:tostr [/system script get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) \
      do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# UsageWarnings: e-mails users who crossed a usage level of their data cap.\n\
    # Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never \
    dont-require-permissions.\n\
    # rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 \
    c57028db92251c24...\n\
    # Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces \
    this script.\n\
    # E-mails each user who crossed a warning level of their data cap since the last warning, at \
    most once per level\n\
    # per billing period, and copies accounts at every level. A warning that cannot be delivered \
    is\n\
    # retried on the next runs while the period lasts (wf= in the comment); Billing reports one \
    that never got through.\n\
    # Usage is counted from the base= that Billing recorded, so nothing is warned while Billing is \
    behind.\n\
    # The shared functions: script BillingFunctions defines them as globals and sets rbFunctions to \
    its build's id. A\n\
    # global lives until the next reboot (Scripting manual, \"Variables\":\n\
    # help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting), so the script is run again only \
    when the id\n\
    # is not this build's: after a boot, or after a deploy changed the functions.\n\
    :global rbFunctions\n\
    :if (\$rbFunctions != \"6d037a0ffa67d64f\") do={ :do { /system script run BillingFunctions } \
    on-error={} }\n\
    :if (\$rbFunctions != \"6d037a0ffa67d64f\") do={\n  \
    :log error \"rosbill: UsageWarnings: /system script BillingFunctions is missing or of another \
    build; nothing was done\"\n  \
    :error \"rosbill: UsageWarnings: BillingFunctions missing\"\n\
    }\n\
    :global rbParseState\n\
    :global rbWriteState\n\
    :global rbDecimal\n\
    :global rbMoney\n\
    :global rbSend\n\
    :global rbChecks\n\
    :global rbMonthIndex\n\
    :global rbPeriodOf\n\
    :global rbMailWhen\n\
    :global rbMailNext\n\
    :global rbMakeBill\n\
    :global rbMailTimeLeft\n\
    :global rbUsageLevel\n\
    :global rbReadTotal\n\
    :global rbOnline\n\
    :global rbCloseSessions\n\
    :global rosbillToday\n\
    :global rosbillMonth\n\
    :global rosbillPeriod\n\
    :global rosbillDay\n\
    :global rosbillClock\n\
    :global rosbillLock\n\
    :global rosbillLockPass\n\
    :local runName \"UsageWarnings\"\n\
    :local dateOk true\n\
    :do { /system script run MonthEnd } on-error={ :set dateOk false }\n\
    :if ([:typeof \$rosbillToday] != \"str\" || \$rosbillToday = \"\") do={ :set dateOk false }\n\
    :local today \$rosbillToday\n\
    # --- one run at a time ---\n\
    # The lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals are shared by \
    every script on the router\n\
    # and a reboot clears them, so a power cut never leaves a lock behind. A lock older than 7 h \
    is\n\
    # stale (a run that was stopped by hand) and is taken over. A script started by the lock holder \
    (Oversight runs\n\
    # Billing, BillingMail, Enforce, BillingNotify and UsageWarnings) finds the holder's token in \
    rosbillLockPass and runs\n\
    # inside the same lock.\n\
    :global rosbillDay\n\
    :local nowSecs -1\n\
    :do {\n  \
    :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\n    \
    :set nowSecs ((\$rosbillDay * 86400) + [:tonum [/system clock get time]])\n  \
    }\n\
    } on-error={}\n\
    :local locked false\n\
    :local lockOwner false\n\
    :if ([:typeof \$rosbillLockPass] = \"str\" && \$rosbillLockPass != \"\" && \$rosbillLockPass = \
    \$rosbillLock) do={\n  \
    :set rosbillLockPass \"\"\n  \
    :set locked true\n\
    } else={\n  \
    :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLock != \"\")\n  \
    :if (\$held) do={\n    \
    :local parts [:toarray \"\"]\n    \
    :local rest \$rosbillLock\n    \
    :local space [:find \$rest \" \"]\n    \
    :while ([:typeof \$space] = \"num\") do={\n      \
    :set (\$parts->[:len \$parts]) [:pick \$rest 0 \$space]\n      \
    :set rest [:pick \$rest (\$space + 1) [:len \$rest]]\n      \
    :set space [:find \$rest \" \"]\n    \
    }\n    \
    :set (\$parts->[:len \$parts]) \$rest\n    \
    :local since -1\n    \
    :if ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\") \
    do={\n      \
    :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)])\n    \
    }\n    \
    :if (\$nowSecs >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) \
    do={\n      \
    :log warning (\"rosbill: UsageWarnings: taking over a stale lock (\" . \$rosbillLock . \
    \")\")\n      \
    :set held false\n    \
    }\n  \
    }\n  \
    :if (\$held) do={\n    \
    :log warning (\"rosbill: UsageWarnings: another run holds the lock (\" . \$rosbillLock . \"); \
    this run does nothing\")\n  \
    } else={\n    \
    :local stamp \"0 0\"\n    \
    :if (\$nowSecs >= 0) do={ :set stamp (\$rosbillDay . \" \" . (\$nowSecs - (\$rosbillDay * \
    86400))) }\n    \
    :set rosbillLock (\"UsageWarnings\" . \" \" . \$stamp)\n    \
    :set locked true\n    \
    :set lockOwner true\n  \
    }\n\
    }\n\
    # Packages: cap in bytes (0 = unlimited), price in cents.\n\
    :local pkgs [:toarray \"\"]\n\
    :set (\$pkgs->\"Lite\") {\"cap\"=3000000000;\"price\"=19900}\n\
    :set (\$pkgs->\"Home\") {\"cap\"=50000000000;\"price\"=34900}\n\
    :set (\$pkgs->\"Business\") {\"cap\"=200000000000;\"price\"=89900}\n\
    :set (\$pkgs->\"Unlimited\") {\"cap\"=0;\"price\"=129900}\n\
    :local problems \"\"\n\
    :local mSubject \"\"\n\
    :local mBody \"\"\n\
    :global rosbillLastProblems\n\
    :local levels {50;75;90;100}\n\
    :local warned 0\n\
    :if (\$locked) do={\n  \
    :do {\n    \
    :local go (\$dateOk && \$rosbillClock = \"ok\")\n    \
    :if (!\$go) do={\n      \
    :log warning (\"rosbill: UsageWarnings: no warnings tonight: \" . \$rosbillClock)\n    \
    }\n    \
    # Usage is counted from the last bill: while a billing period is still unfinished, warnings \
    would count two months.\n    \
    :if (\$go) do={\n      \
    :do {\n        \
    :local ledgerIds [/system script find where name=\"BillingState\"]\n        \
    :if ([:len \$ledgerIds] > 0) do={\n          \
    :local lst [\$rbParseState comment=[/system script get (\$ledgerIds->0) comment] \
    today=\"\"]\n          \
    :local done ((\$lst->\"kv\")->\"done\")\n          \
    :if ([:typeof \$done] = \"str\" && [\$rbMonthIndex p=\$done] < [\$rbMonthIndex \
    p=\$rosbillPeriod]) do={\n            \
    :set go false\n            \
    :log warning (\"rosbill: UsageWarnings: billing of \" . \$rosbillPeriod . \\\n                \
    \" is not finished; no warnings tonight\")\n          \
    }\n        \
    }\n      \
    } on-error={}\n    \
    }\n    \
    :local mailNeeded \$go\n    \
    :local mailStart [/system clock get time]\n    \
    :local stopped \"\"\n    \
    :local streak 0\n    \
    :local attempted 0\n    \
    :local delivered 0\n    \
    :local srv \"\"\n    \
    # Before RouterOS 7.12 /tool e-mail wants the server as an IP (address=): resolve the name on \
    every run, so a\n    \
    # provider that moves its server does not silently stop all mail.\n    \
    :if (\$mailNeeded) do={\n      \
    :do { :set srv [:tostr [:resolve \"smtp.example.net\"]] } on-error={\n        \
    :log warning (\"rosbill: UsageWarnings: cannot resolve \" . \"smtp.example.net\" . \
    \\\n            \
    \"; using the /tool e-mail address\")\n      \
    }\n    \
    }\n    \
    :if (\$go) do={\n      \
    :foreach u in=[/tool user-manager user print as-value] do={\n        \
    :local uId (\$u->\".id\")\n        \
    :local uName [:tostr (\$u->\"username\")]\n        \
    :local uComment [:tostr (\$u->\"comment\")]\n        \
    :local uDisabled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disabled\")] = \
    \"yes\")\n        \
    :local uProfile [:tostr (\$u->\"actual-profile\")]\n        \
    :local uEmail [:tostr (\$u->\"email\")]\n        \
    :local uFirst [:tostr (\$u->\"first-name\")]\n        \
    :local uLast [:tostr (\$u->\"last-name\")]\n        \
    :do {\n          \
    # --- this user's state and data, checked before anything is computed or sent ---\n          \
    :local skip \"\"\n          \
    :local quiet false\n          \
    :local st [\$rbParseState comment=\$uComment today=\$rosbillToday]\n          \
    :local kv (\$st->\"kv\")\n          \
    :if ((\$st->\"err\") != \"\") do={ :set skip (\"broken comment: \" . (\$st->\"err\")) \
    }\n          \
    :if ([:typeof (\$kv->\"email\")] = \"str\") do={ :set uEmail (\$kv->\"email\") }\n          \
    :if ([:typeof (\$kv->\"first\")] = \"str\") do={ :set uFirst (\$kv->\"first\") }\n          \
    :if ([:typeof (\$kv->\"last\")] = \"str\") do={ :set uLast (\$kv->\"last\") }\n          \
    :local uPkg \$uProfile\n          \
    :if ([:typeof (\$kv->\"pkg\")] = \"str\") do={ :set uPkg (\$kv->\"pkg\") }\n          \
    :if (\$uDisabled || (\$kv->\"bill\") = \"no\") do={\n            \
    :set skip \"not billed (disabled, or bill=no in the comment)\"\n            \
    :set quiet true\n          \
    }\n          \
    # These values reach mail subjects and bodies: a CR or LF in a subject would start new mail \
    headers.\n          \
    :if (\$skip = \"\" && (\$uName . \$uFirst . \$uLast . \$uPkg . [:tostr (\$kv->\"bpkg\")]) ~ \
    \"[\\01-\\1F\\7F]\") do={\n            \
    :set skip \"the login name, first or last name or package contains a control \
    character\"\n          \
    }\n          \
    :foreach checked,pattern in=\$rbChecks do={\n            \
    :if (\$skip = \"\" && [:typeof (\$kv->\$checked)] = \"str\" && !((\$kv->\$checked) ~ \
    \$pattern)) do={\n              \
    :set skip (\$checked . \"=\" . (\$kv->\$checked) . \" in the comment is not valid \
    (docs/comment-format.md)\")\n            \
    }\n          \
    }\n          \
    :local mailOk (\$uEmail ~ \
    \"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\\\.[A-Za-z0-9-]+)+\\\$\")\n          \
    :if (\$skip = \"\" && [:typeof (\$kv->\"rst\")] = \"str\") do={\n            \
    :set skip \"its counters are being reset\"\n            \
    :set quiet true\n          \
    }\n          \
    :if (\$skip = \"\" && !\$mailOk) do={ :set skip \"no valid e-mail address\" }\n          \
    :local changed false\n          \
    :if (\$skip = \"\") do={\n            \
    # The counters from the bulk print when it carries them, else read for this user.\n            \
    :local uTotal -1\n            \
    :local dl [:tonum (\$u->\"download-used\")]\n            \
    :local ul [:tonum (\$u->\"upload-used\")]\n            \
    :if ([:typeof \$dl] = \"num\" && [:typeof \$ul] = \"num\") do={\n              \
    :set uTotal (\$dl + \$ul)\n            \
    } else={\n              \
    :set uTotal -1\n              \
    :do {\n                \
    :local dl [:tonum [/tool user-manager user get \$uId download-used]]\n                \
    :local ul [:tonum [/tool user-manager user get \$uId upload-used]]\n                \
    :if ([:typeof \$dl] = \"num\" && [:typeof \$ul] = \"num\") do={ :set uTotal (\$dl + \$ul) \
    }\n              \
    } on-error={}\n            \
    }\n            \
    :if ([:typeof (\$kv->\"pkg\")] != \"str\" && \$uProfile != \"\") do={ :set uPkg \$uProfile \
    }\n            \
    :if (\$uPkg = \"\" && [:typeof (\$kv->\"bpkg\")] = \"str\") do={ :set uPkg (\$kv->\"bpkg\") \
    }\n            \
    :if (\$uTotal < 0) do={ :set skip \"the usage counters could not be read\" }\n            \
    :if (\$skip = \"\" && \$uPkg = \"\") \\\n                \
    do={ :set skip \"no package (no User Manager profile and no pkg= in the comment)\" \
    }\n            \
    :if (\$skip = \"\" && [:typeof (\$pkgs->\$uPkg)] != \"array\") \\\n                \
    do={ :set skip (\"unknown package \\\"\" . \$uPkg . \"\\\"\") }\n            \
    :if (\$skip = \"\") do={\n              \
    # --- usage this period, counted from base= (the counter total when the last bill was made): \
    rbUsageLevel\n              \
    # ---\n              \
    :local period \$rosbillMonth\n              \
    :local usage [\$rbUsageLevel kv=\$kv cap=(\$pkgs->\$uPkg->\"cap\") total=\$uTotal \
    levels=\$levels]\n              \
    :local capBytes (\$usage->\"cap\")\n              \
    :if (\$usage->\"low\") do={\n                \
    # The counters went down since the last bill (reset, or sessions removed outside rosbill): \
    counted from\n                \
    # 0; say\n                \
    # so in the comment at once, so that later traffic is not hidden behind the old \
    base.\n                \
    :set (\$kv->\"base\") \"0\"\n                \
    :set changed true\n                \
    :set problems (\$problems . \$uName . \": the counters went below the last bill's; usage is \
    \\\n                    \
    counted from 0\\n\")\n              \
    }\n              \
    :local usedMb ((\$usage->\"used\") / 1000000)\n              \
    :local capMb \"unlimited\"\n              \
    :local capText \"unlimited\"\n              \
    :local percent (\$usage->\"percent\")\n              \
    :if (\$capBytes > 0) do={\n                \
    :set capMb (\$capBytes / 1000000)\n                \
    :set capText (\$capMb . \" MB\")\n                \
    # --- the highest level reached; mailed if it is above the last one mailed this period \
    ---\n                \
    :local level (\$usage->\"level\")\n                \
    :local stored 0\n                \
    :if ([:typeof (\$kv->\"lvl\")] = \"str\") do={ :set stored [:tonum (\$kv->\"lvl\")] \
    }\n                \
    :if (\$level > \$stored) do={\n                  \
    :if (\$stopped = \"\" && ![\$rbMailTimeLeft since=\$mailStart]) \\\n                      \
    do={ :set stopped \"the time for mail in this run was used up\" }\n                  \
    :if (\$stopped = \"\") do={\n                    \
    # Write ahead (wf= this level) before sending: a warning the power cut after sending is marked \
    next\n                    \
    # time.\n                    \
    :local resend ((\$kv->\"wf\") = [:tostr \$level])\n                    \
    :if (!\$resend) do={\n                      \
    :set (\$kv->\"wf\") [:tostr \$level]\n                      \
    /tool user-manager user set \$uId comment=[\$rbWriteState pre=(\$st->\"pre\") \
    post=(\$st->\"post\") \\\n                          \
    kv=\$kv uid=\$uId]\n                    \
    }\n                    \
    :set mSubject (\"Example Wireless: \" . \$level . \"% of your \" . \$uPkg . \" data \
    used\")\n                    \
    :set mBody \"\"\n                    \
    :set mBody (\$mBody . \"Dear \" . \$uFirst . \" \" . \$uLast . \",\\n\")\n                    \
    :set mBody (\$mBody . \"\\n\")\n                    \
    :set mBody (\$mBody . \"You have used \" . \$usedMb . \" MB of your \" . \$capMb . \" MB \" . \
    \$uPkg . \\\n                        \
    \" allowance this month (\" . \$percent . \"%).\\n\")\n                    \
    :set mBody (\$mBody . \"This is an automatic notice at \" . \$level . \
    \\\n                        \
    \"% of your cap; it is sent once per month.\\n\")\n                    \
    :set mBody (\$mBody . \"\\n\")\n                    \
    :set mBody (\$mBody . \"Need more\\\? Reply to this mail to upgrade.\\n\")\n                    \
    :set mBody (\$mBody . \"\\n\")\n                    \
    :set mBody (\$mBody . \"Example Wireless\\n\")\n                    \
    :if (\$resend) do={ :set mSubject (\"Re-sent: \" . \$mSubject) }\n                    \
    :local outcome [\$rbSend mailTo=\$uEmail mailSubject=\$mSubject mailBody=\$mBody \
    srv=\$srv]\n                    \
    :set attempted (\$attempted + 1)\n                    \
    :if (\$outcome = \"ok\") do={\n                      \
    :set streak 0\n                      \
    :set delivered (\$delivered + 1)\n                    \
    } else={\n                      \
    :set streak (\$streak + 1)\n                      \
    :if (\$streak >= 3) do={ :set stopped \"three mails in a row were not delivered (is the SMTP \
    \\\n                          \
    server down\?)\" }\n                    \
    }\n                    \
    :if (\$outcome = \"ok\") do={\n                      \
    :set (\$kv->\"lvl\") [:tostr \$level]\n                      \
    :set (\$kv->\"wf\") \"\"\n                      \
    :set changed true\n                      \
    :set warned (\$warned + 1)\n                      \
    :log info (\"rosbill: UsageWarnings: \" . \$uName . \" reached \" . \$level . \"% (\" . \
    \$usedMb . \\\n                          \
    \" MB), warned\")\n                      \
    :if (true) do={\n                        \
    :set mSubject (\"Usage \" . \$level . \"%: \" . \$uName . \" (\" . \$uPkg . \
    \")\")\n                        \
    :set mBody \"\"\n                        \
    :set mBody (\$mBody . \$uName . \" (\" . \$uFirst . \" \" . \$uLast . \", \" . \$uEmail . \") \
    used \" . \\\n                            \
    \$usedMb . \" of \" . \$capMb . \" MB (\" . \$percent . \"%) on \" . \$today . \
    \".\\n\")\n                        \
    :if ([\$rbSend mailTo=\"accounts@example.net\" mailSubject=\$mSubject mailBody=\$mBody \
    srv=\$srv] \\\n                            \
    != \"ok\") do={\n                          \
    :set problems (\$problems . \$uName . \": the accounts copy of the \" . \$level . \
    \\\n                              \
    \"% warning could not be sent\\n\")\n                        \
    }\n                      \
    }\n                    \
    } else={\n                      \
    :log warning (\"rosbill: UsageWarnings: the \" . \$level . \"% warning to \" . \$uName . \
    \\\n                          \
    \" was not delivered; it is retried at the next run\")\n                      \
    :set problems (\$problems . \$uName . \": the \" . \$level . \"% warning mail to \" . \$uEmail \
    . \\\n                          \
    \" was not delivered; retried at the next run\\n\")\n                    \
    }\n                  \
    }\n                \
    }\n              \
    }\n            \
    }\n          \
    }\n          \
    :if (\$changed) do={\n            \
    /tool user-manager user set \$uId comment=[\$rbWriteState pre=(\$st->\"pre\") \
    post=(\$st->\"post\") kv=\$kv uid=\$uId]\n          \
    }\n          \
    :if (\$skip != \"\" && !\$quiet) do={\n            \
    :log warning (\"rosbill: UsageWarnings: skipped \" . \$uName . \": \" . \$skip)\n            \
    :set problems (\$problems . \$uName . \": skipped: \" . \$skip . \"\\n\")\n          \
    }\n        \
    } on-error={\n          \
    :log warning (\"rosbill: UsageWarnings: skipped \" . \$uName . \": a router command failed for \
    this user\")\n          \
    :set problems (\$problems . \$uName . \": a router command failed for this user; see the router \
    log\\n\")\n        \
    }\n      \
    }\n      \
    :if (\$stopped != \"\") do={\n        \
    :log warning (\"rosbill: UsageWarnings: stopped sending: \" . \$stopped . \"; the rest is \
    warned on the next run\")\n        \
    :set problems (\$problems . \"Sending stopped early: \" . \$stopped . \"; the rest is warned on \
    the next run.\\n\")\n      \
    }\n      \
    :if ([:typeof \$rosbillLastProblems] != \"str\") do={ :set rosbillLastProblems \"\" }\n      \
    # Problems are reported when they change, not every night.\n      \
    :if (\$problems != \"\" && \$problems != \$rosbillLastProblems) do={\n        \
    :local period \$rosbillMonth\n        \
    :local billed 0\n        \
    # The report, in parts if it is long (RouterOS sends bodies just under 64 kB). Needs \
    \$problems, \$period,\n        \
    # \$billed, \$srv.\n        \
    # What an earlier report could not deliver (global rosbillUnsent; a reboot loses it) goes \
    first, so accounts\n        \
    # learn of\n        \
    # a dropped warning or an outstanding bill even when the report of that night failed.\n        \
    :global rosbillUnsent\n        \
    :if ([:typeof \$rosbillUnsent] != \"str\") do={ :set rosbillUnsent \"\" }\n        \
    :local rest \$problems\n        \
    :if (\$rosbillUnsent != \"\") do={\n          \
    :local now \$problems\n          \
    :if (\$now = \"\") do={ :set now \"none\\n\" }\n          \
    :set rest (\"From earlier reports that could not be sent:\\n\" . \$rosbillUnsent . \
    \"\\nNow:\\n\" . \$now)\n          \
    :set rosbillUnsent \"\"\n        \
    }\n        \
    :if (\$rest = \"\") do={ :set rest \"none\\n\" }\n        \
    :local chunks [:toarray \"\"]\n        \
    :while ([:len \$rest] > 0) do={\n          \
    :local cut [:len \$rest]\n          \
    :if (\$cut > 30000) do={\n            \
    :set cut 30000\n            \
    :local head [:pick \$rest 0 \$cut]\n            \
    :local newline [:find \$head \"\\n\" -1]\n            \
    :local last -1\n            \
    :while ([:typeof \$newline] = \"num\") do={\n              \
    :set last \$newline\n              \
    :set newline [:find \$head \"\\n\" \$newline]\n            \
    }\n            \
    :if (\$last >= 0) do={ :set cut (\$last + 1) }\n          \
    }\n          \
    :set (\$chunks->[:len \$chunks]) [:pick \$rest 0 \$cut]\n          \
    :set rest [:pick \$rest \$cut [:len \$rest]]\n        \
    }\n        \
    :local chunkNo 0\n        \
    :foreach chunk in=\$chunks do={\n          \
    :set chunkNo (\$chunkNo + 1)\n          \
    :local reportText \$chunk\n          \
    :set mSubject (\"Example Wireless: UsageWarnings report \" . \$today)\n          \
    :set mBody \"\"\n          \
    :set mBody (\$mBody . \"UsageWarnings ran on \" . \$today . \" (period \" . \$period . \
    \").\\n\")\n          \
    :set mBody (\$mBody . \"\\n\")\n          \
    :set mBody (\$mBody . \"Skipped users and failed e-mails:\\n\")\n          \
    :set mBody (\$mBody . \$reportText . \"\\n\")\n          \
    :if ([:len \$chunks] > 1) \\\n              \
    do={ :set mSubject (\$mSubject . \" (part \" . \$chunkNo . \" of \" . [:len \$chunks] . \")\") \
    }\n          \
    :if ([\$rbSend mailTo=\"accounts@example.net\" mailSubject=\$mSubject mailBody=\$mBody \
    srv=\$srv] != \"ok\") do={\n            \
    :log warning \"rosbill: UsageWarnings: the report to accounts could not be sent; it goes with \
    the next one\"\n            \
    # Kept for the next report, the newest 30 kB at most.\n            \
    :set rosbillUnsent (\$rosbillUnsent . \$chunk)\n            \
    :if ([:len \$rosbillUnsent] > 30000) do={\n              \
    :set rosbillUnsent (\"(older lines dropped)\\n\" . [:pick \$rosbillUnsent ([:len \
    \$rosbillUnsent] - 30000) \\\n                  \
    [:len \$rosbillUnsent]])\n            \
    }\n          \
    }\n        \
    }\n      \
    }\n      \
    :set rosbillLastProblems \$problems\n      \
    :log info (\"rosbill: UsageWarnings: \" . \$warned . \" warnings sent\")\n    \
    }\n  \
    } on-error={\n    \
    :log error \"rosbill: UsageWarnings: stopped with an error (see the log above)\"\n  \
    }\n  \
    :if (\$lockOwner) do={ :set rosbillLock \"\" }\n\
    }\n"
:local ids [/system script find where name="UsageWarnings"]
:if ([:len $ids] = 0) do={
  /system script add name="UsageWarnings" policy=read,write,test dont-require-permissions=no \
      comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "UsageWarnings") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local policyNow [:tostr [/system script get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) \
      do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# Billing: bills every ended period once, recording each bill before anything is sent; resets the \
    counters of billed\n\
    # users who are offline.\n\
    # Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never \
    dont-require-permissions.\n\
    # rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 \
    c57028db92251c24...\n\
    # Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces \
    this script.\n\
    # Runs every night (Oversight) and records whatever bill is due; BillingMail sends the mails \
    afterwards.\n\
    #  1. An interrupted counter reset of an earlier run (a power cut) is finished first.\n\
    #  2. A period that has ended and is not billed yet (on the last day: this month) is billed. \
    Each user's bill\n\
    #     (period, invoice number, usage, package, price, discount) is recorded in the user's \
    comment, with both of its\n\
    #     mails marked pending, before anything is sent. Invoice numbers come from one sequence for \
    the whole router\n\
    #     (the comment of /system script BillingState).\n\
    #  3. The billed users' sessions are closed on this router (the NAS) and the counters of those \
    who stay offline are\n\
    #     reset; the counters are read again afterwards and that reading becomes the base of the \
    next period.\n\
    # Nothing is billed while the clock cannot be trusted (see MonthEnd); the work is done once it \
    can.\n\
    # The shared functions: script BillingFunctions defines them as globals and sets rbFunctions to \
    its build's id. A\n\
    # global lives until the next reboot (Scripting manual, \"Variables\":\n\
    # help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting), so the script is run again only \
    when the id\n\
    # is not this build's: after a boot, or after a deploy changed the functions.\n\
    :global rbFunctions\n\
    :if (\$rbFunctions != \"6d037a0ffa67d64f\") do={ :do { /system script run BillingFunctions } \
    on-error={} }\n\
    :if (\$rbFunctions != \"6d037a0ffa67d64f\") do={\n  \
    :log error \"rosbill: Billing: /system script BillingFunctions is missing or of another build; \
    nothing was done\"\n  \
    :error \"rosbill: Billing: BillingFunctions missing\"\n\
    }\n\
    :global rbParseState\n\
    :global rbWriteState\n\
    :global rbDecimal\n\
    :global rbMoney\n\
    :global rbSend\n\
    :global rbChecks\n\
    :global rbMonthIndex\n\
    :global rbPeriodOf\n\
    :global rbMailWhen\n\
    :global rbMailNext\n\
    :global rbMakeBill\n\
    :global rbMailTimeLeft\n\
    :global rbUsageLevel\n\
    :global rbReadTotal\n\
    :global rbOnline\n\
    :global rbCloseSessions\n\
    :global rosbillToday\n\
    :global rosbillMonth\n\
    :global rosbillPeriod\n\
    :global rosbillDay\n\
    :global rosbillClock\n\
    :global rosbillLock\n\
    :global rosbillLockPass\n\
    :local runName \"Billing\"\n\
    :local dateOk true\n\
    :do { /system script run MonthEnd } on-error={ :set dateOk false }\n\
    :if ([:typeof \$rosbillToday] != \"str\" || \$rosbillToday = \"\") do={ :set dateOk false }\n\
    :local today \$rosbillToday\n\
    # --- one run at a time ---\n\
    # The lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals are shared by \
    every script on the router\n\
    # and a reboot clears them, so a power cut never leaves a lock behind. A lock older than 7 h \
    is\n\
    # stale (a run that was stopped by hand) and is taken over. A script started by the lock holder \
    (Oversight runs\n\
    # Billing, BillingMail, Enforce, BillingNotify and UsageWarnings) finds the holder's token in \
    rosbillLockPass and runs\n\
    # inside the same lock.\n\
    :global rosbillDay\n\
    :local nowSecs -1\n\
    :do {\n  \
    :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\n    \
    :set nowSecs ((\$rosbillDay * 86400) + [:tonum [/system clock get time]])\n  \
    }\n\
    } on-error={}\n\
    :local locked false\n\
    :local lockOwner false\n\
    :if ([:typeof \$rosbillLockPass] = \"str\" && \$rosbillLockPass != \"\" && \$rosbillLockPass = \
    \$rosbillLock) do={\n  \
    :set rosbillLockPass \"\"\n  \
    :set locked true\n\
    } else={\n  \
    :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLock != \"\")\n  \
    :if (\$held) do={\n    \
    :local parts [:toarray \"\"]\n    \
    :local rest \$rosbillLock\n    \
    :local space [:find \$rest \" \"]\n    \
    :while ([:typeof \$space] = \"num\") do={\n      \
    :set (\$parts->[:len \$parts]) [:pick \$rest 0 \$space]\n      \
    :set rest [:pick \$rest (\$space + 1) [:len \$rest]]\n      \
    :set space [:find \$rest \" \"]\n    \
    }\n    \
    :set (\$parts->[:len \$parts]) \$rest\n    \
    :local since -1\n    \
    :if ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\") \
    do={\n      \
    :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)])\n    \
    }\n    \
    :if (\$nowSecs >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) \
    do={\n      \
    :log warning (\"rosbill: Billing: taking over a stale lock (\" . \$rosbillLock . \")\")\n      \
    :set held false\n    \
    }\n  \
    }\n  \
    :if (\$held) do={\n    \
    :log warning (\"rosbill: Billing: another run holds the lock (\" . \$rosbillLock . \"); this \
    run does nothing\")\n  \
    } else={\n    \
    :local stamp \"0 0\"\n    \
    :if (\$nowSecs >= 0) do={ :set stamp (\$rosbillDay . \" \" . (\$nowSecs - (\$rosbillDay * \
    86400))) }\n    \
    :set rosbillLock (\"Billing\" . \" \" . \$stamp)\n    \
    :set locked true\n    \
    :set lockOwner true\n  \
    }\n\
    }\n\
    # Packages: cap in bytes (0 = unlimited), price in cents.\n\
    :local pkgs [:toarray \"\"]\n\
    :set (\$pkgs->\"Lite\") {\"cap\"=3000000000;\"price\"=19900}\n\
    :set (\$pkgs->\"Home\") {\"cap\"=50000000000;\"price\"=34900}\n\
    :set (\$pkgs->\"Business\") {\"cap\"=200000000000;\"price\"=89900}\n\
    :set (\$pkgs->\"Unlimited\") {\"cap\"=0;\"price\"=129900}\n\
    :local problems \"\"\n\
    :local mSubject \"\"\n\
    :local mBody \"\"\n\
    :if (\$locked) do={\n  \
    :do {\n    \
    # --- the ledger ---\n    \
    # Router-wide billing state lives in the comment of the script entry BillingState (created here \
    if missing; its\n    \
    # source does nothing). Keys: done= the last period whose billing run finished, seq= the last \
    invoice number\n    \
    # issued, pend= how many users have a mail not yet delivered, next= the day number of the next \
    retry, day= the day\n    \
    # of the last run, busy=1 while a run is working (an interrupted run leaves it, and the next \
    one checks everyone).\n    \
    :local go true\n    \
    :local ledgerId \"\"\n    \
    :do {\n      \
    :local ledgerIds [/system script find where name=\"BillingState\"]\n      \
    :if ([:len \$ledgerIds] = 0) do={\n        \
    :set ledgerId [/system script add name=\"BillingState\" policy=read dont-require-permissions=no \
    \\\n          \
    source=\"# rosbill keeps the router-wide billing state (the invoice number sequence, the last \
    billed\\n\\\n                      \
    # period, mail still to be delivered) in the comment of this entry. Billing reads and \
    writes\\n\\\n                      \
    # it; do not edit or remove it.\\n\" comment=\"rosbill billing state, do not edit: \
    rb{}\"]\n      \
    } else={\n        \
    :set ledgerId (\$ledgerIds->0)\n      \
    }\n    \
    } on-error={\n      \
    :set go false\n      \
    :log error \"rosbill: Billing: cannot read or create /system script BillingState; nothing was \
    done\"\n    \
    }\n    \
    :local led [:toarray \"\"]\n    \
    :local ledPre \"\"\n    \
    :local ledPost \"\"\n    \
    :if (\$go) do={\n      \
    :local lst [\$rbParseState comment=[/system script get \$ledgerId comment] today=\"\"]\n      \
    :if ((\$lst->\"err\") != \"\") do={\n        \
    :set go false\n        \
    :log error (\"rosbill: Billing: the comment of /system script BillingState is broken (\" . \
    (\$lst->\"err\") . \\\n            \
    \"); nothing was done\")\n      \
    } else={\n        \
    :set led (\$lst->\"kv\")\n        \
    :set ledPre (\$lst->\"pre\")\n        \
    :set ledPost (\$lst->\"post\")\n      \
    }\n    \
    }\n    \
    :local fresh ([:typeof (\$led->\"done\")] != \"str\")\n    \
    :local busy ((\$led->\"busy\") = \"1\")\n    \
    :local seq (10001 - 1)\n    \
    :if ((\$led->\"seq\") ~ \"^[0-9]{1,15}\\\$\") do={\n      \
    :local last [\$rbDecimal text=(\$led->\"seq\")]\n      \
    :if (\$last > \$seq) do={ :set seq \$last }\n    \
    }\n    \
    # --- after an interruption: finish counter resets, and find every invoice number in use \
    ---\n    \
    # Needs no trustworthy date, so it also runs right after a boot with the clock at 1970.\n    \
    :local maxPer \"\"\n    \
    :if (\$go && (\$busy || \$fresh)) do={\n      \
    :foreach u in=[/tool user-manager user print as-value] do={\n        \
    :local uId (\$u->\".id\")\n        \
    :local uName [:tostr (\$u->\"username\")]\n        \
    :local uComment [:tostr (\$u->\"comment\")]\n        \
    :local uDisabled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disabled\")] = \
    \"yes\")\n        \
    :local uProfile [:tostr (\$u->\"actual-profile\")]\n        \
    :local uEmail [:tostr (\$u->\"email\")]\n        \
    :local uFirst [:tostr (\$u->\"first-name\")]\n        \
    :local uLast [:tostr (\$u->\"last-name\")]\n        \
    :do {\n          \
    :local st [\$rbParseState comment=\$uComment today=\$rosbillToday]\n          \
    :local kv (\$st->\"kv\")\n          \
    :if ((\$st->\"err\") = \"\") do={\n            \
    # no= is a bill's number; inv= (rosbill 0.1 and the original scripts) is a user's *next* \
    number.\n            \
    :foreach key in={\"no\";\"inv\"} do={\n              \
    :if ((\$kv->\$key) ~ \"^[0-9]{1,15}\\\$\") do={\n                \
    :local used [\$rbDecimal text=(\$kv->\$key)]\n                \
    :if (\$key = \"inv\") do={ :set used (\$used - 1) }\n                \
    :if (\$used > \$seq) do={ :set seq \$used }\n              \
    }\n            \
    }\n            \
    :if ((\$kv->\"per\") ~ \"^[0-9]{4}-[0-9]{2}\\\$\") do={\n              \
    :if (\$maxPer = \"\" || [\$rbMonthIndex p=(\$kv->\"per\")] > [\$rbMonthIndex p=\$maxPer]) \
    \\\n                  \
    do={ :set maxPer (\$kv->\"per\") }\n            \
    }\n            \
    :local marker (\$kv->\"rst\")\n            \
    :if ([:typeof \$marker] = \"str\") do={\n              \
    # The reset of this user was interrupted. Billing disabled the user before it, so no traffic \
    has come in\n              \
    # since: whatever the counters say now is where the next period starts.\n              \
    :local uTotal -1\n              \
    :if (\$marker != \"-\") do={\n                \
    :local counted [\$rbReadTotal uid=\$uId]\n                \
    :set uTotal (\$counted->\"total\")\n                \
    :if (\$uTotal >= 0) do={\n                  \
    :set (\$kv->\"base\") [:tostr \$uTotal]\n                \
    } else={\n                  \
    :set problems (\$problems . \$uName . \": the counters could not be read after an interrupted \
    reset; \\\n                      \
    check base= in the comment\\n\")\n                \
    }\n              \
    }\n              \
    :set (\$kv->\"rst\") \"\"\n              \
    /tool user-manager user set \$uId disabled=no comment=[\$rbWriteState pre=(\$st->\"pre\") \
    post=(\$st->\"post\") \\\n                  \
    kv=\$kv uid=\$uId]\n              \
    :log warning (\"rosbill: Billing: finished the interrupted counter reset of \" . \$uName . \
    \\\n                  \
    \" and enabled the user again\")\n            \
    }\n          \
    }\n        \
    } on-error={\n          \
    :log warning (\"rosbill: Billing: could not check \" . \$uName . \" for unfinished \
    work\")\n        \
    }\n      \
    }\n    \
    }\n    \
    # --- can the clock be trusted, and is there anything to do\? ---\n    \
    :local clockOk (\$go && \$dateOk && \$rosbillClock = \"ok\")\n    \
    :local clockWhy \$rosbillClock\n    \
    :if (!\$dateOk) do={ :set clockWhy \"MonthEnd could not read the date\" }\n    \
    :if (\$clockOk && (\$led->\"day\") ~ \"^[0-9]{1,7}\\\$\") do={\n      \
    :if (\$rosbillDay < ([\$rbDecimal text=(\$led->\"day\")] - 1)) do={\n        \
    :set clockOk false\n        \
    :set clockWhy (\"the clock says \" . \$rosbillToday . \", earlier than the last run\")\n      \
    }\n    \
    }\n    \
    :if (\$go && \$fresh && \$clockOk) do={\n      \
    # A new ledger: start after the last period any user was billed for, else after last month \
    (nothing before\n      \
    # this install is billed).\n      \
    :if (\$maxPer != \"\") do={\n        \
    :set (\$led->\"done\") \$maxPer\n      \
    } else={\n        \
    :set (\$led->\"done\") [\$rbPeriodOf index=([\$rbMonthIndex p=\$rosbillMonth] - 1)]\n      \
    }\n    \
    }\n    \
    :local due \"\"\n    \
    :local recordNight false\n    \
    :if (\$go && \$clockOk) do={\n      \
    :set due [\$rbPeriodOf index=([\$rbMonthIndex p=(\$led->\"done\")] + 1)]\n      \
    :set recordNight ([\$rbMonthIndex p=\$due] <= [\$rbMonthIndex p=\$rosbillPeriod])\n    \
    }\n    \
    :local work (\$go && \$clockOk && (\$recordNight || \$busy || \$fresh))\n    \
    :if (\$go && !\$clockOk) do={\n      \
    :log error (\"rosbill: Billing: \" . \$clockWhy . \"; nothing is billed or sent until the clock \
    can be trusted\")\n      \
    :set problems (\$problems . \"Billing is paused: \" . \$clockWhy . \\\n          \
    \". Whatever is due is done once the clock is right.\\n\")\n    \
    }\n    \
    :if (\$go && !\$work) do={\n      \
    # Nothing due: only remember the day of this run.\n      \
    :if (\$clockOk && (\$led->\"day\") != [:tostr \$rosbillDay]) do={\n        \
    :set (\$led->\"day\") [:tostr \$rosbillDay]\n        \
    :do {\n          \
    /system script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost \
    kv=\$led]\n        \
    } on-error={ :log warning \"rosbill: Billing: could not update /system script BillingState\" \
    }\n      \
    }\n    \
    }\n    \
    :if (\$work) do={\n      \
    :set (\$led->\"busy\") \"1\"\n      \
    :set (\$led->\"seq\") [:tostr \$seq]\n      \
    :set (\$led->\"day\") [:tostr \$rosbillDay]\n      \
    :do {\n        \
    /system script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost \
    kv=\$led]\n      \
    } on-error={\n        \
    :set work false\n        \
    :log error \"rosbill: Billing: cannot write /system script BillingState; nothing was \
    billed\"\n      \
    }\n    \
    }\n    \
    # --- every user: bill what is due ---\n    \
    :local billed 0\n    \
    :local cands [:toarray \"\"]\n    \
    :local dueIndex 0\n    \
    :if (\$recordNight) do={ :set dueIndex [\$rbMonthIndex p=\$due] }\n    \
    :if (\$recordNight) do={\n      \
    :foreach u in=[/tool user-manager user print as-value] do={\n        \
    :local uId (\$u->\".id\")\n        \
    :local uName [:tostr (\$u->\"username\")]\n        \
    :local uComment [:tostr (\$u->\"comment\")]\n        \
    :local uDisabled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disabled\")] = \
    \"yes\")\n        \
    :local uProfile [:tostr (\$u->\"actual-profile\")]\n        \
    :local uEmail [:tostr (\$u->\"email\")]\n        \
    :local uFirst [:tostr (\$u->\"first-name\")]\n        \
    :local uLast [:tostr (\$u->\"last-name\")]\n        \
    :local key (\"u\" . \$uName)\n        \
    :do {\n          \
    # --- this user's state and data, checked before anything is computed or sent ---\n          \
    :local skip \"\"\n          \
    :local quiet false\n          \
    :local st [\$rbParseState comment=\$uComment today=\$rosbillToday]\n          \
    :local kv (\$st->\"kv\")\n          \
    :if ((\$st->\"err\") != \"\") do={ :set skip (\"broken comment: \" . (\$st->\"err\")) \
    }\n          \
    :if ([:typeof (\$kv->\"email\")] = \"str\") do={ :set uEmail (\$kv->\"email\") }\n          \
    :if ([:typeof (\$kv->\"first\")] = \"str\") do={ :set uFirst (\$kv->\"first\") }\n          \
    :if ([:typeof (\$kv->\"last\")] = \"str\") do={ :set uLast (\$kv->\"last\") }\n          \
    :local uPkg \$uProfile\n          \
    :if ([:typeof (\$kv->\"pkg\")] = \"str\") do={ :set uPkg (\$kv->\"pkg\") }\n          \
    :if (\$uDisabled || (\$kv->\"bill\") = \"no\") do={\n            \
    :set skip \"not billed (disabled, or bill=no in the comment)\"\n            \
    :set quiet true\n          \
    }\n          \
    # These values reach mail subjects and bodies: a CR or LF in a subject would start new mail \
    headers.\n          \
    :if (\$skip = \"\" && (\$uName . \$uFirst . \$uLast . \$uPkg . [:tostr (\$kv->\"bpkg\")]) ~ \
    \"[\\01-\\1F\\7F]\") do={\n            \
    :set skip \"the login name, first or last name or package contains a control \
    character\"\n          \
    }\n          \
    :foreach checked,pattern in=\$rbChecks do={\n            \
    :if (\$skip = \"\" && [:typeof (\$kv->\$checked)] = \"str\" && !((\$kv->\$checked) ~ \
    \$pattern)) do={\n              \
    :set skip (\$checked . \"=\" . (\$kv->\$checked) . \" in the comment is not valid \
    (docs/comment-format.md)\")\n            \
    }\n          \
    }\n          \
    :local mailOk (\$uEmail ~ \
    \"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\\\.[A-Za-z0-9-]+)+\\\$\")\n          \
    :if (\$skip = \"\" && [:typeof (\$kv->\"rst\")] = \"str\") do={\n            \
    :set skip \"a counter reset of an earlier run was not finished (rst= in the \
    comment)\"\n          \
    }\n          \
    :local needBill false\n          \
    :local uTotal -1\n          \
    :if (\$recordNight && \$skip = \"\") do={\n            \
    :if ([:typeof (\$kv->\"per\")] != \"str\") do={ :set needBill true }\n            \
    :if (!\$needBill) do={ :set needBill ([\$rbMonthIndex p=(\$kv->\"per\")] < \$dueIndex) \
    }\n          \
    }\n          \
    :if (\$needBill) do={\n            \
    # The counters, read now for this user (rbReadTotal); RouterOS 7's profile comes with \
    them.\n            \
    :local counted [\$rbReadTotal uid=\$uId]\n            \
    :set uTotal (\$counted->\"total\")\n            \
    :if ((\$counted->\"profile\") != \"\") do={ :set uProfile (\$counted->\"profile\") \
    }\n            \
    # The package: pkg= in the comment, else the User Manager profile. A v6 profile that expired \
    leaves\n            \
    # actual-profile empty; then the package of the last bill stands in, and accounts are \
    told.\n            \
    :set uPkg \$uProfile\n            \
    :if ([:typeof (\$kv->\"pkg\")] = \"str\") do={ :set uPkg (\$kv->\"pkg\") }\n            \
    :if (\$uPkg = \"\" && [:typeof (\$kv->\"bpkg\")] = \"str\") do={\n              \
    :set uPkg (\$kv->\"bpkg\")\n              \
    :set problems (\$problems . \$uName . \": has no active profile; billed as \" . \$uPkg . \
    \\\n                  \
    \", the package of the last bill\\n\")\n            \
    }\n            \
    :if (\$uTotal < 0) do={ :set skip \"the usage counters could not be read\" }\n            \
    :if (\$skip = \"\" && \$uPkg = \"\") \\\n                \
    do={ :set skip \"no package (no User Manager profile and no pkg= in the comment)\" \
    }\n            \
    :if (\$skip = \"\" && [:typeof (\$pkgs->\$uPkg)] != \"array\") \\\n                \
    do={ :set skip (\"unknown package \\\"\" . \$uPkg . \"\\\"\") }\n            \
    :if (\$skip != \"\") do={ :set needBill false }\n          \
    }\n          \
    :if (\$recordNight && \$skip != \"\" && !\$quiet) do={\n            \
    :log warning (\"rosbill: Billing: \" . \$uName . \" is not billed for \" . \$due . \": \" . \
    \$skip)\n            \
    :set problems (\$problems . \$uName . \": NOT BILLED for \" . \$due . \": \" . \$skip . \
    \"\\n\")\n          \
    }\n          \
    :local entry \
    {\"id\"=\$uId;\"name\"=\$uName;\"pre\"=(\$st->\"pre\");\"post\"=(\$st->\"post\");\"kv\"=\$kv;\"pkg\"=\$uPkg}\n          \
    :if (\$needBill) do={\n            \
    :set (\$cands->\$key) \$entry\n          \
    }\n        \
    } on-error={\n          \
    :log warning (\"rosbill: Billing: skipped \" . \$uName . \": a router command failed for this \
    user\")\n          \
    :set problems (\$problems . \$uName . \": a router command failed for this user; see the router \
    log\\n\")\n        \
    }\n      \
    }\n    \
    }\n    \
    # --- close the billed users' sessions and reset the counters of those who stay offline \
    ---\n    \
    # A reset while a session is open does not stick (its next interim update carries the whole \
    session total again),\n    \
    # and a User Manager close-session alone may leave the NAS session running (MikroTik wiki, User \
    Manager Active\n    \
    # sessions). So only users whose sessions this router ended as the NAS and who then show no \
    open session anywhere\n    \
    # are reset. They are disabled from that check until the counters have been read again after \
    the reset, so no\n    \
    # traffic can come in between; their comment says so (rst=), and an interrupted run finishes \
    the job first thing\n    \
    # next time. Everyone else is billed the same way and keeps counting from the recorded \
    base.\n    \
    :if ([:len \$cands] > 0) do={\n      \
    [\$rbCloseSessions cands=\$cands]\n      \
    # Time for the NAS's Accounting-Stop to reach User Manager.\n      \
    :delay 5s\n      \
    # Who has a session open now (rbOnline); if a table cannot be read, nobody is reset.\n      \
    :local seen [\$rbOnline]\n      \
    :local online (\$seen->\"on\")\n      \
    :local readOk (\$seen->\"ok\")\n      \
    :local locked [:toarray \"\"]\n      \
    :foreach key,e in=\$cands do={\n        \
    :if (\$readOk && (\$online->\$key) != true) do={\n          \
    :local kv (\$e->\"kv\")\n          \
    :set (\$kv->\"rst\") \"-\"\n          \
    :do {\n            \
    /tool user-manager user set (\$e->\"id\") disabled=yes comment=[\$rbWriteState \
    pre=(\$e->\"pre\") \\\n                \
    post=(\$e->\"post\") kv=\$kv uid=(\$e->\"id\")]\n            \
    :set (\$locked->\$key) true\n          \
    } on-error={ :log warning (\"rosbill: Billing: could not disable \" . (\$e->\"name\") . \" for \
    the counter reset\") }\n        \
    }\n      \
    }\n      \
    # Anyone who came online between the check and the lock is not reset.\n      \
    :set seen [\$rbOnline]\n      \
    :set online (\$seen->\"on\")\n      \
    :set readOk (\$seen->\"ok\")\n      \
    :local resetNow [:toarray \"\"]\n      \
    :foreach key,entry in=\$cands do={\n        \
    :local uId (\$entry->\"id\")\n        \
    :local uName (\$entry->\"name\")\n        \
    :local uPkg (\$entry->\"pkg\")\n        \
    :local kv (\$entry->\"kv\")\n        \
    :local isLocked ((\$locked->\$key) = true)\n        \
    :local counted [\$rbReadTotal uid=\$uId]\n        \
    :local uTotal (\$counted->\"total\")\n        \
    :local keepLocked (\$isLocked && \$readOk && (\$online->\$key) != true && \$uTotal >= \
    0)\n        \
    :if (\$uTotal < 0) do={\n          \
    :set problems (\$problems . \$uName . \": NOT BILLED for \" . \$due . \": the usage counters \
    could not be read\\n\")\n          \
    :if (\$isLocked) do={\n            \
    :set (\$kv->\"rst\") \"\"\n            \
    :do { /tool user-manager user set \$uId disabled=no comment=[\$rbWriteState \
    pre=(\$entry->\"pre\") \\\n                \
    post=(\$entry->\"post\") kv=\$kv uid=\$uId] } on-error={\n              \
    :do { /tool user-manager user set \$uId disabled=no } on-error={}\n            \
    }\n          \
    }\n        \
    } else={\n          \
    # Record the bill: one write holds the bill, its invoice number and the new base, before any \
    mail is sent.\n          \
    :if ((\$kv->\"um\") ~ \"^[0-9]\" || (\$kv->\"am\") ~ \"^[0-9]\") do={\n            \
    :set problems (\$problems . \$uName . \": the mails of invoice number \" . (\$kv->\"no\") . \" \
    (\" . (\$kv->\"per\") . \\\n              \
    \") were never all confirmed delivered; they are given up for the bill of \" . \$due . \
    \\\n                  \
    \" (see the accounts copy)\\n\")\n          \
    }\n          \
    :if ((\$kv->\"wf\") ~ \"^[0-9]+\\\$\") do={\n            \
    :set problems (\$problems . \$uName . \": the \" . (\$kv->\"wf\") . \\\n                \
    \"% usage warning could not be delivered before the period ended\\n\")\n          \
    }\n          \
    :set seq (\$seq + 1)\n          \
    :local bill [\$rbMakeBill kv=\$kv total=\$uTotal pkg=\$uPkg info=(\$pkgs->\$uPkg) number=\$seq \
    period=\$due \\\n              \
    today=\$rosbillDay]\n          \
    :local nkv (\$bill->\"kv\")\n          \
    :if (\$keepLocked) do={ :set (\$nkv->\"rst\") [:tostr \$uTotal] }\n          \
    :local wrote true\n          \
    :do {\n            \
    # Still locked for the reset (rst= holds the counter total before it), or enabled \
    again.\n            \
    :if (\$keepLocked) do={\n              \
    /tool user-manager user set \$uId comment=[\$rbWriteState pre=(\$entry->\"pre\") \
    post=(\$entry->\"post\") \\\n                  \
    kv=\$nkv uid=\$uId]\n            \
    } else={\n              \
    /tool user-manager user set \$uId disabled=no comment=[\$rbWriteState pre=(\$entry->\"pre\") \
    \\\n                  \
    post=(\$entry->\"post\") kv=\$nkv uid=\$uId]\n            \
    }\n          \
    } on-error={ :set wrote false }\n          \
    :if (\$wrote) do={\n            \
    :set billed (\$billed + 1)\n            \
    :log info (\"rosbill: Billing: \" . \$uName . \" billed for \" . \$due . \", invoice number \" \
    . \$seq)\n            \
    :if (\$bill->\"down\") do={\n              \
    :set problems (\$problems . \$uName . \": the counters were below the last bill's (reset or \
    sessions \\\n                  \
    removed outside rosbill); usage counted from 0\\n\")\n            \
    }\n            \
    :set (\$entry->\"kv\") \$nkv\n            \
    :if ((\$billed % 50) = 0) do={\n              \
    :set (\$led->\"seq\") [:tostr \$seq]\n              \
    :do { /system script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost \
    kv=\$led] } on-error={}\n            \
    }\n          \
    } else={\n            \
    :log error (\"rosbill: Billing: could not write the bill of \" . \$uName . \"; invoice number \
    \" . \$seq . \\\n                \
    \" stays unused\")\n            \
    :set problems (\$problems . \$uName . \": NOT BILLED for \" . \$due . \\\n                \
    \": the comment could not be written (invoice number \" . \$seq . \" is \
    unused)\\n\")\n          \
    }\n          \
    :if (\$keepLocked && \$wrote) do={ :set (\$resetNow->\$key) \$entry }\n          \
    :if (\$isLocked && !\$wrote) do={ :do { /tool user-manager user set \$uId disabled=no } \
    on-error={} }\n        \
    }\n      \
    }\n      \
    :if ([:len \$resetNow] > 0) do={\n        \
    :do {\n          \
    # RouterOS 6: one reset-counters for all of them clears download-used and \
    upload-used.\n          \
    :local ids [:toarray \"\"]\n          \
    :foreach key,e in=\$resetNow do={ :set (\$ids->[:len \$ids]) (\$e->\"id\") }\n          \
    /tool user-manager user reset-counters \$ids\n        \
    } on-error={ :log warning \"rosbill: Billing: the counter reset failed; the counters are read \
    again either way\" }\n        \
    # Read the counters again until the reset shows (it may take effect a moment after the command \
    returns), at\n        \
    # most 20 s; the users stay disabled meanwhile. Counters that do not go down mean the reset \
    changed nothing:\n        \
    # then the base stays the billed total, which is right too.\n        \
    :local waiting \$resetNow\n        \
    :local rounds 0\n        \
    :while ([:len \$waiting] > 0 && \$rounds < 10) do={\n          \
    :delay 2s\n          \
    :set rounds (\$rounds + 1)\n          \
    :local still [:toarray \"\"]\n          \
    :foreach key,entry in=\$waiting do={\n            \
    :local uId (\$entry->\"id\")\n            \
    :local uName (\$entry->\"name\")\n            \
    :local counted [\$rbReadTotal uid=\$uId]\n            \
    :local uTotal (\$counted->\"total\")\n            \
    :local kv (\$entry->\"kv\")\n            \
    :local before [:tonum (\$kv->\"rst\")]\n            \
    :if ((\$uTotal >= 0 && \$uTotal < \$before) || \$rounds = 10) do={\n              \
    :if (\$uTotal >= 0) do={\n                \
    :set (\$kv->\"base\") [:tostr \$uTotal]\n              \
    } else={\n                \
    :set problems (\$problems . \$uName . \": the counters could not be read after the reset; check \
    base= in \\\n                    \
    the comment\\n\")\n              \
    }\n              \
    :set (\$kv->\"rst\") \"\"\n              \
    :do {\n                \
    /tool user-manager user set \$uId disabled=no comment=[\$rbWriteState pre=(\$entry->\"pre\") \
    \\\n                    \
    post=(\$entry->\"post\") kv=\$kv uid=\$uId]\n              \
    } on-error={\n                \
    :do { /tool user-manager user set \$uId disabled=no } on-error={}\n                \
    :log error (\"rosbill: Billing: could not record the reset of \" . \$uName . \
    \\\n                    \
    \"; check base= and rst= in its comment\")\n              \
    }\n            \
    } else={\n              \
    :set (\$still->\$key) \$entry\n            \
    }\n          \
    }\n          \
    :set waiting \$still\n        \
    }\n      \
    }\n    \
    }\n    \
    # --- close the ledger; BillingMail sends the bills, the accounts copies and the report \
    ---\n    \
    :global rosbillNotes\n    \
    :global rosbillBilled\n    \
    :if ([:typeof \$rosbillNotes] != \"str\") do={ :set rosbillNotes \"\" }\n    \
    :set rosbillNotes (\$rosbillNotes . \$problems)\n    \
    :set rosbillBilled \$billed\n    \
    :if (\$work) do={\n      \
    :if (\$recordNight) do={ :set (\$led->\"done\") \$due }\n      \
    :set (\$led->\"seq\") [:tostr \$seq]\n      \
    # New bills, or an interrupted run whose bills may still be unsent: BillingMail looks at every \
    user tonight.\n      \
    :if (\$billed > 0 || \$busy) do={\n        \
    :local pend 0\n        \
    :if ((\$led->\"pend\") ~ \"^[0-9]{1,7}\\\$\") do={ :set pend [:tonum (\$led->\"pend\")] \
    }\n        \
    :set pend (\$pend + \$billed)\n        \
    :if (\$pend = 0) do={ :set pend 1 }\n        \
    :set (\$led->\"pend\") [:tostr \$pend]\n        \
    :set (\$led->\"next\") [:tostr \$rosbillDay]\n      \
    }\n      \
    :set (\$led->\"busy\") \"\"\n      \
    :do {\n        \
    /system script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost \
    kv=\$led]\n      \
    } on-error={ :log error \"rosbill: Billing: could not update /system script BillingState; the \
    next run \\\n          \
    checks everyone\" }\n      \
    :if (\$recordNight) do={ :log info (\"rosbill: Billing: \" . \$billed . \" users billed for \" \
    . \$due) }\n    \
    }\n  \
    } on-error={\n    \
    :log error \"rosbill: Billing: stopped with an error (see the log above); the next run finishes \
    the work\"\n  \
    }\n  \
    :if (\$lockOwner) do={ :set rosbillLock \"\" }\n\
    }\n"
:local ids [/system script find where name="Billing"]
:if ([:len $ids] = 0) do={
  /system script add name="Billing" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "Billing") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local policyNow [:tostr [/system script get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) \
      do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# BillingMail: sends the bill mails and accounts copies still pending, and the report.\n\
    # Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never \
    dont-require-permissions.\n\
    # rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 \
    c57028db92251c24...\n\
    # Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces \
    this script.\n\
    # Runs every night after Billing (Oversight). Sends every bill mail and accounts copy that is \
    pending in the users'\n\
    # comments and due (um=, am=; a failed one is retried after 1, 2, then every 4 days), marks \
    re-sends as such, and\n\
    # sends accounts a report: what Billing did, what failed, and what is still outstanding. A mail \
    counts as delivered\n\
    # only when last-status reports the outcome of that very send. Sending stops after three \
    failures in a row or when\n\
    # the time budget (3h) is spent; the rest is sent on the next run.\n\
    # The shared functions: script BillingFunctions defines them as globals and sets rbFunctions to \
    its build's id. A\n\
    # global lives until the next reboot (Scripting manual, \"Variables\":\n\
    # help.mikrotik.com/docs/spaces/ROS/pages/47579229/Scripting), so the script is run again only \
    when the id\n\
    # is not this build's: after a boot, or after a deploy changed the functions.\n\
    :global rbFunctions\n\
    :if (\$rbFunctions != \"6d037a0ffa67d64f\") do={ :do { /system script run BillingFunctions } \
    on-error={} }\n\
    :if (\$rbFunctions != \"6d037a0ffa67d64f\") do={\n  \
    :log error \"rosbill: BillingMail: /system script BillingFunctions is missing or of another \
    build; nothing was done\"\n  \
    :error \"rosbill: BillingMail: BillingFunctions missing\"\n\
    }\n\
    :global rbParseState\n\
    :global rbWriteState\n\
    :global rbDecimal\n\
    :global rbMoney\n\
    :global rbSend\n\
    :global rbChecks\n\
    :global rbMonthIndex\n\
    :global rbPeriodOf\n\
    :global rbMailWhen\n\
    :global rbMailNext\n\
    :global rbMakeBill\n\
    :global rbMailTimeLeft\n\
    :global rbUsageLevel\n\
    :global rbReadTotal\n\
    :global rbOnline\n\
    :global rbCloseSessions\n\
    :global rosbillToday\n\
    :global rosbillMonth\n\
    :global rosbillPeriod\n\
    :global rosbillDay\n\
    :global rosbillClock\n\
    :global rosbillLock\n\
    :global rosbillLockPass\n\
    :local runName \"BillingMail\"\n\
    :local dateOk true\n\
    :do { /system script run MonthEnd } on-error={ :set dateOk false }\n\
    :if ([:typeof \$rosbillToday] != \"str\" || \$rosbillToday = \"\") do={ :set dateOk false }\n\
    :local today \$rosbillToday\n\
    # --- one run at a time ---\n\
    # The lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals are shared by \
    every script on the router\n\
    # and a reboot clears them, so a power cut never leaves a lock behind. A lock older than 7 h \
    is\n\
    # stale (a run that was stopped by hand) and is taken over. A script started by the lock holder \
    (Oversight runs\n\
    # Billing, BillingMail, Enforce, BillingNotify and UsageWarnings) finds the holder's token in \
    rosbillLockPass and runs\n\
    # inside the same lock.\n\
    :global rosbillDay\n\
    :local nowSecs -1\n\
    :do {\n  \
    :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\n    \
    :set nowSecs ((\$rosbillDay * 86400) + [:tonum [/system clock get time]])\n  \
    }\n\
    } on-error={}\n\
    :local locked false\n\
    :local lockOwner false\n\
    :if ([:typeof \$rosbillLockPass] = \"str\" && \$rosbillLockPass != \"\" && \$rosbillLockPass = \
    \$rosbillLock) do={\n  \
    :set rosbillLockPass \"\"\n  \
    :set locked true\n\
    } else={\n  \
    :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLock != \"\")\n  \
    :if (\$held) do={\n    \
    :local parts [:toarray \"\"]\n    \
    :local rest \$rosbillLock\n    \
    :local space [:find \$rest \" \"]\n    \
    :while ([:typeof \$space] = \"num\") do={\n      \
    :set (\$parts->[:len \$parts]) [:pick \$rest 0 \$space]\n      \
    :set rest [:pick \$rest (\$space + 1) [:len \$rest]]\n      \
    :set space [:find \$rest \" \"]\n    \
    }\n    \
    :set (\$parts->[:len \$parts]) \$rest\n    \
    :local since -1\n    \
    :if ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\") \
    do={\n      \
    :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)])\n    \
    }\n    \
    :if (\$nowSecs >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) \
    do={\n      \
    :log warning (\"rosbill: BillingMail: taking over a stale lock (\" . \$rosbillLock . \
    \")\")\n      \
    :set held false\n    \
    }\n  \
    }\n  \
    :if (\$held) do={\n    \
    :log warning (\"rosbill: BillingMail: another run holds the lock (\" . \$rosbillLock . \"); \
    this run does nothing\")\n  \
    } else={\n    \
    :local stamp \"0 0\"\n    \
    :if (\$nowSecs >= 0) do={ :set stamp (\$rosbillDay . \" \" . (\$nowSecs - (\$rosbillDay * \
    86400))) }\n    \
    :set rosbillLock (\"BillingMail\" . \" \" . \$stamp)\n    \
    :set locked true\n    \
    :set lockOwner true\n  \
    }\n\
    }\n\
    # Packages: cap in bytes (0 = unlimited), price in cents.\n\
    :local pkgs [:toarray \"\"]\n\
    :set (\$pkgs->\"Lite\") {\"cap\"=3000000000;\"price\"=19900}\n\
    :set (\$pkgs->\"Home\") {\"cap\"=50000000000;\"price\"=34900}\n\
    :set (\$pkgs->\"Business\") {\"cap\"=200000000000;\"price\"=89900}\n\
    :set (\$pkgs->\"Unlimited\") {\"cap\"=0;\"price\"=129900}\n\
    :local problems \"\"\n\
    :local mSubject \"\"\n\
    :local mBody \"\"\n\
    :global rosbillNotes\n\
    :if (\$locked) do={\n  \
    :do {\n    \
    :global rosbillBilled\n    \
    :if ([:typeof \$rosbillNotes] != \"str\") do={ :set rosbillNotes \"\" }\n    \
    :set problems \$rosbillNotes\n    \
    :set rosbillNotes \"\"\n    \
    :local billed 0\n    \
    :if ([:typeof \$rosbillBilled] = \"num\") do={ :set billed \$rosbillBilled }\n    \
    :set rosbillBilled 0\n    \
    # --- the ledger (Billing keeps it): is any mail pending, and due today\? ---\n    \
    :local ledgerId \"\"\n    \
    :local led [:toarray \"\"]\n    \
    :local ledPre \"\"\n    \
    :local ledPost \"\"\n    \
    :do {\n      \
    :local ledgerIds [/system script find where name=\"BillingState\"]\n      \
    :if ([:len \$ledgerIds] > 0) do={\n        \
    :local lst [\$rbParseState comment=[/system script get (\$ledgerIds->0) comment] \
    today=\"\"]\n        \
    :if ((\$lst->\"err\") = \"\") do={\n          \
    :set ledgerId (\$ledgerIds->0)\n          \
    :set led (\$lst->\"kv\")\n          \
    :set ledPre (\$lst->\"pre\")\n          \
    :set ledPost (\$lst->\"post\")\n        \
    }\n      \
    }\n    \
    } on-error={}\n    \
    :local clockOk (\$dateOk && \$rosbillClock = \"ok\")\n    \
    :local pend 0\n    \
    :local nextDay 0\n    \
    :if ((\$led->\"pend\") ~ \"^[0-9]{1,7}\\\$\") do={ :set pend [:tonum (\$led->\"pend\")] }\n    \
    :if ((\$led->\"next\") ~ \"^[0-9]{1,7}\\\$\") do={ :set nextDay [:tonum (\$led->\"next\")] \
    }\n    \
    :local work (\$clockOk && \$ledgerId != \"\" && ((\$pend > 0 && \$rosbillDay >= \$nextDay) || \
    (\$led->\"busy\") = \"1\"))\n    \
    :global rosbillUnsent\n    \
    # A report that could not be sent earlier goes out as soon as mail works again.\n    \
    :local mailNeeded (\$work || \$problems != \"\" || ([:typeof \$rosbillUnsent] = \"str\" && \
    \$rosbillUnsent != \"\"))\n    \
    # --- every user with a bill mail or an accounts copy still to send ---\n    \
    :local outbox [:toarray \"\"]\n    \
    :if (\$work) do={\n      \
    :foreach u in=[/tool user-manager user print as-value] do={\n        \
    :local uId (\$u->\".id\")\n        \
    :local uName [:tostr (\$u->\"username\")]\n        \
    :local uComment [:tostr (\$u->\"comment\")]\n        \
    :local uDisabled ([:tostr (\$u->\"disabled\")] = \"true\" || [:tostr (\$u->\"disabled\")] = \
    \"yes\")\n        \
    :local uProfile [:tostr (\$u->\"actual-profile\")]\n        \
    :local uEmail [:tostr (\$u->\"email\")]\n        \
    :local uFirst [:tostr (\$u->\"first-name\")]\n        \
    :local uLast [:tostr (\$u->\"last-name\")]\n        \
    :do {\n          \
    # --- this user's state and data, checked before anything is computed or sent ---\n          \
    :local skip \"\"\n          \
    :local quiet false\n          \
    :local st [\$rbParseState comment=\$uComment today=\$rosbillToday]\n          \
    :local kv (\$st->\"kv\")\n          \
    :if ((\$st->\"err\") != \"\") do={ :set skip (\"broken comment: \" . (\$st->\"err\")) \
    }\n          \
    :if ([:typeof (\$kv->\"email\")] = \"str\") do={ :set uEmail (\$kv->\"email\") }\n          \
    :if ([:typeof (\$kv->\"first\")] = \"str\") do={ :set uFirst (\$kv->\"first\") }\n          \
    :if ([:typeof (\$kv->\"last\")] = \"str\") do={ :set uLast (\$kv->\"last\") }\n          \
    :local uPkg \$uProfile\n          \
    :if ([:typeof (\$kv->\"pkg\")] = \"str\") do={ :set uPkg (\$kv->\"pkg\") }\n          \
    :if (\$uDisabled || (\$kv->\"bill\") = \"no\") do={\n            \
    :set skip \"not billed (disabled, or bill=no in the comment)\"\n            \
    :set quiet true\n          \
    }\n          \
    # These values reach mail subjects and bodies: a CR or LF in a subject would start new mail \
    headers.\n          \
    :if (\$skip = \"\" && (\$uName . \$uFirst . \$uLast . \$uPkg . [:tostr (\$kv->\"bpkg\")]) ~ \
    \"[\\01-\\1F\\7F]\") do={\n            \
    :set skip \"the login name, first or last name or package contains a control \
    character\"\n          \
    }\n          \
    :foreach checked,pattern in=\$rbChecks do={\n            \
    :if (\$skip = \"\" && [:typeof (\$kv->\$checked)] = \"str\" && !((\$kv->\$checked) ~ \
    \$pattern)) do={\n              \
    :set skip (\$checked . \"=\" . (\$kv->\$checked) . \" in the comment is not valid \
    (docs/comment-format.md)\")\n            \
    }\n          \
    }\n          \
    :local mailOk (\$uEmail ~ \
    \"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\\\.[A-Za-z0-9-]+)+\\\$\")\n          \
    # Also for a user disabled since the bill was made: the bill still goes out.\n          \
    :if ((\$kv->\"um\") ~ \"^[0-9]\" || (\$kv->\"am\") ~ \"^[0-9]\") do={\n            \
    :if (\$skip = \"\" || \$quiet) do={\n              \
    :set (\$outbox->(\"u\" . \$uName)) \
    {\"id\"=\$uId;\"name\"=\$uName;\"email\"=\$uEmail;\"first\"=\$uFirst;\"last\"=\$uLast;\\\n                \
    \"mailOk\"=\$mailOk;\"pre\"=(\$st->\"pre\");\"post\"=(\$st->\"post\");\"kv\"=\$kv}\n            \
    } else={\n              \
    :set problems (\$problems . \$uName . \": a bill mail is pending but the comment is not valid: \
    \" . \\\n                  \
    \$skip . \"\\n\")\n            \
    }\n          \
    }\n        \
    } on-error={\n          \
    :log warning (\"rosbill: BillingMail: skipped \" . \$uName . \": a router command failed for \
    this user\")\n          \
    :set problems (\$problems . \$uName . \": a router command failed for this user; see the router \
    log\\n\")\n        \
    }\n      \
    }\n    \
    }\n    \
    # --- send what is due: the accounts copies, then the users' bill mails ---\n    \
    # 1. Every attempt is written to the comment first (um/am one attempt up), then the run waits \
    5s, and\n    \
    #    only then does any mail go out: a mail the server took before a power cut, whose \"ok\" \
    was never written, is\n    \
    #    sent again marked as a re-send. (The wait covers a router that keeps a write in memory for \
    a moment.)\n    \
    # 2. The digest (or each accounts copy) and the users' mails; \"ok\" is written after each \
    delivery.\n    \
    # 3. An attempt that did not happen (the run stopped: time budget, three failures in a row) is \
    written back.\n    \
    :local mailStart [/system clock get time]\n    \
    :local stopped \"\"\n    \
    :local streak 0\n    \
    :local attempted 0\n    \
    :local delivered 0\n    \
    :local srv \"\"\n    \
    # Before RouterOS 7.12 /tool e-mail wants the server as an IP (address=): resolve the name on \
    every run, so a\n    \
    # provider that moves its server does not silently stop all mail.\n    \
    :if (\$mailNeeded) do={\n      \
    :do { :set srv [:tostr [:resolve \"smtp.example.net\"]] } on-error={\n        \
    :log warning (\"rosbill: BillingMail: cannot resolve \" . \"smtp.example.net\" . \"; using the \
    /tool e-mail address\")\n      \
    }\n    \
    }\n    \
    :local pendCount 0\n    \
    :local nextDue 9999999\n    \
    :local outstanding \"\"\n    \
    :local todo [:toarray \"\"]\n    \
    :foreach key,e in=\$outbox do={\n      \
    :local kv (\$e->\"kv\")\n      \
    :local uName (\$e->\"name\")\n      \
    :local userDue ([\$rbMailWhen state=(\$kv->\"um\")] <= \$rosbillDay)\n      \
    :local accountsDue ([\$rbMailWhen state=(\$kv->\"am\")] <= \$rosbillDay)\n      \
    :if (\$userDue || \$accountsDue) do={\n        \
    :local job {\"user\"=(\$userDue && \
    (\$e->\"mailOk\"));\"accounts\"=\$accountsDue;\"um\"=(\$kv->\"um\");\"am\"=(\$kv->\"am\")}\n        \
    :if (\$userDue && !(\$e->\"mailOk\")) do={\n          \
    :set problems (\$problems . \$uName . \": no valid e-mail address (\\\"\" . (\$e->\"email\") . \
    \"\\\"): the bill of \" . \\\n            \
    (\$kv->\"per\") . \" was not mailed; the accounts copy has it\\n\")\n        \
    }\n        \
    :if (\$userDue) do={ :set (\$kv->\"um\") [\$rbMailNext state=(\$kv->\"um\") outcome=\"attempt\" \
    today=\$rosbillDay] }\n        \
    :if (\$accountsDue) do={ :set (\$kv->\"am\") [\$rbMailNext state=(\$kv->\"am\") \
    outcome=\"attempt\" today=\$rosbillDay] }\n        \
    :do {\n          \
    /tool user-manager user set (\$e->\"id\") comment=[\$rbWriteState pre=(\$e->\"pre\") \
    post=(\$e->\"post\") kv=\$kv \\\n              \
    uid=(\$e->\"id\")]\n          \
    :set (\$e->\"kv\") \$kv\n          \
    :set (\$outbox->\$key) \$e\n          \
    :set (\$todo->\$key) \$job\n        \
    } on-error={ :log warning (\"rosbill: BillingMail: could not record the mail state of \" . \
    \$uName . \\\n            \
    \"; not sent now\") }\n      \
    }\n    \
    }\n    \
    :if ([:len \$todo] > 0) do={ :delay 5s }\n    \
    :foreach key,job in=\$todo do={\n      \
    :local e (\$outbox->\$key)\n      \
    # The placeholders of a bill mail, all from what the comment recorded when the bill was made, \
    so a re-send is the\n      \
    # same bill (names and the e-mail address are read fresh: a corrected address is used).\n      \
    :local kv (\$e->\"kv\")\n      \
    :local uName (\$e->\"name\")\n      \
    :local uFirst (\$e->\"first\")\n      \
    :local uLast (\$e->\"last\")\n      \
    :local uEmail (\$e->\"email\")\n      \
    :local uPkg (\$kv->\"bpkg\")\n      \
    :local period (\$kv->\"per\")\n      \
    :local invNum (\$kv->\"no\")\n      \
    :local invoice (\"T6-\" . \$invNum)\n      \
    :local usedMb ([:tonum (\$kv->\"use\")] / 1000000)\n      \
    :local capMb (\$kv->\"bcap\")\n      \
    :local capText \"unlimited\"\n      \
    :if (\$capMb != \"unlimited\") do={ :set capText (\$capMb . \" MB\") }\n      \
    :local priceText [\$rbMoney cents=(\$kv->\"bprice\")]\n      \
    :local discText [\$rbMoney cents=(\$kv->\"bdisc\")]\n      \
    :local dueText [\$rbMoney cents=([:tonum (\$kv->\"bprice\")] - [:tonum \
    (\$kv->\"bdisc\")])]\n      \
    :local done false\n      \
    :if (\$job->\"user\") do={\n        \
    :if (\$stopped = \"\" && ![\$rbMailTimeLeft since=\$mailStart]) \\\n            \
    do={ :set stopped \"the time for mail in this run was used up\" }\n        \
    :if (\$stopped = \"\") do={\n          \
    :set (\$job->\"user\") false\n          \
    :set mSubject (\"Example Wireless invoice \" . \$invoice . \" for \" . \$period)\n          \
    :set mBody \"\"\n          \
    :set mBody (\$mBody . \"Dear \" . \$uFirst . \" \" . \$uLast . \",\\n\")\n          \
    :set mBody (\$mBody . \"\\n\")\n          \
    :set mBody (\$mBody . \"Invoice:      \" . \$invoice . \"\\n\")\n          \
    :set mBody (\$mBody . \"Period:       \" . \$period . \"\\n\")\n          \
    :set mBody (\$mBody . \"Package:      \" . \$uPkg . \"\\n\")\n          \
    :set mBody (\$mBody . \"Data used:    \" . \$usedMb . \" MB of \" . \$capMb . \" \
    MB\\n\")\n          \
    :set mBody (\$mBody . \"\\n\")\n          \
    :set mBody (\$mBody . \"Package price R \" . \$priceText . \"\\n\")\n          \
    :set mBody (\$mBody . \"Discount      R \" . \$discText . \"\\n\")\n          \
    :set mBody (\$mBody . \"Amount due    R \" . \$dueText . \"\\n\")\n          \
    :set mBody (\$mBody . \"All prices include VAT at 15%.\\n\")\n          \
    :set mBody (\$mBody . \"\\n\")\n          \
    :set mBody (\$mBody . \"Please pay into:\\n\")\n          \
    :set mBody (\$mBody . \"Example Wireless (Pty) Ltd\\n\")\n          \
    :set mBody (\$mBody . \"Bank: First Example Bank, branch 250655\\n\")\n          \
    :set mBody (\$mBody . \"Account: 62012345678 (cheque)\\n\")\n          \
    :set mBody (\$mBody . \"Use \" . \$invoice . \" as the payment reference.\\n\")\n          \
    :set mBody (\$mBody . \"\\n\")\n          \
    :set mBody (\$mBody . \"Example Wireless\\n\")\n          \
    :local resend ((\$job->\"um\") ~ \"^[1-9]\")\n          \
    :if (\$resend) do={\n            \
    :set mSubject (\"Re-sent: \" . \$mSubject)\n            \
    :set mBody (\"(This is a copy: the first mail could not be confirmed as delivered. Please \
    ignore it if you \\\n                \
    have it already.)\\n\\n\" . \$mBody)\n          \
    }\n          \
    :local outcome [\$rbSend mailTo=\$uEmail mailSubject=\$mSubject mailBody=\$mBody \
    srv=\$srv]\n          \
    :set attempted (\$attempted + 1)\n          \
    :if (\$outcome = \"ok\") do={\n            \
    :set streak 0\n            \
    :set delivered (\$delivered + 1)\n          \
    } else={\n            \
    :set streak (\$streak + 1)\n            \
    :if (\$streak >= 3) do={ :set stopped \"three mails in a row were not delivered (is the SMTP \
    server down\?)\" }\n          \
    }\n          \
    :if (\$outcome = \"ok\") do={\n            \
    :set (\$kv->\"um\") \"ok\"\n            \
    :set done true\n            \
    :log info (\"rosbill: BillingMail: mailed invoice \" . \$invoice . \" to \" . \
    \$uName)\n            \
    :if (\$resend) do={\n              \
    :set problems (\$problems . \$uName . \": invoice \" . \$invoice . \" (\" . \$period . \
    \\\n                  \
    \") was delivered late, as a re-send\\n\")\n            \
    }\n          \
    }\n        \
    }\n      \
    }\n      \
    :if (\$job->\"accounts\") do={\n        \
    :if (\$stopped = \"\" && ![\$rbMailTimeLeft since=\$mailStart]) \\\n            \
    do={ :set stopped \"the time for mail in this run was used up\" }\n        \
    :if (\$stopped = \"\") do={\n          \
    :set (\$job->\"accounts\") false\n          \
    :set mSubject (\"Invoice \" . \$invoice . \": \" . \$uName . \" R \" . \$dueText)\n          \
    :set mBody \"\"\n          \
    :set mBody (\$mBody . \$invoice . \" \" . \$period . \" \" . \$uName . \" (\" . \$uFirst . \" \
    \" . \$uLast . \", \" . \\\n              \
    \$uEmail . \") \" . \$uPkg . \": \" . \$usedMb . \" MB, price \" . \$priceText . \", discount \
    \" . \$discText . \\\n              \
    \", due R \" . \$dueText . \"\\n\")\n          \
    :if ((\$job->\"am\") ~ \"^[1-9]\") do={\n            \
    :set mSubject (\"Re-sent: \" . \$mSubject)\n            \
    :set mBody (\"(This is a copy: the first mail could not be confirmed as delivered. Please \
    ignore it if you \\\n                \
    have it already.)\\n\\n\" . \$mBody)\n          \
    }\n          \
    :local outcome [\$rbSend mailTo=\"accounts@example.net\" mailSubject=\$mSubject \
    mailBody=\$mBody srv=\$srv]\n          \
    :set attempted (\$attempted + 1)\n          \
    :if (\$outcome = \"ok\") do={\n            \
    :set streak 0\n            \
    :set delivered (\$delivered + 1)\n          \
    } else={\n            \
    :set streak (\$streak + 1)\n            \
    :if (\$streak >= 3) do={ :set stopped \"three mails in a row were not delivered (is the SMTP \
    server down\?)\" }\n          \
    }\n          \
    :if (\$outcome = \"ok\") do={\n            \
    :set (\$kv->\"am\") \"ok\"\n            \
    :set done true\n          \
    }\n        \
    }\n      \
    }\n      \
    # An attempt that did not happen (the run stopped first) is written back, so it counts as not \
    tried.\n      \
    :if (\$job->\"user\") do={\n        \
    :set (\$kv->\"um\") (\$job->\"um\")\n        \
    :set done true\n      \
    }\n      \
    :if (\$job->\"accounts\") do={\n        \
    :set (\$kv->\"am\") (\$job->\"am\")\n        \
    :set done true\n      \
    }\n      \
    :if (\$done) do={\n        \
    :do {\n          \
    /tool user-manager user set (\$e->\"id\") comment=[\$rbWriteState pre=(\$e->\"pre\") \
    post=(\$e->\"post\") kv=\$kv \\\n              \
    uid=(\$e->\"id\")]\n        \
    } on-error={ :log warning (\"rosbill: BillingMail: could not record the mail state of \" . \
    \$uName) }\n        \
    :set (\$e->\"kv\") \$kv\n        \
    :set (\$outbox->\$key) \$e\n      \
    }\n    \
    }\n    \
    # Still waiting: counted for the ledger (so the next run knows whether and when to look) and \
    listed for accounts.\n    \
    :foreach key,e in=\$outbox do={\n      \
    # The placeholders of a bill mail, all from what the comment recorded when the bill was made, \
    so a re-send is the\n      \
    # same bill (names and the e-mail address are read fresh: a corrected address is used).\n      \
    :local kv (\$e->\"kv\")\n      \
    :local uName (\$e->\"name\")\n      \
    :local uFirst (\$e->\"first\")\n      \
    :local uLast (\$e->\"last\")\n      \
    :local uEmail (\$e->\"email\")\n      \
    :local uPkg (\$kv->\"bpkg\")\n      \
    :local period (\$kv->\"per\")\n      \
    :local invNum (\$kv->\"no\")\n      \
    :local invoice (\"T6-\" . \$invNum)\n      \
    :local usedMb ([:tonum (\$kv->\"use\")] / 1000000)\n      \
    :local capMb (\$kv->\"bcap\")\n      \
    :local capText \"unlimited\"\n      \
    :if (\$capMb != \"unlimited\") do={ :set capText (\$capMb . \" MB\") }\n      \
    :local priceText [\$rbMoney cents=(\$kv->\"bprice\")]\n      \
    :local discText [\$rbMoney cents=(\$kv->\"bdisc\")]\n      \
    :local dueText [\$rbMoney cents=([:tonum (\$kv->\"bprice\")] - [:tonum \
    (\$kv->\"bdisc\")])]\n      \
    :local waiting \"\"\n      \
    :foreach m in={\"um\";\"am\"} do={\n        \
    :local when [\$rbMailWhen state=(\$kv->\$m)]\n        \
    :if (\$when < 9999999) do={\n          \
    :if (\$when < \$nextDue) do={ :set nextDue \$when }\n          \
    :local what \"the bill mail\"\n          \
    :if (\$m = \"am\") do={ :set what \"the accounts copy\" }\n          \
    :if (\$waiting != \"\") do={ :set waiting (\$waiting . \", \") }\n          \
    :set waiting (\$waiting . \$what . \" (attempts so far: \" . [:pick (\$kv->\$m) 0 [:find \
    (\$kv->\$m) \"/\"]] . \")\")\n        \
    }\n      \
    }\n      \
    :if (\$waiting != \"\") do={\n        \
    :set pendCount (\$pendCount + 1)\n        \
    :set outstanding (\$outstanding . \$uName . \": invoice \" . \$invoice . \" (\" . \$period . \
    \"): not yet delivered: \" \\\n            \
    . \$waiting . \"\\n\")\n      \
    }\n    \
    }\n    \
    :if (\$stopped != \"\") do={\n      \
    :log warning (\"rosbill: BillingMail: stopped sending: \" . \$stopped . \"; the rest is sent on \
    the next run\")\n      \
    :set problems (\$problems . \"Sending stopped early: \" . \$stopped . \"; the rest is sent on \
    the next run.\\n\")\n    \
    }\n    \
    # --- report to accounts; the ledger learns what is still pending ---\n    \
    :if (\$mailNeeded) do={\n      \
    :if (\$outstanding != \"\") \\\n          \
    do={ :set problems (\$problems . \"Still outstanding (retried on the next runs):\\n\" . \
    \$outstanding) }\n      \
    :local period \$rosbillPeriod\n    \
    # The report, in parts if it is long (RouterOS sends bodies just under 64 kB). Needs \
    \$problems, \$period, \$billed,\n    \
    # \$srv.\n    \
    # What an earlier report could not deliver (global rosbillUnsent; a reboot loses it) goes \
    first, so accounts learn\n    \
    # of\n    \
    # a dropped warning or an outstanding bill even when the report of that night failed.\n    \
    :global rosbillUnsent\n    \
    :if ([:typeof \$rosbillUnsent] != \"str\") do={ :set rosbillUnsent \"\" }\n    \
    :local rest \$problems\n    \
    :if (\$rosbillUnsent != \"\") do={\n      \
    :local now \$problems\n      \
    :if (\$now = \"\") do={ :set now \"none\\n\" }\n      \
    :set rest (\"From earlier reports that could not be sent:\\n\" . \$rosbillUnsent . \
    \"\\nNow:\\n\" . \$now)\n      \
    :set rosbillUnsent \"\"\n    \
    }\n    \
    :if (\$rest = \"\") do={ :set rest \"none\\n\" }\n    \
    :local chunks [:toarray \"\"]\n    \
    :while ([:len \$rest] > 0) do={\n      \
    :local cut [:len \$rest]\n      \
    :if (\$cut > 30000) do={\n        \
    :set cut 30000\n        \
    :local head [:pick \$rest 0 \$cut]\n        \
    :local newline [:find \$head \"\\n\" -1]\n        \
    :local last -1\n        \
    :while ([:typeof \$newline] = \"num\") do={\n          \
    :set last \$newline\n          \
    :set newline [:find \$head \"\\n\" \$newline]\n        \
    }\n        \
    :if (\$last >= 0) do={ :set cut (\$last + 1) }\n      \
    }\n      \
    :set (\$chunks->[:len \$chunks]) [:pick \$rest 0 \$cut]\n      \
    :set rest [:pick \$rest \$cut [:len \$rest]]\n    \
    }\n    \
    :local chunkNo 0\n    \
    :foreach chunk in=\$chunks do={\n      \
    :set chunkNo (\$chunkNo + 1)\n      \
    :local reportText \$chunk\n      \
    :set mSubject (\"Example Wireless: Billing report \" . \$today)\n      \
    :set mBody \"\"\n      \
    :set mBody (\$mBody . \"Billing ran on \" . \$today . \" (period \" . \$period . \
    \").\\n\")\n      \
    :set mBody (\$mBody . \"Users billed: \" . \$billed . \"\\n\")\n      \
    :set mBody (\$mBody . \"\\n\")\n      \
    :set mBody (\$mBody . \"Skipped users and failed e-mails:\\n\")\n      \
    :set mBody (\$mBody . \$reportText . \"\\n\")\n      \
    :if ([:len \$chunks] > 1) do={ :set mSubject (\$mSubject . \" (part \" . \$chunkNo . \" of \" . \
    [:len \$chunks] . \")\") }\n      \
    :if ([\$rbSend mailTo=\"accounts@example.net\" mailSubject=\$mSubject mailBody=\$mBody \
    srv=\$srv] != \"ok\") do={\n        \
    :log warning \"rosbill: BillingMail: the report to accounts could not be sent; it goes with the \
    next one\"\n        \
    # Kept for the next report, the newest 30 kB at most.\n        \
    :set rosbillUnsent (\$rosbillUnsent . \$chunk)\n        \
    :if ([:len \$rosbillUnsent] > 30000) do={\n          \
    :set rosbillUnsent (\"(older lines dropped)\\n\" . [:pick \$rosbillUnsent ([:len \
    \$rosbillUnsent] - 30000) [:len \\\n              \
    \$rosbillUnsent]])\n        \
    }\n      \
    }\n    \
    }\n    \
    }\n    \
    :if (\$work) do={\n      \
    :set (\$led->\"pend\") [:tostr \$pendCount]\n      \
    :set (\$led->\"next\") \"\"\n      \
    :if (\$pendCount > 0) do={ :set (\$led->\"next\") [:tostr \$nextDue] }\n      \
    :do {\n        \
    /system script set \$ledgerId comment=[\$rbWriteState pre=\$ledPre post=\$ledPost \
    kv=\$led]\n      \
    } on-error={ :log warning \"rosbill: BillingMail: could not update /system script \
    BillingState\" }\n      \
    :log info (\"rosbill: BillingMail: \" . \$delivered . \" mails delivered, \" . \$pendCount . \
    \\\n          \
    \" users with mail outstanding\")\n    \
    }\n  \
    } on-error={\n    \
    :log error \"rosbill: BillingMail: stopped with an error (see the log above); the next run \
    sends the rest\"\n  \
    }\n  \
    :if (\$lockOwner) do={ :set rosbillLock \"\" }\n\
    }\n"
:local ids [/system script find where name="BillingMail"]
:if ([:len $ids] = 0) do={
  /system script add name="BillingMail" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "BillingMail") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local policyNow [:tostr [/system script get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) \
      do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# Enforce: fair use at the cap and unpaid accounts: moves users to the operator's profiles and \
    back, mails reminders.\n\
    # Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never \
    dont-require-permissions.\n\
    # rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 \
    c57028db92251c24...\n\
    # Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces \
    this script.\n\
    # docs/enforce.md. Per user: the fair-use step this period's usage reached (thr=, thp=) until \
    the period is billed;\n\
    # the unpaid restriction (owe=, rsd=) past the grace days, one reminder (rm=), until paid= \
    covers owe=. Applied as\n\
    # the user's attributes Mikrotik-Rate-Limit and Mikrotik-Address-List, which User Manager adds \
    to the Access-Accept\n\
    # (help.mikrotik.com/docs/display/ROS/User+Manager): the profile, and so the package billed, \
    never changes. A live\n\
    # session keeps its rate until it reconnects; Enforce ends the changed users' sessions here. \
    Run alone, it takes the run\n\
    # lock itself.\n\
    # Neither fair use (packages.<name>.fair_use) nor unpaid restriction (billing.grace_days) is \
    configured: Oversight\n\
    # does not run this script, and it does nothing when run.\n\
    :log info \"rosbill: Enforce: nothing is configured (docs/enforce.md)\"\n"
:local ids [/system script find where name="Enforce"]
:if ([:len $ids] = 0) do={
  /system script add name="Enforce" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "Enforce") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local policyNow [:tostr [/system script get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) \
      do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# BillingNotify: sends bills, usage warnings and unpaid reminders by Telegram and webhooks (/tool \
    fetch).\n\
    # Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never \
    dont-require-permissions.\n\
    # rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 \
    c57028db92251c24...\n\
    # Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces \
    this script.\n\
    # The config has no notify: section, so there is nothing to send. Oversight does not run this \
    script; it is kept so\n\
    # that every build has the same scripts (docs/notify.md).\n\
    :log info \"rosbill: BillingNotify: no notify channels configured\"\n"
:local ids [/system script find where name="BillingNotify"]
:if ([:len $ids] = 0) do={
  /system script add name="BillingNotify" policy=read,write,test dont-require-permissions=no \
      comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "BillingNotify") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local policyNow [:tostr [/system script get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) \
      do={ /system script set $sid dont-require-permissions=no }
  :if ([:tostr [/system script get $sid comment]] != $managed) do={ /system script set $sid comment=$managed }
}
}
{
:local managed "managed by rosbill: do not edit here; change config/billing.yaml and deploy"
:local policy "read;write;test"
:local policy2 "read,write,test"
:local src "# Oversight: the scheduled dispatcher (Billing, BillingMail, Enforce and BillingNotify as \
    configured, else\n\
    # UsageWarnings).\n\
    # Requires RouterOS 6.43 or later, before 7.0 (v6); policy read,write,test, never \
    dont-require-permissions.\n\
    # rosbill 0.1.0, router tower6 (RouterOS 6.49.10), build 083eb84db0c0, config sha256 \
    c57028db92251c24...\n\
    # Do not edit on the router: change the config, rebuild and deploy; rosbill deploy replaces \
    this script.\n\
    # The scheduled dispatcher (every night, and once shortly after each boot). One run at a time: \
    a run that finds\n\
    # another one active logs that and does nothing. Billing and BillingMail run every time: \
    together they finish\n\
    # whatever an earlier run left (an interrupted counter reset, a period that ended unbilled, \
    mails not yet delivered),\n\
    # and on the last day of the month they bill the month. UsageWarnings runs on the other days.\n\
    :global found\n\
    :global rosbillLock\n\
    :global rosbillLockPass\n\
    :global rosbillClock\n\
    :global rosbillBooted\n\
    :local ok true\n\
    :do { /system script run MonthEnd } on-error={ :set ok false }\n\
    # The first run after a boot (a reboot clears the globals) waits up to 30 minutes for a clock \
    it can trust: a\n\
    # router without a battery clock shows 1970 until NTP has synchronised, and the work a power \
    cut interrupted should\n\
    # not wait for the next night.\n\
    :if ([:typeof \$rosbillBooted] = \"nothing\") do={\n  \
    :set rosbillBooted true\n  \
    :local waited 0\n  \
    :while (\$rosbillClock != \"ok\" && \$waited < 30) do={\n    \
    :if (\$waited = 0) do={ :log info (\"rosbill: Oversight: waiting for the clock (\" . \
    \$rosbillClock . \")\") }\n    \
    :delay 60s\n    \
    :set waited (\$waited + 1)\n    \
    :set ok true\n    \
    :do { /system script run MonthEnd } on-error={ :set ok false }\n  \
    }\n\
    }\n\
    # --- one run at a time ---\n\
    # The lock is the global rosbillLock (\"<script> <day> <seconds>\"): globals are shared by \
    every script on the router\n\
    # and a reboot clears them, so a power cut never leaves a lock behind. A lock older than 7 h \
    is\n\
    # stale (a run that was stopped by hand) and is taken over. A script started by the lock holder \
    (Oversight runs\n\
    # Billing, BillingMail, Enforce, BillingNotify and UsageWarnings) finds the holder's token in \
    rosbillLockPass and runs\n\
    # inside the same lock.\n\
    :global rosbillDay\n\
    :local nowSecs -1\n\
    :do {\n  \
    :if ([:typeof \$rosbillDay] = \"num\" && \$rosbillDay > 0) do={\n    \
    :set nowSecs ((\$rosbillDay * 86400) + [:tonum [/system clock get time]])\n  \
    }\n\
    } on-error={}\n\
    :local locked false\n\
    :local lockOwner false\n\
    :if ([:typeof \$rosbillLockPass] = \"str\" && \$rosbillLockPass != \"\" && \$rosbillLockPass = \
    \$rosbillLock) do={\n  \
    :set rosbillLockPass \"\"\n  \
    :set locked true\n\
    } else={\n  \
    :local held ([:typeof \$rosbillLock] = \"str\" && \$rosbillLock != \"\")\n  \
    :if (\$held) do={\n    \
    :local parts [:toarray \"\"]\n    \
    :local rest \$rosbillLock\n    \
    :local space [:find \$rest \" \"]\n    \
    :while ([:typeof \$space] = \"num\") do={\n      \
    :set (\$parts->[:len \$parts]) [:pick \$rest 0 \$space]\n      \
    :set rest [:pick \$rest (\$space + 1) [:len \$rest]]\n      \
    :set space [:find \$rest \" \"]\n    \
    }\n    \
    :set (\$parts->[:len \$parts]) \$rest\n    \
    :local since -1\n    \
    :if ([:len \$parts] = 3 && (\$parts->1) ~ \"^[0-9]+\\\$\" && (\$parts->2) ~ \"^[0-9]+\\\$\") \
    do={\n      \
    :set since (([:tonum (\$parts->1)] * 86400) + [:tonum (\$parts->2)])\n    \
    }\n    \
    :if (\$nowSecs >= 0 && \$since >= 0 && (\$nowSecs < \$since || (\$nowSecs - \$since) > 25200)) \
    do={\n      \
    :log warning (\"rosbill: Oversight: taking over a stale lock (\" . \$rosbillLock . \
    \")\")\n      \
    :set held false\n    \
    }\n  \
    }\n  \
    :if (\$held) do={\n    \
    :log warning (\"rosbill: Oversight: another run holds the lock (\" . \$rosbillLock . \"); this \
    run does nothing\")\n  \
    } else={\n    \
    :local stamp \"0 0\"\n    \
    :if (\$nowSecs >= 0) do={ :set stamp (\$rosbillDay . \" \" . (\$nowSecs - (\$rosbillDay * \
    86400))) }\n    \
    :set rosbillLock (\"Oversight\" . \" \" . \$stamp)\n    \
    :set locked true\n    \
    :set lockOwner true\n  \
    }\n\
    }\n\
    :if (\$locked) do={\n  \
    :do {\n    \
    :set rosbillLockPass \$rosbillLock\n    \
    :do { /system script run Billing } on-error={\n      \
    :log error \"rosbill: Oversight: Billing stopped with an error; see the log above\"\n    \
    }\n    \
    :set rosbillLockPass \$rosbillLock\n    \
    :do { /system script run BillingMail } on-error={\n      \
    :log error \"rosbill: Oversight: BillingMail stopped with an error; see the log above\"\n    \
    }\n    \
    :if (\$ok && \$found != true) do={\n      \
    :set rosbillLockPass \$rosbillLock\n      \
    :do { /system script run UsageWarnings } on-error={\n        \
    :log error \"rosbill: Oversight: UsageWarnings stopped with an error; see the log \
    above\"\n      \
    }\n    \
    }\n  \
    } on-error={ :log error \"rosbill: Oversight: stopped with an error; see the log above\" }\n  \
    :set rosbillLockPass \"\"\n  \
    :set rosbillLock \"\"\n\
    }\n\
    :if (!\$ok) do={\n  \
    :log error \"rosbill: Oversight: MonthEnd could not read the date, so only unfinished work that \
    needs no date was done\"\n\
    }\n"
:local ids [/system script find where name="Oversight"]
:if ([:len $ids] = 0) do={
  /system script add name="Oversight" policy=read,write,test dont-require-permissions=no comment=$managed source=$src
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system script is named " . "Oversight") }
  :local sid ($ids->0)
  :if ([:tostr [/system script get $sid source]] != $src) do={ /system script set $sid source=$src }
  :local policyNow [:tostr [/system script get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system script set $sid policy=read,write,test }
  :if ([/system script get $sid dont-require-permissions] != false) \
      do={ /system script set $sid dont-require-permissions=no }
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
  /system scheduler add name="Oversight" start-time=23:50:00 interval=1d on-event=$onEvent policy=read,write,test \
      comment=$managed
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system scheduler entry is named " . "Oversight") }
  :local sid ($ids->0)
  :if ([:tostr [/system scheduler get $sid start-time]] != "23:50:00") \
      do={ /system scheduler set $sid start-time=23:50:00 }
  :if ([/system scheduler get $sid interval] != 1d) do={ /system scheduler set $sid interval=1d }
  :if ([:tostr [/system scheduler get $sid on-event]] != $onEvent) do={ /system scheduler set $sid on-event=$onEvent }
  :local policyNow [:tostr [/system scheduler get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system scheduler set $sid policy=read,write,test }
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
  /system scheduler add name="OversightAtBoot" start-time=startup interval=0s on-event=$onEvent \
      policy=read,write,test comment=$managed
} else={
  :if ([:len $ids] > 1) do={ :error ("rosbill: more than one /system scheduler entry is named " . "OversightAtBoot") }
  :local sid ($ids->0)
  :if ([:tostr [/system scheduler get $sid start-time]] != "startup") \
      do={ /system scheduler set $sid start-time=startup }
  :if ([/system scheduler get $sid interval] != 0s) do={ /system scheduler set $sid interval=0s }
  :if ([:tostr [/system scheduler get $sid on-event]] != $onEvent) do={ /system scheduler set $sid on-event=$onEvent }
  :local policyNow [:tostr [/system scheduler get $sid policy]]
  :if ($policyNow != $policy && $policyNow != $policy2) do={ /system scheduler set $sid policy=read,write,test }
  :if ([:tostr [/system scheduler get $sid comment]] != $managed) do={ /system scheduler set $sid comment=$managed }
}
}
# /tool e-mail settings (the password is not here: rosbill deploy sets it from ROSBILL_SMTP_PASSWORD,
# or set it by hand once). RouterOS 7.12 renamed address= to server= (which takes a host name;
# address= wants an IP, so the name is resolved at import); RouterOS 6 says start-tls=no|yes|tls-only,
# 7.x tls=no|yes|starttls.
# Written only when they differ, so importing this file twice changes nothing.
{
:local want {"address"=[:tostr [:resolve \
    "smtp.example.net"]];"port"="587";"start-tls"="yes";"user"="billing@example.net";"from"="billing@example.net"}
:local have [/tool e-mail get]
:local same true
:foreach k,v in=$want do={ :if ([:tostr ($have->$k)] != $v) do={ :set same false } }
:if (!$same) do={
  /tool e-mail set address=[:resolve "smtp.example.net"] port=587 start-tls=yes user="billing@example.net" \
      from="billing@example.net"
}
}
