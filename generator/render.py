"""Renders one router's scripts from the config: Jinja2 per dialect, with every value passed through the encoder.

The Jinja environment is strict in two ways: ``StrictUndefined`` (a misspelt name is an error, not an empty string)
and a ``finalize`` that refuses anything in ``{{ … }}`` that is not :class:`generator.encode.Rsc` — encoder output. A
template therefore cannot emit a raw config value even by mistake; it can only emit values this module encoded.

Template lookup: ``rsc_templates/<dialect>/`` first, then ``rsc_templates/common/`` (a dialect file of the same name
overrides the common one). Must not: write files (``build.py``) or lint (``lint.py``).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import Any

import jinja2

from generator import __version__, encode, mailtext
from generator.config import (
    Config,
    MailTemplateConfig,
    NotifyChannelConfig,
    RouterConfig,
    literal_values,
    webhook_segments,
)
from generator.dialects import Dialect, for_version
from generator.encode import Rsc
from generator.errors import RenderError
from generator.linewrap import wrap_lines

#: (file, /system script name, what it does), in the order install.rsc creates them.
SCRIPTS = (
    (
        "functions.rsc",
        "BillingFunctions",
        "defines the functions the billing, mail, warning, Enforce and notify scripts share",
    ),
    (
        "monthend.rsc",
        "MonthEnd",
        "reads the date; tells the others the period due, the month end and whether the clock can be trusted",
    ),
    ("usagewarnings.rsc", "UsageWarnings", "e-mails users who crossed a usage level of their data cap"),
    ("billing.rsc", "Billing", "bills every ended period once, recording each bill before anything is sent"),
    ("billingmail.rsc", "BillingMail", "sends the bill mails and accounts copies still pending, and the report"),
    (
        "enforce.rsc",
        "Enforce",
        "fair use at the cap and unpaid accounts: sets each user's rate and address list, mails unpaid reminders",
    ),
    (
        "billingnotify.rsc",
        "BillingNotify",
        "sends bills, usage warnings and unpaid reminders by Telegram and webhooks (/tool fetch)",
    ),
    (
        "oversight.rsc",
        "Oversight",
        "the scheduled dispatcher (Billing, BillingMail, Enforce and BillingNotify as configured, else UsageWarnings)",
    ),
)
SCHEDULER_NAME = "Oversight"
#: The second scheduler entry: Oversight once shortly after every boot, so a run cut by a power failure (an
#: interrupted counter reset keeps users disabled) is finished within a minute of the router coming back.
BOOT_SCHEDULER_NAME = "OversightAtBoot"
BOOT_DELAY = "60s"
POLICY = ("read", "write", "test")
#: The router-wide billing state (invoice sequence, last billed period) is the comment of this script entry, which
#: Billing creates; rosbill deploy never writes it (its comment is not the managed mark).
LEDGER_NAME = "BillingState"
LEDGER_SOURCE = (
    "# rosbill keeps the router-wide billing state (the invoice number sequence, the last billed\n"
    "# period, mail still to be delivered) in the comment of this entry. Billing reads and writes\n"
    "# it; do not edit or remove it.\n"
)
LEDGER_COMMENT = "rosbill billing state, do not edit: rb{}"
#: BillingMail writes every attempt, then waits this long before the first mail goes out (assumption 29 of
#: docs/assumptions.md: a write older than this survives a power cut).
FLUSH_WAIT = "5s"
#: Bodies are cut into parts below RouterOS's limit ("just under 64 kB", EW 74dc809b), with room for the template.
BODY_LIMIT = 60000
PART_LIMIT = 30000
#: Before this date the scripts take the clock to be wrong (a router without a battery clock boots on 1970-01-02).
#: The year this rosbill release was made in; the ledger adds that the clock never goes back (day= in BillingState).
FLOOR_DATE = "2026-01-01"
#: The global functions BillingFunctions defines (rsc_templates/common/functions.rsc.j2), declared by their users.
FUNCTIONS = (
    "rbParseState",
    "rbWriteState",
    "rbDecimal",
    "rbMoney",
    "rbSend",
    "rbChecks",
    "rbMonthIndex",
    "rbPeriodOf",
    "rbMailWhen",
    "rbMailNext",
    "rbMakeBill",
    "rbMailTimeLeft",
    "rbUsageLevel",
    "rbReadTotal",
    "rbOnline",
    "rbCloseSessions",
)
#: rosbill deploy manages exactly the entries whose comment starts with this.
MANAGED_MARK = "managed by rosbill"
MANAGED_COMMENT = f"{MANAGED_MARK}: do not edit here; change config/billing.yaml and deploy"


@dataclass(frozen=True, slots=True)
class RenderedRouter:
    router: RouterConfig
    dialect: Dialect
    #: file name → content, in a stable order; scripts first, then install.rsc and manifest.json.
    files: dict[str, bytes]


def template_root() -> Path:
    """The rsc_templates folder: inside the installed package (a wheel maps it to generator/rsc_templates), or at
    the top of a source checkout (editable installs and ``python -m generator`` from the repository)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rsc_templates", here.parent / "rsc_templates"):
        if (candidate / "common").is_dir():
            return candidate
    raise RenderError(f"the rsc_templates folder is missing (looked in {here} and {here.parent})")


