"""Every config the validator accepts builds scripts under the 30,000-byte limit (lint RB004).

The matrix is the largest of what each option can add: every dialect boundary (``dialects.BOUNDARIES``: one release
per set of flags), counter_reset ``reset`` with each close_sessions combination and ``baseline`` with and without
Enforce's close_sessions, Enforce with every fair-use step and unpaid restriction (RouterOS 7 rates and address list;
RouterOS 6 profiles, docs/enforce.md), notify with every channel kind and message, the mail texts, accounts copies
``each`` and ``digest``. Mail and notify texts are as long as their own size checks allow (``mailtext`` and
``config._check_notify_size``; a text past those is refused by the validator, which the test checks first).

The scripts are rendered without lint or files (``render.render_scripts``); the size is what RB004 measures. Run as
a script to print the figures: ``.venv/bin/python tests/test_script_sizes.py [--all]`` (``--all``: every release
boundary, as the slow test).
"""

from __future__ import annotations

import copy
import itertools
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from generator import build as build_stage
from generator import config as config_mod
from generator import render
from generator.dialects import BOUNDARIES
from generator.errors import ConfigError, ConfigProblem
from generator.lint import MAX_SCRIPT_BYTES

#: The headroom Billing keeps in the worst case of the matrix (the task asks >= 1,500 B; measured 2,000+).
BILLING_MARGIN = 1500

#: Two tiers. "typical": the shipped config's text lengths (config/billing.yaml) with four packages of two fair-use
#: steps. "max": every text at the longest the validator accepts (company, banking, tax line, the mail texts, the
#: resend note), ten packages with 64-character names and four fair-use steps each. The validator sets no limit on
#: the number of packages or fair-use steps: each package adds a line to every script's package table (~120 B with
#: a 64-character name) and its steps to Enforce.
TIERS = {"typical": {"packages": 4, "steps": 2, "long": False}, "max": {"packages": 10, "steps": 4, "long": True}}

#: Scripts the "max" tier takes over the limit (the validator bounds each text, not their sum in one script): such a
#: config is refused by the build as a located config error naming the texts to shorten (``build._refuse_oversize``,
#: exit 2), which the test checks; strict, so a script that fits now shows. Figures:
#: ``.venv/bin/python tests/test_script_sizes.py``.
KNOWN_OVER_MAX = frozenset({"billingmail.rsc", "enforce.rsc", "usagewarnings.rsc", "billingnotify.rsc"})


def _versions() -> list[str]:
    return [str(v) for v in BOUNDARIES]


