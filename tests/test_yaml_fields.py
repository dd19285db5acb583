"""Property: whatever an operator writes in a YAML text field reaches RouterOS as one inert string literal.

For each text field, a random value is written into a config (through a YAML dumper, as an operator's file would
hold it), the scripts are rendered, and: every generated file lints clean with the strict checker (so no value
broke out of its literal or made RouterOS source invalid), and the value's own literal — the exact bytes, encoded by
the one encoder — is in the output.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import encode
from generator.config import loads
from generator.lint import Source, lint
from generator.render import render

BASE = {
    "router": {"name": "r1", "host": "192.0.2.1", "version": "7.16"},
    "company": {
        "name": "Acme",
        "accounts_email": "a@example.net",
        "sender": "b@example.net",
        "currency": "R",
        "banking": "Bank",
    },
    "packages": {"Home": {"price": 1, "cap": "1GB"}},
    "smtp": {"server": "mail.example.net", "user": "u"},
    # Every mail holds what its kind must say (mailtext.REQUIRED), in the subject and in the body, so replacing either
    # one with the value under test still loads; multi-line placeholders only in the body.
    "mail": {
        "user_warning": {"subject": "s {level}", "body": "b {level}"},
        "accounts_warning": {"subject": "s {username} {level}", "body": "b {username} {level}"},
        "user_bill": {"subject": "s {invoice} {amount_due} {period}", "body": "b {invoice} {amount_due} {period}"},
        "accounts_bill": {
            "subject": "s {invoice} {amount_due} {username}",
            "body": "b {invoice} {amount_due} {username}",
        },
        "accounts_report": {"subject": "s", "body": "b {problems}"},
        "accounts_digest": {"subject": "s", "body": "b {bills}"},
    },
}
_ALPHABET = st.one_of(
    st.sampled_from(list("$\"\\?[](){};=#`'~ ab1.,:@/-")),
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
)
line = st.text(alphabet=_ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip() == s and s != "")
lines = st.lists(line, min_size=1, max_size=3).map("\n".join)


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _field(path: str, value: str) -> tuple[dict, list[bytes]]:
    """A config with ``value`` at ``path`` and the literals (as RouterOS source) that must appear in the output."""
    data = copy.deepcopy(BASE)
    expected = [value]
    if path == "package":
        data["packages"] = {value: {"price": 1, "cap": "1GB"}}
    elif path.startswith("mail."):
        _, kind, part = path.split(".")
        data["mail"][kind][part] = _escape_braces(value)
        if part == "body":  # one :set per line; every line but the last keeps its line break
            split = value.split("\n")
            expected = [e + "\n" for e in split[:-1]] + split[-1:]
            if kind == "accounts_report":  # it must list the problems, and only the body can
                data["mail"][kind][part] += "\n{problems}"
                expected = [e + "\n" for e in split]
    elif path == "invoice":
        # "/" keeps the literal from ending in a digit next to {number} (which the uniqueness check refuses).
        data["billing"] = {"invoice": {"format": _escape_braces(value) + "/{number}"}}
        expected = [value + "/"]
    elif path.startswith("company."):
        key = path.split(".")[1]
        data["company"][key] = value
        # company fields reach mails through placeholders; make each appear alone in a subject (the banking details,
        # which have lines, alone in the body).
        part = "body" if key == "banking" else "subject"
        data["mail"]["user_bill"][part] = "{" + {"name": "company"}.get(key, key) + "}"
        if key == "banking":  # a body is one :set per line
            data["mail"]["user_bill"]["subject"] = "s {invoice} {amount_due} {period}"
            split = value.rstrip("\n").split("\n")
            expected = [e + "\n" for e in split[:-1]] + split[-1:]
    elif path.startswith("smtp."):
        data["smtp"][path.split(".")[1]] = value
    literals = [encode.string(e).encode("ascii") for e in expected]
    return data, literals


FIELDS = [
    "company.name",
    "company.currency",
    "company.banking",
    "company.tax_line",
    "mail.user_bill.subject",
    "mail.user_warning.body",
    "mail.accounts_report.body",
    "invoice",
    "smtp.server",
    "smtp.user",
    "package",
]


def _joined(content: bytes) -> bytes:
    out: list[bytes] = []
    joining = False
    for physical in content.split(b"\n"):
        if joining:
            out[-1] = out[-1][:-1] + physical.lstrip(b" ")
        else:
            out.append(physical)
        joining = (len(out[-1]) - len(out[-1].rstrip(b"\\"))) % 2 == 1
    return b"\n".join(out)


def _check(path: str, value: str) -> None:
    data, literals = _field(path, value)
    config = loads(yaml.safe_dump(data, allow_unicode=True), "property.yaml")
    rendered = render(config, config.routers[0], "0" * 64)
    sources = [
        Source(n, c.decode("ascii"), "import" if n == "install.rsc" else "script")
        for n, c in rendered.files.items()
        if n.endswith(".rsc")
    ]
    assert lint(sources, config.routers[0].version) == []
    # Script sources travel wrapped inside install.rsc; only smtp settings are install.rsc's own. Long lines are
    # joined as RouterOS joins them (a trailing backslash, then the next line without its indentation).
    everything = b"".join(
        _joined(c) for n, c in rendered.files.items() if (n == "install.rsc") == path.startswith("smtp.")
    )
    for literal in literals:
        assert literal in everything, (path, value, literal)


def _values(path: str) -> st.SearchStrategy[str]:
    if path == "package":
        return line.filter(lambda s: not set(s) & set(";={}") and len(s) <= 64)
    if path == "company.currency":
        return line.filter(lambda s: len(s) <= 8)
    if path in ("company.banking", "mail.user_warning.body", "mail.accounts_report.body"):
        return lines
    return line


def _holds_for(path: str, examples: int) -> None:
    health = [HealthCheck.too_slow, HealthCheck.filter_too_much]

    @settings(max_examples=examples, deadline=None, suppress_health_check=health)
    @given(_values(path))
    def run(value: str) -> None:
        _check(path, value)

    run()


@pytest.mark.parametrize("path", FIELDS)
def test_text_field_becomes_one_literal(path):
    _holds_for(path, 6)


@pytest.mark.slow
@pytest.mark.parametrize("path", FIELDS)
def test_text_field_becomes_one_literal_exhaustively(path):
    _holds_for(path, 25)