def _finalize(value: Any) -> Any:
    if isinstance(value, Rsc):
        return value
    raise RenderError(
        f"a template tried to emit {type(value).__name__} {str(value)[:60]!r} without the encoder; "
        "pass it through generator.encode (values) or generator.encode.fragment (fixed code)"
    )


@functools.lru_cache(maxsize=32)
def environment(dialect: Dialect) -> jinja2.Environment:
    """One environment per dialect (cached: Jinja then compiles each template once per process)."""
    root = template_root()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(root / d) for d in dialect.template_dirs]),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


# --------------------------------------------------------------------------------------------------------------------
# Placeholders → RouterOS expressions

#: Placeholders that are per-user or per-run values on the router: the variable the scripts hold them in.
_VARIABLES = {
    "first_name": "uFirst",
    "last_name": "uLast",
    "username": "uName",
    "email": "uEmail",
    "package": "uPkg",
    "used_mb": "usedMb",
    "cap_mb": "capMb",
    "cap": "capText",
    "percent": "percent",
    "level": "level",
    "price": "priceText",
    "discount": "discText",
    "amount_due": "dueText",
    "invoice": "invoice",
    "period": "period",
    "date": "today",
    "problems": "reportText",
    "billed": "billed",
    "number": "invNum",
    "bills": "digestBills",
    "count": "digestCount",
    "part": "digestPart",
    "parts": "digestParts",
    "days_overdue": "daysOver",
    "owed_period": "owedPeriod",
}


def _placeholder(name: str, kind: str, literals: dict[str, str]) -> Rsc | str:
    """The RouterOS expression for a placeholder, or the literal text it stands for (company-level values)."""
    if name in literals:
        return literals[name]
    if name == "price" and kind.endswith("warning"):  # the bill's price text is not computed in UsageWarnings
        return encode.command_subst(encode.fragment('$rbMoney cents=($pkgs->$uPkg->"price")'))
    if name == "year":
        return encode.command_subst(encode.fragment(":pick $period 0 4"))
    if name == "month":
        return encode.command_subst(encode.fragment(":pick $period 5 7"))
    return encode.variable(_VARIABLES[name])


def _expression(parts: list[Rsc | str]) -> Rsc:
    """``(a . b . c)`` from encoded pieces and literal text (adjacent text merged, then encoded once)."""
    return encode.fragment("(") + _concatenation(parts) + encode.fragment(")")


def _concatenation(parts: list[Rsc | str]) -> Rsc:
    """``a . b . c`` (no parentheses)."""
    merged: list[Rsc] = []
    text = ""
    for part in parts:
        if isinstance(part, Rsc):
            if text:
                merged.append(encode.string(text))
                text = ""
            merged.append(part)
        else:
            text += part
    if text or not merged:
        merged.append(encode.string(text))
    return encode.join(merged, " . ")


def _parts(template: str, kind: str, literals: dict[str, str]) -> list[Rsc | str]:
    return [
        seg.text if not seg.placeholder else _placeholder(seg.placeholder, kind, literals)
        for seg in mailtext.parse(template)
    ]


