"""The probe script: RouterOS source that observes what only a running script can see, and hands it back in a global.

One run of it reads (never writes) ``:tonum`` of ``"08"`` and ``"010"`` (register row 24), ``/system clock get date``
(row 23), the shape of ``[/tool e-mail get]`` (row 19), the key type of an all-digit array key (row 34), ``:find`` of a
missing value and ``:pick`` past the end (row 32), whether ``~`` matches a control byte with
``[\\01-\\1F]`` (row 33), and the field names and types of User Manager ``print as-value``
rows of users and sessions and of ``user monitor`` (rows 6, 8). With a test-mail address it also sends one mail and
records how ``last-status`` moves for up to :data:`MAIL_WATCH_S` seconds (rows 12, 13). Each part runs inside
``:do {…} on-error={…}`` so one part failing leaves the others' answers.

The answers are one string ``key=value;key=value;…`` in the global the caller names (:func:`parse` reads it back);
values are words, numbers, dates and ``name:type,`` lists, which hold neither ``;`` nor ``=``.

Every value in the source (the menu path, the global's name, the address) goes through ``generator/encode.py``.

Must not: write anything but its own global and (when asked) send the one test mail; touch User Manager users.
"""

from __future__ import annotations

import re

from generator import encode
from generator.dialects import Dialect
from generator.encode import Rsc

#: Script names and globals start with these; a leftover of a cut probe is recognised by them (and nothing else is).
SCRIPT_PREFIX = "rosbill-probe-"
GLOBAL_PREFIX = "rosbillProbe"
#: The comment of the probe script: says what it is, and is long, to observe that a script comment keeps 1000
#: characters (register row 30).
COMMENT_MARK = "rosbill probe: a temporary script, removed when the probe ends (rosbill probe removes leftovers)"
COMMENT_LENGTH = 1000
#: How long the script watches ``last-status`` after the test mail, and how often it looks. Kept under the API's
#: per-answer timeout (15 s by default): ``/system script run`` answers only when the script has finished.
MAIL_WATCH_S = 10
#: Row 1 compares at most this many users' totals (each costs the router a monitor and a session print).
MAX_COMPARED = 200
MAIL_POLL_MS = 250
_TOKEN = re.compile(r"^[0-9a-f]{8}$")


def names(token: str) -> tuple[str, str]:
    """The script's name and the global's name for one probe run (``token``: 8 lower-case hex digits)."""
    if not _TOKEN.match(token):
        raise ValueError(f"{token!r} is not a probe token (8 hex digits)")
    return SCRIPT_PREFIX + token, GLOBAL_PREFIX + token


def is_probe_script(name: str) -> bool:
    return name.startswith(SCRIPT_PREFIX) and bool(_TOKEN.match(name[len(SCRIPT_PREFIX) :]))


def is_probe_global(name: str) -> bool:
    return name.startswith(GLOBAL_PREFIX) and bool(_TOKEN.match(name[len(GLOBAL_PREFIX) :]))


def comment() -> str:
    """The probe script's comment: the mark, padded with dots to :data:`COMMENT_LENGTH` characters."""
    return (COMMENT_MARK + " ").ljust(COMMENT_LENGTH, ".")


def _fields(label: str, expression: Rsc) -> Rsc:
    """Code that appends ``label=name:type,name:type,…;`` for the keyed array ``expression`` yields (nothing when it
    is not an array)."""
    return encode.join(
        [
            encode.fragment(":do {\n  :local row "),
            expression,
            encode.fragment('\n  :if ([:typeof $row] = "array") do={\n    :local f ""\n'),
            encode.fragment('    :foreach k,v in=$row do={ :set f ($f . $k . ":" . [:typeof $v] . ",") }\n'),
            encode.fragment("    :set out ($out . "),
            encode.string(label + "="),
            encode.fragment(' . $f . ";")\n  }\n} on-error={ :set out ($out . '),
            encode.string(label + "=error;"),
            encode.fragment(") }\n"),
        ]
    )