def _packages(profiles: bool, enforce: bool, count: int, steps: int, long: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(count):
        package: dict[str, Any] = {"price": 1299.99, "cap": "200GB", "description": "x" * (200 if long else 20)}
        if enforce:
            rate = "512k/2M 1M/4M 384k/1536k 16/16 8 256k/1M" if long else "2M/2M"
            levels = (80, 100, 120, 150)[:steps]
            package["fair_use"] = [
                {"level": level, "profile": f"Throttle-{i}-{n}"} if profiles else {"level": level, "rate": rate}
                for n, level in enumerate(levels)
            ]
        name = f"P{i}-" + "n" * 61 if long else f"Package{i}"
        out[name] = package
    out["Unlimited"] = {"price": 999, "cap": "unlimited"}
    return out


def _long_text(limit: int) -> str:
    return ("Plain text for the size test. " * 400)[:limit]


def _notify(kinds: tuple[str, ...]) -> dict[str, Any]:
    channels = {
        "tg": {"type": "telegram", "token_env": "ROSBILL_TG"},
        "sms": {
            "type": "webhook",
            "url": "https://sms.example.net/v1/send/{phone}?user={username}",
            "body": '{"to": {phone}, "user": {username}, "message": {text}, "kind": {kind}}',
            "token_env": "ROSBILL_SMS",
        },
    }
    texts = {
        "user_bill": "{company}: invoice {invoice} for {period}: {currency} {amount_due} due. Ref {invoice}. ",
        "user_warning": "{company}: {level}% of your {package} data used ({used_mb} MB of {cap_mb}). ",
        "unpaid_reminder": "{company}: invoice {invoice} ({owed_period}) is {days_overdue} days overdue, {percent}. ",
    }
    out: dict[str, Any] = {"channels": channels}
    for kind in kinds:
        out[kind] = {"channels": ["tg", "sms"], "text": texts[kind]}
    return out


def _config(
    version: str, tier: str, *, reset: str, close: tuple[str, ...], enforce: bool, notify: bool, copies: str
) -> Any:
    size = TIERS[tier]
    long = bool(size["long"])
    profiles = version.startswith("6.")
    billing: dict[str, Any] = {
        "invoice": {"start": 10**12, "format": "{router}-{year}{month}-{number}"},
        "counter_reset": reset,
        "close_sessions": list(close),
        "accounts_copies": copies,
        "mail_budget": "12h",
    }
    if enforce:
        billing["grace_days"] = 365
        billing["unpaid"] = (
            {"profile": "Unpaid-restricted-profile", "reminder": True}
            if profiles
            else {"rate": "64k/64k 128k/128k 48k/48k 16/16 8 32k/32k", "address_list": "unpaid-" + "x" * 50}
        )
    company = {
        "name": "Example Wireless",
        "accounts_email": "accounts@example.net",
        "sender": "billing@example.net",
        "currency": "R",
        "banking": "Example Wireless (Pty) Ltd\nBank: First Example Bank, branch 250655\nAccount: 62012345678\n",
        "tax_line": "All prices include VAT at 15%.",
    }
    if long:
        company.update(name="Example Wireless " + "N" * 183, currency="RRRRRRRR", banking="Bank line\n" * 200)
        company["tax_line"] = "T" * 200
    data: dict[str, Any] = {
        "routers": [{"name": "r" * 60 if long else "core1", "host": "192.0.2.1", "version": version}],
        "company": company,
        "packages": _packages(profiles, enforce, int(size["packages"]), int(size["steps"]), long),
        "warnings": {"levels": [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 200, 1000], "accounts_copy": "every-level"},
        "billing": billing,
        "smtp": {"server": "smtp." + "s" * 200 + ".example.net" if long else "smtp.example.net", "tls": "starttls"},
    }
    if notify:
        data["notify"] = _notify(("user_bill", "user_warning") + (("unpaid_reminder",) if enforce else ()))
    return data


def _matrix(tier: str, versions: list[str] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    closes = {
        "reset": [("ppp",), ("hotspot",), ("ppp", "hotspot")],
        "baseline": [(), ("ppp", "hotspot")],
    }
    for version in versions or _versions():
        for reset, enforce, notify, copies in itertools.product(
            ("reset", "baseline"), (False, True), (False, True), ("each", "digest")
        ):
            for close in closes[reset]:
                if reset == "baseline" and close and not enforce:
                    continue  # refused: close_sessions with baseline is only for Enforce
                name = f"{tier}-{version}-{reset}-{'+'.join(close) or 'noclose'}-{'enf' if enforce else 'noenf'}-" + (
                    f"{'notify' if notify else 'nonotify'}-{copies}"
                )
                data = _config(version, tier, reset=reset, close=close, enforce=enforce, notify=notify, copies=copies)
                yield name, data


def _load(data: dict[str, Any]) -> config_mod.Config:
    """Validates ``data`` as a config file would be (JSON is YAML)."""
    text = json.dumps(data, indent=1)
    return config_mod.loads(text, "<size-matrix>")


def _grown(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every notify text as long as the validator's notify size check still accepts (binary search on
    a common filler length), so the matrix holds the largest accepted texts."""
    if "notify" not in data:
        return data
    key = json.dumps([data["notify"], data["company"], data["billing"].get("grace_days")], sort_keys=True)
    if key not in _FILL:
        _FILL[key] = _longest_fill(data)
    return _filled(data, _FILL[key])


#: The longest filler each notify section takes (the size check reads only the texts, channels and literals).
_FILL: dict[str, int] = {}


def _filled(data: dict[str, Any], n: int) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for kind in config_mod.NOTIFY_KINDS:
        if kind in out["notify"]:
            base = out["notify"][kind]["text"]
            out["notify"][kind]["text"] = (base + _long_text(600))[: max(len(base), min(600, len(base) + n))]
    return out


def _longest_fill(data: dict[str, Any]) -> int:
    low, high = 0, 600

    while low < high:
        middle = (low + high + 1) // 2
        if _accepted(_filled(data, middle)):
            low = middle
        else:
            high = middle - 1
    return low


def _with_mail(data: dict[str, Any]) -> dict[str, Any]:
    """Every mail text at its longest (subject 200, body 8000 characters), keeping the placeholders each kind needs."""
    from generator import mailtext

    out = copy.deepcopy(data)
    mail: dict[str, Any] = {}
    for kind in mailtext.KINDS:
        default = mailtext.DEFAULTS[kind]
        subject = (default["subject"] + " " + _long_text(200))[:200]
        body = (default["body"] + "\n" + _long_text(8000))[:8000]
        mail[kind] = {"subject": subject, "body": body}
    mail["resend"] = {"subject_prefix": "R" * 40, "note": "n" * 400}
    out["mail"] = mail
    return out


def sizes(data: dict[str, Any]) -> dict[str, int]:
    config = _load(data)
    scripts = render.render_scripts(config, config.routers[0], "0" * 64)
    return {file: len(content) for file, content in scripts.items()}


def _cases(tier: str, versions: list[str] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, data in _matrix(tier, versions):
        data = _grown(data)
        yield name, (_with_mail(data) if TIERS[tier]["long"] else data)


def _accepted(data: dict[str, Any]) -> bool:
    try:
        _load(data)
    except ConfigError:
        return False
    return True


Worst = dict[str, tuple[int, str]]


def measure(tier: str, versions: list[str] | None = None) -> tuple[Worst, list[str]]:
    """The largest size of each script over the tier's matrix (size, case), and the cases the validator refused."""
    worst: Worst = {}
    refused = []
    for name, data in _cases(tier, versions):
        if not _accepted(data):
            refused.append(name)
            continue
        for file, size in sizes(data).items():
            if size > worst.get(file, (0, ""))[0]:
                worst[file] = (size, name)
    return worst, refused


#: The fast run: the releases where Billing's text differs most (one per dialect and the 7.x boundaries that change
#: headers or User Manager reads); the slow run takes every boundary.
FAST_VERSIONS = ["6.43", "7.10", "7.16", "7.21"]


@pytest.fixture(scope="module", params=sorted(TIERS))
def tier_worst(request: pytest.FixtureRequest) -> tuple[str, Worst]:
    found, refused = measure(request.param, FAST_VERSIONS)
    assert refused == []  # every case is a config the validator accepts, or it would test nothing
    return request.param, found


def test_billing_keeps_its_margin(tier_worst: tuple[str, Worst]) -> None:
    _tier, worst = tier_worst
    size, case = worst["billing.rsc"]
    assert size <= MAX_SCRIPT_BYTES - BILLING_MARGIN, f"Billing: {size} B in {case}"


@pytest.mark.parametrize("file", [file for file, _, _ in render.SCRIPTS])
def test_every_script_fits(tier_worst: tuple[str, Worst], file: str) -> None:
    tier, worst = tier_worst
    size, case = worst[file]
    if tier == "max" and file in KNOWN_OVER_MAX:
        assert size > MAX_SCRIPT_BYTES, f"{file} fits the max tier now ({size} B): remove it from KNOWN_OVER_MAX"
        name = next(name for f, name, _ in render.SCRIPTS if f == file)
        problems = _refused(tier, case)
        head = f"the script {name} ({file}) renders to {size:,} bytes, over the {MAX_SCRIPT_BYTES:,}-byte limit"
        (problem,) = [p for p in problems if p.message.startswith(head)]
        # Located at the key that puts the most bytes into the script, and that key is one of the config's texts.
        assert problem.location.path == "<size-matrix>" and problem.location.line > 1, problem
        assert problem.key.split(".")[0] in {"mail", "company", "notify", "packages"}, problem
        assert f"shorten {problem.key} (" in problem.message
        return
    assert size <= MAX_SCRIPT_BYTES, f"{file}: {size} B in {case} (limit {MAX_SCRIPT_BYTES})"


#: The build's refusal of each "max" case (case name → its problems): several scripts share a worst case.
_REFUSED: dict[str, list[ConfigProblem]] = {}


def _refused(tier: str, case: str) -> list[ConfigProblem]:
    """The located problems ``rosbill build`` refuses the case with (it must refuse it: a script is over)."""
    if case not in _REFUSED:
        data = next(data for name, data in _cases(tier, FAST_VERSIONS) if name == case)
        config = _load(data)
        with pytest.raises(ConfigError) as caught:
            build_stage.build(config, "0" * 64, "build")
        _REFUSED[case] = caught.value.problems
    return _REFUSED[case]


def _webhooks(data: dict[str, Any], count: int, pad: int) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for i in range(count):
        out["notify"]["channels"][f"hook{i}"] = {
            "type": "webhook",
            "url": "https://sms.example.net/v1/" + "p" * 200 + "/{phone}",
            "body": '{"to": {phone}, "m": {text}, "pad": "' + "x" * pad + '"}',
        }
    for kind in config_mod.NOTIFY_KINDS:
        if kind in out["notify"]:
            out["notify"][kind]["channels"] = list(out["notify"]["channels"])
    return out


@pytest.mark.parametrize("version", ["6.49", "7.16"])
@pytest.mark.parametrize("reset", ["reset", "baseline"])
@pytest.mark.parametrize("count", [2, 6])
def test_functions_fit_at_the_notify_request_budget(version: str, reset: str, count: int) -> None:
    """BillingFunctions holds each channel's request (config.NOTIFY_REQUEST_ROOM) and, with counter_reset: reset, the
    reset's functions (NOTIFY_RESET_BYTES): webhook bodies grown until the validator refuses one character more."""
    close = ("ppp", "hotspot")
    data = _config(version, "typical", reset=reset, close=close, enforce=True, notify=True, copies="each")
    low, high = 0, 2000
    while low < high:
        middle = (low + high + 1) // 2
        if _accepted(_webhooks(data, count, middle)):
            low = middle
        else:
            high = middle - 1
    size = sizes(_webhooks(data, count, low))["functions.rsc"]
    assert size <= MAX_SCRIPT_BYTES - 1000, f"BillingFunctions {size} B with {count} webhooks of {low} padding"


@pytest.mark.slow
@pytest.mark.parametrize("tier", sorted(TIERS))
def test_every_release_boundary(tier: str) -> None:
    worst, refused = measure(tier)
    assert refused == []
    assert worst["billing.rsc"][0] <= MAX_SCRIPT_BYTES - BILLING_MARGIN, worst["billing.rsc"]
    over = {file: found for file, found in worst.items() if found[0] > MAX_SCRIPT_BYTES}
    allowed = KNOWN_OVER_MAX if tier == "max" else frozenset()
    assert set(over) <= allowed, over


if __name__ == "__main__":
    versions = None if "--all" in sys.argv else FAST_VERSIONS
    for tier in sorted(TIERS):
        found, refused = measure(tier, versions)
        print(f"tier {tier}: {len(refused)} cases refused by the validator {refused[:3]}")
        for file, (size, case) in sorted(found.items(), key=lambda item: -item[1][0]):
            print(f"  {file:20} {size:6} B  margin {MAX_SCRIPT_BYTES - size:6} B  worst: {case}")