def compile_mail(template: MailTemplateConfig, kind: str, literals: dict[str, str]) -> Rsc:
    """RouterOS statements that leave the mail in ``$mSubject`` and ``$mBody`` (one ``:set`` per body line).

    The template declares both locals where the mail is sent.
    """
    lines = [encode.fragment(":set mSubject ") + _expression(_parts(template.subject, kind, literals))]
    lines.append(encode.fragment(':set mBody ""'))
    current: list[Rsc | str] = []
    for part in _parts(template.body, kind, literals):
        if isinstance(part, Rsc):
            current.append(part)
            continue
        while "\n" in part:
            head, part = part.split("\n", 1)
            current.append(head + "\n")
            lines.append(encode.fragment(":set mBody ($mBody . ") + _concatenation(current) + encode.fragment(")"))
            current = []
        if part:
            current.append(part)
    if current:
        lines.append(encode.fragment(":set mBody ($mBody . ") + _concatenation(current) + encode.fragment(")"))
    return encode.join(lines, "\n")


def invoice_expression(config: Config, router: RouterConfig) -> Rsc:
    return _expression(_parts(config.billing.invoice.format, "invoice", {"router": router.name}))


# --------------------------------------------------------------------------------------------------------------------
# Rendering


_REPORT_RUN = {"BillingMail": "Billing"}


def _uses(text: str, placeholder: str) -> bool:
    """Whether ``text`` has the placeholder ``{placeholder}`` (``{{`` and ``}}`` are literal braces)."""
    return any(m.group(1) == placeholder for m in mailtext.TOKEN.finditer(text))


def _report_template(config: Config, run_name: str) -> MailTemplateConfig:
    """The accounts report of ``run_name``: UsageWarnings bills nobody, so its report leaves out every body line that
    uses ``{billed}`` (docs/config.md, `mail`); Billing's report is the template as written."""
    template = config.mail.accounts_report
    if run_name == "Billing":
        return template
    body = "".join(line for line in template.body.splitlines(keepends=True) if not _uses(line, "billed"))
    return template.model_copy(update={"body": body}) if body.strip() else template


def _literals(config: Config, run_name: str = "") -> dict[str, str]:
    return literal_values(config, run_name)


def _context(config: Config, router: RouterConfig, dialect: Dialect) -> dict[str, Any]:
    packages = {
        name: {"cap": package.cap_bytes or 0, "price": package.price_cents} for name, package in config.packages.items()
    }
    billing = config.billing
    budget = billing.mail_budget_seconds
    # A lock older than two mail budgets (plus time for the rest of a run) belongs to a run that was stopped by hand.
    stale = 2 * budget + 3600
    resend = config.mail.resend
    return {
        "rosbill_version": encode.comment_text(__version__),
        "routeros_version": encode.comment_text(str(router.version)),
        "dialect_name": encode.word(dialect.name),
        "router_name": encode.comment_text(router.name),
        "um": encode.menu(dialect.um_menu),
        "packages": [(encode.string(name), encode.array(dict(info))) for name, info in packages.items()],
        "levels": encode.array(list(config.warnings.levels)),
        "sender": encode.string(config.company.sender),
        "accounts": encode.string(config.company.accounts_email),
        "every_level": config.warnings.accounts_copy == "every-level",
        "accounts_copy_condition": (
            encode.boolean(True) if config.warnings.accounts_copy == "every-level" else encode.fragment("$level >= 100")
        ),
        "invoice_start": encode.number(billing.invoice.start),
        "invoice_expr": invoice_expression(config, router),
        "reset": billing.counter_reset == "reset",
        "close_sessions": list(billing.close_sessions),
        "close_wait": encode.time(billing.close_wait),
        "digest": billing.accounts_copies == "digest",
        "budget": encode.time(billing.mail_budget),
        "budget_text": encode.comment_text(billing.mail_budget),
        "stale_seconds": encode.number(stale),
        "stale_text": encode.comment_text(f"{stale // 3600} h"),
        "body_limit": encode.number(BODY_LIMIT),
        "digest_limit": encode.number(PART_LIMIT),
        "digest_limit_text": encode.comment_text(f"{PART_LIMIT // 1000} kB"),
        "report_limit": encode.number(PART_LIMIT),
        "report_limit_text": encode.comment_text(f"{PART_LIMIT // 1000} kB"),
        "resend_subject_prefix": encode.string(resend.subject_prefix),
        "flush_wait": encode.time(FLUSH_WAIT),
        "resend_note": encode.string(resend.note),
        "resend_line_prefix": encode.string("(re-sent) "),
        "send_waits": dialect.email_send_failure_raises,
        "resolve_smtp": dialect.email_server_wants_ip and config.smtp is not None,
        "smtp_host": encode.string(config.smtp.server if config.smtp else ""),
        "floor_day": encode.number((_date.fromisoformat(FLOOR_DATE) - _date(1970, 1, 1)).days),
        "floor_date": encode.string(FLOOR_DATE),
        # One line of the entry's source per physical line (a backslash-newline inside a string joins them).
        "ledger_source": encode.string(LEDGER_SOURCE, wrap=116, indent=" " * 18),
        "ledger_comment": encode.string(LEDGER_COMMENT),
        **_enforce_context(config, dialect),
        **notify_context(config, dialect),
    }