def source(dialect: Dialect, global_name: str, mail_to: str | None = None) -> Rsc:
    """The probe script for the dialect's User Manager menu; it leaves its answers in ``global_name``."""
    um = encode.menu(dialect.um_menu)
    first = encode.fragment("[:pick [")
    parts: list[Rsc] = [
        encode.fragment(
            ':local out ""\n'
            ':do { :local n [:tonum "08"]; :set out ($out . "tonum08=" . [:typeof $n] . ":" . $n . ";") }'
            ' on-error={ :set out ($out . "tonum08=error;") }\n'
            ':do { :local n [:tonum "010"]; :set out ($out . "tonum010=" . [:typeof $n] . ":" . $n . ";") }'
            ' on-error={ :set out ($out . "tonum010=error;") }\n'
            ':do { :set out ($out . "date=" . [/system clock get date] . ";") }'
            ' on-error={ :set out ($out . "date=error;") }\n'
            ':do { :local m [/tool e-mail get]; :set out ($out . "emailget=" . [:typeof $m] . ";") }'
            ' on-error={ :set out ($out . "emailget=error;") }\n'
            ':do { :local a ({}); :set ($a->"123") 1; :foreach k,v in=$a do={'
            ' :set out ($out . "digitkey=" . [:typeof $k] . ";") } } on-error={ :set out ($out . "digitkey=error;") }\n'
            ':do { :set out ($out . "find=" . [:typeof [:find "abc" "z"]] . ";") }'
            ' on-error={ :set out ($out . "find=error;") }\n'
            ':do { :local p [:pick "abc" 5 7]; :set out ($out . "pick=" . [:typeof $p] . ":" . [:len $p] . ";") }'
            ' on-error={ :set out ($out . "pick=error;") }\n'
            ':do { :set out ($out . "ctlre=" . ("a\\01b" ~ "[\\01-\\1F]") . ";") }'
            ' on-error={ :set out ($out . "ctlre=error;") }\n'
        ),
        _fields("emailfields", encode.fragment("[/tool e-mail get]")),
        _fields("userfields", encode.join([first, um, encode.fragment(" user print as-value] 0]")])),
        _fields("sessionfields", encode.join([first, um, encode.fragment(" session print as-value] 0]")])),
        encode.join(
            [
                encode.fragment(":do { :local a [:len ["),
                um,
                encode.fragment(
                    ' session print as-value where active]]; :set out ($out . "whereactive=" . $a . ";") }'
                    ' on-error={ :set out ($out . "whereactive=error;") }\n'
                ),
            ]
        ),
    ]
    if dialect.user_manager_v7:
        parts.append(
            encode.join(
                [
                    encode.fragment(":do {\n  :local item [:pick ["),
                    um,
                    encode.fragment(
                        ' user find] 0]\n  :if ([:typeof $item] = "nil") do={ :error "no users" }\n  :local row ['
                    ),
                    um,
                    encode.fragment(
                        ' user monitor $item once as-value]\n  :local f ""\n'
                        '  :foreach k,v in=$row do={ :set f ($f . $k . ":" . [:typeof $v] . ",") }\n'
                        '  :set out ($out . "monitorfields=" . $f . ";")\n'
                        '} on-error={ :set out ($out . "monitorfields=error;") }\n'
                    ),
                ]
            )
        )
    if dialect.user_manager_v7:
        parts.append(_totals(um))
    if mail_to is not None:
        parts.append(_mail(mail_to))
    parts.append(encode.join([encode.fragment(":global "), encode.identifier(global_name), encode.fragment("\n")]))
    parts.append(encode.join([encode.fragment(":set "), encode.identifier(global_name), encode.fragment(" $out\n")]))
    return encode.join(parts)


