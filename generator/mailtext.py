"""The operator's text templates (mail subjects and bodies, the invoice number format) and their placeholders.

A template is text with ``{placeholder}`` fields; ``{{`` and ``}}`` stand for literal braces. :func:`parse` splits a
template into literal and placeholder segments, :func:`check` reports unknown placeholders and placeholders that the
template's kind does not offer. The renderer turns the segments into RouterOS string expressions; the literal parts go
through the one encoder like every other value.

Must not: know RouterOS syntax.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: Placeholders, what they hold, and which templates offer them.
PLACEHOLDERS: dict[str, str] = {
    "first_name": "the user's first name",
    "last_name": "the user's last name",
    "username": "the User Manager login name",
    "email": "the user's e-mail address",
    "package": "the package (User Manager profile, or pkg= in the comment)",
    "used_mb": "download + upload this period, in MB (10^6 bytes)",
    "cap_mb": "the data cap in MB, or 'unlimited'",
    "cap": "the data cap with its unit, e.g. '3000 MB', or 'unlimited'",
    "percent": "used as a whole percentage of the cap (rounded down)",
    "level": "the warning level just reached, in percent",
    "price": "the package's monthly price, e.g. 299.00",
    "discount": "the discount on this bill, e.g. 29.90",
    "amount_due": "price minus discount, never below 0.00",
    "invoice": "the invoice number, formatted by billing.invoice.format",
    "period": "the billing period, YYYY-MM",
    "date": "the router's date when the mail was made, YYYY-MM-DD",
    "company": "company.name",
    "currency": "company.currency",
    "banking": "company.banking",
    "tax_line": "company.tax_line",
    "run": "the script that sent the report (Billing or UsageWarnings)",
    "problems": "one line per user that was skipped, per mail that failed and per mail still outstanding ('none')",
    "billed": "how many users this Billing run billed",
    "number": "the invoice number: the router's sequence (billing.invoice.start, then up by one per bill)",
    "router": "the router's name (routers[].name)",
    "bills": "the accounts lines of the bills in this digest mail",
    "count": "how many bills this digest mail lists",
    "part": "this digest mail's number (1, 2, ...) when one run's bills need several mails",
    "parts": "how many digest mails this run sends",
    "year": "the billing period's year",
    "month": "the billing period's month, two digits",
    "days_overdue": "days since the oldest unpaid bill's period ended",
    "grace_days": "billing.grace_days",
    "owed_period": "the oldest unpaid period, YYYY-MM (owe= in the comment)",
}

_USER = (
    "first_name",
    "last_name",
    "username",
    "email",
    "package",
    "used_mb",
    "cap_mb",
    "cap",
    "percent",
    "price",
    "period",
    "date",
    "company",
    "currency",
    "banking",
    "tax_line",
)
KIND_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "user_warning": frozenset((*_USER, "level")),
    "accounts_warning": frozenset((*_USER, "level")),
    "user_bill": frozenset((*_USER, "discount", "amount_due", "invoice")),
    # The comment holds the last bill: {invoice} and {amount_due} are that bill's, {owed_period} the oldest unpaid one.
    "unpaid_reminder": frozenset(
        (*_USER, "discount", "amount_due", "invoice", "days_overdue", "grace_days", "owed_period")
    ),
    "accounts_bill": frozenset((*_USER, "discount", "amount_due", "invoice")),
    "accounts_report": frozenset(("run", "problems", "billed", "period", "date", "company")),
    "accounts_digest": frozenset(("bills", "count", "part", "parts", "date", "company")),
    "invoice": frozenset(("number", "router", "username", "period", "year", "month")),
}
KINDS = (
    "user_warning",
    "accounts_warning",
    "user_bill",
    "accounts_bill",
    "accounts_report",
    "accounts_digest",
    "unpaid_reminder",
)
#: What each mail must contain somewhere (subject or body): an error without it, or only a warning.
REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    "user_bill": (("invoice", "error"), ("amount_due", "error"), ("period", "warning")),
    "accounts_bill": (("invoice", "error"), ("amount_due", "error"), ("username", "error")),
    "accounts_digest": (("bills", "error"),),
    "accounts_report": (("problems", "error"),),
    "user_warning": (("level", "warning"),),
    "unpaid_reminder": (("owed_period", "warning"), ("invoice", "warning")),
    "accounts_warning": (("username", "warning"), ("level", "warning")),
}


def mentions(template: str, name: str) -> bool:
    return any(seg.placeholder == name for seg in parse(template))


#: Placeholders of the invoice format whose text has a fixed width, and those that can hold anything.
_FIXED_WIDTH = {"period": 7, "year": 4, "month": 2}
_FREE = ("router", "username")


@dataclass(frozen=True, slots=True)
class Segment:
    """Literal text (``placeholder`` empty) or a placeholder (``text`` empty)."""

    text: str = ""
    placeholder: str = ""


TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|\{|\}")  # a literal brace pair, a placeholder, a stray brace
_TOKEN = TOKEN


def parse(template: str) -> tuple[Segment, ...]:
    """Splits ``template`` into segments. Unbalanced braces are kept literally (:func:`check` reports them)."""
    out: list[Segment] = []
    text = ""
    pos = 0
    for found in _TOKEN.finditer(template):
        text += template[pos : found.start()]
        token = found.group(0)
        if token in ("{{", "}}"):
            text += token[0]
        elif found.group(1) is not None:
            if text:
                out.append(Segment(text=text))
                text = ""
            out.append(Segment(placeholder=found.group(1).strip()))
        else:
            text += token
        pos = found.end()
    text += template[pos:]
    if text:
        out.append(Segment(text=text))
    return tuple(out)


#: Placeholders whose value has several lines: never in a subject (a line break there would start mail headers).
MULTILINE = frozenset({"problems", "bills", "banking"})


def check(template: str, kind: str, *, subject: bool = False) -> list[tuple[str, str]]:
    """Problems as (the offending text, message). ``subject``: the template is a mail subject (one line)."""
    offered = KIND_PLACEHOLDERS[kind]
    problems: list[tuple[str, str]] = []
    for found in _TOKEN.finditer(template):
        token = found.group(0)
        if token in ("{", "}"):
            problems.append((token, f'a lone "{token}"; write "{token * 2}" for a literal brace'))
            continue
        name = found.group(1)
        if name is None:
            continue
        name = name.strip()
        if name not in PLACEHOLDERS:
            close = difflib.get_close_matches(name, sorted(offered), n=1, cutoff=0.5)
            hint = f" (did you mean {{{close[0]}}}?)" if close else f"; available: {_listing(offered)}"
            problems.append((token, f"unknown placeholder {{{name}}}{hint}"))
        elif name not in offered:
            problems.append((token, f"{{{name}}} is not available in this template; available: {_listing(offered)}"))
        elif subject and name in MULTILINE:
            problems.append((token, f"{{{name}}} has several lines and cannot go in a subject; put it in the body"))
    return problems


def invoice_problems(template: str, several_routers: bool) -> list[tuple[str, str]]:
    """Why the invoice format might give two bills the same text, as (the offending text, message); [] if it cannot.

    Invoice numbers come from one sequence per router, so the text is unique when the number (and, with several
    routers, the router) can be read back from it. That holds when {number} appears once, with a non-digit literal
    character (or the start or end of the text) on each side, and at most one placeholder of free text ({router},
    {username}) appears: then the text parses unambiguously from both ends towards the free part.
    """
    segments = parse(template)
    names = [seg.placeholder for seg in segments if seg.placeholder]
    problems: list[tuple[str, str]] = []
    if names.count("number") != 1:
        what = "has no {number}" if "number" not in names else "has {number} more than once"
        problems.append(
            (
                "{number}" if "number" in names else template,
                f"the invoice format {what}; invoice numbers "
                "must be unique, and only the router's sequence number makes them so",
            )
        )
        return problems
    index = next(i for i, seg in enumerate(segments) if seg.placeholder == "number")
    before = segments[index - 1] if index > 0 else None
    after = segments[index + 1] if index + 1 < len(segments) else None
    for side, seg, edge in (("before", before, -1), ("after", after, 0)):
        if seg is None:
            continue
        if seg.placeholder or seg.text[edge].isdigit():
            problems.append(
                (
                    "{number}",
                    f"{{number}} needs a separator that is not a digit {side} it (e.g. EW-{{number}}), "
                    "or two different numbers could give the same invoice text",
                )
            )
    free = [n for n in names if n in _FREE]
    if len(free) > 1:
        problems.append(
            (
                f"{{{free[1]}}}",
                "the invoice format may hold only one of {router} and {username} (once): "
                "with two parts of free text, different bills could give the same invoice text",
            )
        )
    if several_routers and "router" not in names:
        problems.append(
            (
                template,
                "with several routers the invoice format must contain {router}: every router "
                "counts its own invoice numbers",
            )
        )
    return problems


def _listing(names: frozenset[str]) -> str:
    return ", ".join("{" + n + "}" for n in sorted(names))


DEFAULTS: dict[str, dict[str, str]] = {
    "user_warning": {
        "subject": "{company}: you have used {level}% of your {package} data",
        "body": (
            "Dear {first_name} {last_name},\n\n"
            "You have used {used_mb} MB of your {cap} {package} data cap this month ({percent}%).\n"
            "This is an automatic notice at {level}% of your cap.\n\n"
            "{company}\n"
        ),
    },
    "accounts_warning": {
        "subject": "Usage warning {level}%: {username} ({package})",
        "body": (
            "{username} ({first_name} {last_name}, {email}) has used {used_mb} MB of {cap} ({percent}%) on {date}.\n"
        ),
    },
    "user_bill": {
        "subject": "{company} invoice {invoice} for {period}",
        "body": (
            "Dear {first_name} {last_name},\n\n"
            "Invoice: {invoice}\nPeriod: {period}\nPackage: {package}\n"
            "Data used: {used_mb} MB of {cap}\n\n"
            "Package price: {currency} {price}\nDiscount: {currency} {discount}\nAmount due: {currency} {amount_due}\n"
            "{tax_line}\n\nPlease pay into:\n{banking}\n\nUse {invoice} as your payment reference.\n\n{company}\n"
        ),
    },
    "unpaid_reminder": {
        "subject": "{company}: your account is restricted: bill for {owed_period} unpaid",
        "body": (
            "Dear {first_name} {last_name},\n\n"
            "We have not received payment for {owed_period}, {days_overdue} days after the period ended, so your "
            "connection is restricted until we do.\n\n"
            "Last invoice: {invoice}, amount due {currency} {amount_due}\n\n"
            "Please pay into:\n{banking}\n\nUse {invoice} as your payment reference. Your connection is restored "
            "within a day of the payment being recorded.\n\n{company}\n"
        ),
    },
    "accounts_bill": {
        "subject": "Invoice {invoice}: {username} {currency} {amount_due}",
        "body": (
            "{invoice} {period} {username} ({first_name} {last_name}, {email}) {package}: "
            "{used_mb} MB, price {price}, discount {discount}, due {currency} {amount_due}\n"
        ),
    },
    "accounts_digest": {
        "subject": "{company}: {count} invoices ({date}, part {part} of {parts})",
        "body": "Copies of the invoices made or re-sent on {date}:\n\n{bills}\n{company}\n",
    },
    "accounts_report": {
        "subject": "{company}: {run} report {date}",
        "body": (
            "{run} ran on {date} (period {period}).\nUsers billed: {billed}\n\n"
            "Skipped users and failed e-mails:\n{problems}\n"
        ),
    },
}