def _enforce_context(config: Config, dialect: Dialect) -> dict[str, Any]:
    """What Enforce needs: each package's fair-use steps (levels, and the rate of each on RouterOS 7 or the profile on
    RouterOS 6: two lists), the unpaid restriction; on RouterOS 6 the profiles it moves users to (``enforce_profiles``)
    and whether package detection reads ``tpk=`` (``tpk_on``; off, every script renders as before)."""
    billing = config.billing
    unpaid = billing.unpaid
    by_profile = dialect.enforce_by_profile
    wanted = "profile" if by_profile else "rate"
    steps = [(name, p.fair_use) for name, p in config.packages.items() if p.fair_use]
    enforce_on = bool(steps) or billing.grace_days is not None
    unpaid_value = unpaid.profile if by_profile else unpaid.rate
    wrong = [f"packages.{name}.fair_use" for name, found in steps if any(getattr(s, wanted) is None for s in found)]
    if billing.grace_days is not None and (
        (by_profile and unpaid.profile is None) or (not by_profile and unpaid.rate is None and not unpaid.address_list)
    ):
        wrong.append("billing.unpaid")
    if wrong:
        how = (
            "name User Manager profiles (profile:), as RouterOS 6 users have no attributes"
            if by_profile
            else "name rates (rate:, address_list:), as RouterOS 7 sets the user's attributes"
        )
        raise RenderError(
            f"RouterOS {dialect.version}: {', '.join(wrong)} must {how} (docs/enforce.md); build for the router the "
            "config was written for"
        )
    fair = [
        (
            encode.string(name),
            encode.array([s.level for s in found]),
            encode.array([str(getattr(s, wanted)) for s in found]),
        )
        for name, found in steps
    ]
    ours = sorted({str(s.profile) for _, found in steps for s in found if s.profile is not None} | (
        {unpaid.profile} if unpaid.profile is not None and billing.grace_days is not None else set()
    ))  # fmt: skip
    profile_mode = by_profile and enforce_on
    enforce_close = [m for m in billing.close_sessions if m != "user-manager"]
    return {
        "fair_use": fair,
        "enforce_on": enforce_on,
        "unpaid_on": billing.grace_days is not None,
        "grace_days": encode.number(billing.grace_days or 0),
        "unpaid_rate": encode.string(unpaid_value or ""),
        "unpaid_list": encode.string("" if by_profile else (unpaid.address_list or "")),
        "reminder": billing.grace_days is not None and unpaid.reminder,
        "enforce_close": enforce_close,
        # BillingFunctions' rbCloseSessions: for Billing's counter reset, and for Enforce's changed users.
        "close_function": bool(enforce_close) and (billing.counter_reset == "reset" or enforce_on),
        "enforce_profiles": profile_mode,
        "our_profiles": encode.array(dict.fromkeys(ours, "")),
        "tpk_on": profile_mode,
    }


#: The script entry whose source holds the notify channels' tokens; rosbill deploy writes it (docs/notify.md).
NOTIFY_KEYS_NAME = "BillingNotifyKeys"
_JSON_QUOTE = '"'