def _totals(um: Rsc) -> Rsc:
    """Row 1: for the first :data:`MAX_COMPARED` users, ``monitor`` totals against the sums of their session rows.
    ``totals=compared,with traffic,apart,all users;`` and ``totalsapart=*id/dl/ul/session dl/session ul,…;`` (ids,
    not names: a name may hold any character)."""
    return encode.join(
        [
            encode.fragment(
                ':do {\n  :local n 0\n  :local traffic 0\n  :local apart 0\n  :local ids ""\n  :foreach item in=['
            ),
            um,
            encode.fragment(" user find] do={\n    :if ($n < "),
            encode.number(MAX_COMPARED),
            encode.fragment(") do={\n      :set n ($n + 1)\n      :local login ["),
            um,
            encode.fragment(" user get $item name]\n      :local m ["),
            um,
            encode.fragment(
                " user monitor $item once as-value]\n"
                "      :local sd 0\n      :local su 0\n      :local k 0\n      :foreach s in=["
            ),
            um,
            encode.fragment(
                " session print as-value where user=$login] do={\n"
                '        :set sd ($sd + ($s->"download")); :set su ($su + ($s->"upload")); :set k ($k + 1) }\n'
                '      :local td ($m->"total-download")\n      :local tu ($m->"total-upload")\n'
                "      :if ($td > 0 || $tu > 0 || $k > 0) do={ :set traffic ($traffic + 1) }\n"
                "      :if ($td != $sd || $tu != $su) do={\n        :set apart ($apart + 1)\n"
                '        :if ($apart <= 5) do={ :set ids ($ids . $item . "/" . $td . "/" . $tu . "/" . $sd . "/" . $su'
                ' . ",") }\n'
                "      }\n    }\n  }\n"
                '  :set out ($out . "totals=" . $n . "," . $traffic . "," . $apart . "," . [:len ['
            ),
            um,
            encode.fragment(
                ' user find]] . ";totalsapart=" . $ids . ";")\n} on-error={ :set out ($out . "totals=error;") }\n'
            ),
        ]
    )


def _mail(to: str) -> Rsc:
    """Send one test mail; record ``last-status`` before, right after ``send`` returns, and every change until a
    final status or :data:`MAIL_WATCH_S` seconds (``mailseq=0:in-progress,750:succeeded,`` in milliseconds)."""
    polls = MAIL_WATCH_S * 1000 // MAIL_POLL_MS
    return encode.join(
        [
            encode.fragment(':do {\n  :set out ($out . "mailbefore=" . [/tool e-mail get last-status] . ";")\n'),
            encode.fragment('  :local sent "ok"\n  :do { /tool e-mail send to='),
            encode.string(to),
            encode.fragment(" subject="),
            encode.string("rosbill probe: test mail"),
            encode.fragment(" body="),
            encode.string("A test mail from rosbill probe. It observes how /tool e-mail last-status moves.\n"),
            encode.fragment(' } on-error={ :set sent "error" }\n'),
            encode.fragment('  :set out ($out . "mailsend=" . $sent . ";")\n'),
            encode.fragment('  :local last [/tool e-mail get last-status]\n  :local seq ("0:" . $last . ",")\n'),
            encode.fragment("  :local i 0\n  :local done false\n  :while (!$done && $i < "),
            encode.number(polls),
            encode.fragment(") do={\n    :delay "),
            encode.fragment("250ms"),  # MAIL_POLL_MS
            encode.fragment(
                "\n    :set i ($i + 1)\n    :local s [/tool e-mail get last-status]\n"
                "    :if ($s != $last) do={ :set seq ($seq . ($i * "
            ),
            encode.number(MAIL_POLL_MS),
            encode.fragment(
                ') . ":" . $s . ","); :set last $s }\n'
                '    :if ($s = "succeeded" || $s = "failed") do={ :set done true }\n  }\n'
                '  :set out ($out . "mailseq=" . $seq . ";")\n'
                '} on-error={ :set out ($out . "mailseq=error;") }\n'
            ),
        ]
    )


def parse(text: str) -> dict[str, str]:
    """The answers the script left in its global: ``{"tonum08": "num:8", "date": "2026-11-30", …}``."""
    out: dict[str, str] = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if sep and key.strip():
            out[key.strip()] = value
    return out