def notify_context(config: Config, dialect: Dialect) -> dict[str, Any]:
    """What BillingNotify (and Oversight, Billing) need of the ``notify`` section: per channel the request it sends
    (URL, JSON body, headers as RouterOS expressions whose router data goes through rbJsonText/rbUrlText), per kind the
    text and its channels."""
    notify = config.notify
    off: dict[str, Any] = {"notify_on": False, "notify_bill": False, "notify_warning": False, "notify_reminder": False}
    if notify is None:
        return off
    literals = _literals(config, "BillingNotify")
    channels = []
    for name, channel in notify.channels.items():
        telegram = channel.type == "telegram"
        channels.append(
            {
                "name": encode.string(name),
                "env": encode.string(channel.token_env),
                # "need": a token is required (the Bot API's), "may": optional (a webhook's bearer), "": none.
                "key_rule": encode.string("need" if telegram else "may" if channel.token_env else ""),
                # check-certificate is for HTTPS only (Fetch manual): a plain http:// URL is sent with "no".
                "cert": encode.string(
                    "yes" if channel.check_certificate and channel.api.startswith("https:") else "no"
                ),
                "telegram_rsc": encode.boolean(telegram),
                "request": _notify_request(channel),
            }
        )
    messages = notify.messages()
    text = {kind: _expression(_parts(m.text, kind, literals)) for kind, m in messages.items()}
    uses = {kind: encode.array(list(m.channels)) for kind, m in messages.items()}
    return {
        "notify_on": True,
        "notify_bill": "user_bill" in messages,
        "notify_warning": "user_warning" in messages,
        "notify_reminder": "unpaid_reminder" in messages,
        # What the reminder's text needs computed beyond the bill's placeholders (only then is the code there;
        # {percent} is bill_vars', for every bill and reminder text that uses it).
        "reminder_days": "unpaid_reminder" in messages and _uses(messages["unpaid_reminder"].text, "days_overdue"),
        "notify_channels": channels,
        "notify_text": text,
        "notify_uses": uses,
        "notify_budget": encode.time(notify.budget),
        "notify_budget_text": encode.comment_text(notify.budget),
        "notify_max": encode.number(notify.max_per_run),
        "notify_max_text": encode.string_text(str(notify.max_per_run)),
        "fetch_duration": dialect.has_fetch_duration,
        "fetch_timeout": encode.time(notify.timeout),
        "control_bytes": encode.string(bytes(range(1, 0x20))),
        "all_bytes": encode.string(bytes(range(1, 0x100))),
    }


def _notify_request(channel: NotifyChannelConfig) -> Rsc:
    """``:set url``, ``:set body`` (and, with a bearer token, ``headers``) of one channel's request."""
    json_text = {
        "text": encode.fragment("[$rbJsonText s=$text]"),
        "phone": encode.fragment("[$rbJsonText s=$uPhone]"),
        "username": encode.fragment("[$rbJsonText s=$uName]"),
        "kind": encode.fragment("[$rbJsonText s=$kind]"),
    }
    url_text = {
        "phone": encode.fragment("[$rbUrlText s=$uPhone]"),
        "username": encode.fragment("[$rbUrlText s=$uName]"),
    }
    headers: Rsc | None = None
    if channel.type == "telegram":
        url: list[Rsc | str] = [channel.api + "/bot", encode.variable("key"), "/sendMessage"]
        chat = encode.fragment("[$rbJsonText s=$uTg]")
        body: list[Rsc | str] = ['{"chat_id":"', chat, '","text":"', json_text["text"], '"}']
    else:
        url = [
            text if not placeholder else url_text[placeholder] for text, placeholder in webhook_segments(channel.url)
        ]
        body = []
        for text, placeholder in webhook_segments(channel.body):
            body.extend([text] if not placeholder else [_JSON_QUOTE, json_text[placeholder], _JSON_QUOTE])
        if channel.token_env:
            headers = encode.fragment(
                ':if ([:len $key] > 0) do={ :set headers ($headers . ",Authorization: Bearer " . $key) }'
            )
    lines = [encode.fragment(":set url ") + _expression(url), encode.fragment(":set body ") + _expression(body)]
    return encode.join([*lines, headers] if headers is not None else lines, "\n")


def _mails(config: Config, run_name: str) -> dict[str, Rsc]:
    literals = _literals(config, run_name)
    kinds = ("user_warning", "accounts_warning", "user_bill", "accounts_bill", "accounts_digest", "unpaid_reminder")
    return {kind: compile_mail(getattr(config.mail, kind), kind, literals) for kind in kinds}


def _purpose(config: Config, dialect: Dialect, name: str, purpose: str) -> str:
    if name == "Enforce" and dialect.enforce_by_profile:
        # RouterOS 6: no user attributes; Enforce moves the user between profiles (docs/enforce.md).
        return (
            "fair use at the cap and unpaid accounts: moves users to the operator's profiles and back, mails reminders"
        )
    if name == "Billing":
        if config.billing.counter_reset == "reset":
            return purpose + "; resets the counters of billed users who are offline"
        return purpose + "; never resets the counters (baseline: usage counts from the billed total)"
    return purpose


def build_id(router: RouterConfig, config_sha256: str) -> str:
    """What a script's header names its build by: a hash of everything the output depends on (rosbill's version,
    the config's bytes, the router and its RouterOS), so the same input gives the same id."""
    key = f"rosbill {__version__}\nconfig {config_sha256}\nrouter {router.name}\nrouteros {router.version}\n"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def render_scripts(config: Config, router: RouterConfig, config_sha256: str = "") -> dict[str, bytes]:
    """The scripts of one router, by file name (``config_sha256``: the config file's hash, for the headers)."""
    dialect = for_version(router.version)
    env = environment(dialect)
    base = _context(config, router, dialect)
    base.update(_header(router, dialect, config_sha256))
    base["functions"] = [encode.identifier(f) for f in FUNCTIONS]
    out: dict[str, bytes] = {}
    # The functions' id is a hash of their script, so every change of them is a new id (rbFunctions).
    draft = _render_one(env, base, config, "functions.rsc", "BillingFunctions", SCRIPTS[0][2], encode.string(""))
    base["functions_id"] = encode.string(hashlib.sha256(draft).hexdigest()[:16])
    for file, name, purpose in SCRIPTS:
        out[file] = _render_one(
            env, base, config, file, name, _purpose(config, dialect, name, purpose), base["functions_id"]
        )
    return out


def _header(router: RouterConfig, dialect: Dialect, config_sha256: str) -> dict[str, Rsc]:
    return {
        "requires": encode.comment_text(dialect.requires_text()),
        "policy_header": encode.comment_text(",".join(POLICY)),
        "build_id": encode.comment_text(build_id(router, config_sha256)),
        "config_digest": encode.comment_text(f"{config_sha256[:16]}..." if config_sha256 else "not given"),
    }


def _render_one(
    env: jinja2.Environment, base: dict[str, Any], config: Config, file: str, name: str, purpose: str, fid: Rsc
) -> bytes:
    context = dict(base)
    context.update(
        functions_id=fid,
        log=encode.string_text(f"rosbill: {name}: "),
        script_name=encode.comment_text(name),
        purpose=encode.comment_text(purpose),
        run_name=encode.string(name),
        mails=_mails(config, name),
        report_mail=encode.indent(
            # BillingMail sends the report of the night's billing: {run} says Billing.
            compile_mail(
                _report_template(config, _REPORT_RUN.get(name, name)),
                "accounts_report",
                _literals(config, _REPORT_RUN.get(name, name)),
            ),
            2,
        ),
    )
    try:
        text = env.get_template(file + ".j2").render(context)
    except jinja2.TemplateError as error:
        raise RenderError(f"template {file}.j2: {error}") from None
    return _ascii(wrap_lines(text), file)


def _ascii(text: str, file: str) -> bytes:
    try:
        return text.encode("ascii")
    except UnicodeEncodeError as error:  # the encoder escapes every value, so only a template edit can do this
        raise RenderError(f"{file}: non-ASCII character {text[error.start]!r} in the output") from None


def render(config: Config, router: RouterConfig, config_sha256: str) -> RenderedRouter:
    """Everything ``build/<router>/`` holds: the scripts, install.rsc and manifest.json."""
    dialect = for_version(router.version)
    scripts = render_scripts(config, router, config_sha256)
    env = environment(dialect)
    context = _context(config, router, dialect)
    context.update(_header(router, dialect, config_sha256))
    start = config.schedule.time
    context.update(
        scripts=[
            {"name": encode.string(name), "source": encode.string(scripts[file].decode("ascii"), wrap=100)}
            for file, name, _ in SCRIPTS
        ],
        managed_comment=encode.string(MANAGED_COMMENT),
        policy=encode.word_list(POLICY),
        policy_text=encode.string(";".join(POLICY)),
        policy_text_commas=encode.string(",".join(POLICY)),
        schedulers=[
            {
                "name": encode.string(SCHEDULER_NAME),
                "on_event": encode.string(f"/system script run {SCHEDULER_NAME}"),
                "start_time": encode.time(start),
                "start_time_text": encode.string(start),
                "interval": encode.time(config.schedule.interval),
            },
            {
                "name": encode.string(BOOT_SCHEDULER_NAME),
                "on_event": encode.string(_boot_on_event()),
                "start_time": encode.word("startup"),
                "start_time_text": encode.string("startup"),
                "interval": encode.time("0s"),
            },
        ],
        smtp=_smtp(config, dialect),
        email_server_param=encode.word(dialect.email_server_param),
        email_tls_param=encode.word(dialect.email_tls_param),
        email_server_value=_smtp_server(config, dialect),
    )
    try:
        install = _ascii(wrap_lines(env.get_template("install.rsc.j2").render(context)), "install.rsc")
    except jinja2.TemplateError as error:
        raise RenderError(f"template install.rsc.j2: {error}") from None
    files = dict(scripts)
    files["install.rsc"] = install
    files["manifest.json"] = manifest(config, router, dialect, files, config_sha256)
    return RenderedRouter(router=router, dialect=dialect, files=files)


def _boot_on_event() -> str:
    # User Manager and the NTP client need a moment after boot (EW doc/global-wait.md: startup races).
    return f":delay {BOOT_DELAY}; /system script run {SCHEDULER_NAME}"


def _smtp(config: Config, dialect: Dialect) -> dict[str, Rsc] | None:
    smtp = config.smtp
    if smtp is None:
        return None
    tls = dialect.email_tls_value(smtp.tls)
    server = _smtp_server(config, dialect)
    # What `/tool e-mail get` should show once set: compared as text, so an import changes only what differs.
    wanted = {
        dialect.email_server_param: server,
        "port": encode.string(str(smtp.port)),
        dialect.email_tls_param: encode.string(tls),
        "user": encode.string(smtp.user),
        "from": encode.string(config.company.sender),
    }
    if dialect.email_server_wants_ip:  # [:resolve "host"]: an IP value, compared as text
        wanted[dialect.email_server_param] = encode.command_subst(encode.fragment(":tostr ") + server)
    return {
        "port": encode.number(smtp.port),
        "tls": encode.word(tls),
        "user": encode.string(smtp.user),
        "wanted": encode.array(dict(wanted)),
    }


def _smtp_server(config: Config, dialect: Dialect) -> Rsc:
    if config.smtp is None:
        return encode.string("")
    if dialect.email_server_wants_ip:  # address= takes an IP: resolve the name at import
        return encode.command_subst(encode.fragment(":resolve ") + encode.string(config.smtp.server))
    return encode.string(config.smtp.server)


def manifest(
    config: Config, router: RouterConfig, dialect: Dialect, files: dict[str, bytes], config_sha256: str
) -> bytes:
    """What was built, for deploy and for humans: hashes, not timestamps, so the same input gives the same bytes."""
    data = {
        "rosbill_version": __version__,
        "router": router.name,
        "routeros_version": str(router.version),
        "dialect": dialect.name,
        "config_sha256": config_sha256,
        "managed_comment": MANAGED_COMMENT,
        "scripts": [
            {
                "name": name,
                "file": file,
                "policy": ",".join(POLICY),
                "sha256": hashlib.sha256(files[file]).hexdigest(),
            }
            for file, name, _ in SCRIPTS
        ],
        "schedulers": [
            {
                "name": SCHEDULER_NAME,
                "start_time": config.schedule.time,
                "interval": config.schedule.interval,
                "on_event": f"/system script run {SCHEDULER_NAME}",
                "policy": ",".join(POLICY),
            },
            {
                "name": BOOT_SCHEDULER_NAME,
                "start_time": "startup",
                "interval": "0s",
                "on_event": _boot_on_event(),
                "policy": ",".join(POLICY),
            },
        ],
        "files": {name: hashlib.sha256(content).hexdigest() for name, content in files.items()},
    }
    return (json.dumps(data, indent=2, sort_keys=False) + "\n").encode("ascii")
