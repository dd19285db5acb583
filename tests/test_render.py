"""Rendering: deterministic output, no raw values, v6/v7 differences, install.rsc carrying the exact scripts."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path

import jinja2
import pytest
from routeros_lsp.syntax import ast
from routeros_lsp.syntax.parser import parse

from generator import __version__, encode
from generator import build as build_stage
from generator.config import load, loads
from generator.dialects import for_version
from generator.errors import RenderError
from generator.linewrap import wrap_lines
from generator.render import SCRIPTS, build_id, compile_mail, environment, render

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "config" / "billing.yaml"
V6 = ROOT / "tests" / "data" / "v6.yaml"
V79 = ROOT / "tests" / "data" / "v7_9.yaml"


def logical(text: str) -> str:
    """The text as RouterOS reads it: a line that ends in a backslash joined with the next one, whose leading white
    space goes (the wrap is always placed after a space, so nothing else changes)."""
    out: list[str] = []
    joining = False
    for line in text.split("\n"):
        if joining:
            out[-1] = out[-1][:-1] + line.lstrip(" ")
        else:
            out.append(line)
        tail = out[-1]
        joining = tail.endswith("\\") and (len(tail) - len(tail.rstrip("\\"))) % 2 == 1
    return "\n".join(out)


def rendered(path: Path):
    config = load(path)
    return render(config, config.routers[0], "0" * 64)


def test_same_input_gives_byte_identical_build(tmp_path):
    config, digest = build_stage.load(SHIPPED)
    for out in ("a", "b"):
        for built in build_stage.build(config, digest, tmp_path / out):
            build_stage.write(built, tmp_path / out)
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert first == second and len(first) == len(SCRIPTS) + 2  # the scripts, install.rsc, manifest.json


def test_build_writes_the_scripts_install_and_manifest(tmp_path):
    config, digest = build_stage.load(SHIPPED)
    (built,) = build_stage.build(config, digest, tmp_path)
    folder = build_stage.write(built, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            "functions.rsc",
            "monthend.rsc",
            "usagewarnings.rsc",
            "billing.rsc",
            "billingmail.rsc",
            "enforce.rsc",
            "billingnotify.rsc",
            "oversight.rsc",
            "install.rsc",
            "manifest.json",
        ]
    )


def test_manifest_hashes_every_file_and_the_config():
    files = rendered(SHIPPED).files
    manifest = json.loads(files["manifest.json"])
    assert manifest["config_sha256"] == "0" * 64
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    assert [s["name"] for s in manifest["scripts"]] == [name for _, name, _ in SCRIPTS]
    assert manifest["schedulers"] == [
        {
            "name": "Oversight",
            "start_time": "23:50:00",
            "interval": "1d",
            "on_event": "/system script run Oversight",
            "policy": "read,write,test",
        },
        {
            "name": "OversightAtBoot",
            "start_time": "startup",
            "interval": "0s",
            "on_event": ":delay 60s; /system script run Oversight",
            "policy": "read,write,test",
        },
    ]


def _install_sources(install: bytes) -> dict[str, bytes]:
    """script name → the bytes of the `source` literal install.rsc would store, read with routeros-lsp's parser."""
    parsed = parse(install.decode("ascii"))
    assert parsed.diagnostics == []
    found: dict[str, bytes] = {}
    pending: bytes | None = None

    def walk(statements):
        nonlocal pending
        for statement in statements:
            words = [e for e in statement.elements]
            if (
                len(words) >= 3
                and isinstance(words[0], ast.Word)
                and words[0].text == "local"
                and isinstance(words[1], ast.Word)
                and words[1].text == "src"
            ):
                pending = b"".join(p.text.encode("latin-1") for p in words[2].parts)
            for element in statement.elements:
                if (
                    isinstance(element, ast.Named)
                    and isinstance(element.name, ast.Word)
                    and element.name.text == "name"
                    and isinstance(element.value, ast.StringLit)
                    and pending is not None
                    and any(isinstance(e, ast.Word) and e.text == "add" for e in statement.elements)
                    and any(isinstance(e, ast.Word) and e.text == "script" for e in statement.elements)
                ):
                    found[element.value.value] = pending
                if isinstance(element, ast.Brace):
                    walk(element.body)
                if isinstance(element, ast.Named) and isinstance(element.value, ast.Brace):
                    walk(element.value.body)

    walk(parsed.script.statements)
    return found


@pytest.mark.parametrize("path", [SHIPPED, V6, V79])
def test_install_rsc_carries_each_script_byte_for_byte(path):
    files = rendered(path).files
    sources = _install_sources(files["install.rsc"])
    assert sources == {name: files[file] for file, name, _ in SCRIPTS}


def test_install_gives_minimal_policy_and_never_dont_require_permissions():
    install = rendered(SHIPPED).files["install.rsc"].decode()
    assert install.count("policy=read,write,test") == len(SCRIPTS) * 2 + 2 * 2
    assert "dont-require-permissions=yes" not in install
    assert "on-event=$onEvent" in install and ':local onEvent "/system script run Oversight"' in install


def test_dialects_differ_where_user_manager_differs():
    v7 = rendered(SHIPPED).files
    v6 = rendered(V6).files
    assert b"/user-manager user print as-value" in v7["usagewarnings.rsc"]
    assert b"/user-manager user monitor $uId once as-value" in v7["usagewarnings.rsc"]
    assert b"/tool user-manager" not in v7["billing.rsc"]
    assert b"/tool user-manager user print as-value" in v6["usagewarnings.rsc"]
    assert b'($u->"username")' in v6["billing.rsc"] and b'($u->"name")' in v7["billing.rsc"]
    assert b"reset-counters" in v6["billing.rsc"]
    v7_reset = rendered_text(SHIPPED, ("counter_reset: baseline", "counter_reset: reset\n  close_sessions: [ppp]"))
    assert b"/user-manager session remove" in v7_reset["billing.rsc"]

    # MonthEnd is the same on both up to the NTP check: it reads both date formats at run time.
    def date_part(source: bytes) -> bytes:  # after the header (which names the version), before the NTP check
        return source.split(b"\n# Reads the router's date", 1)[1].split(b"# NTP:")[0]

    assert date_part(v6["monthend.rsc"]) == date_part(v7["monthend.rsc"])
    assert b"last-adjustment" in v6["monthend.rsc"] and b"last-adjustment" not in v7["monthend.rsc"]


def test_email_settings_follow_the_version_gates():
    lines = {
        path.name: [
            ln.strip()
            for ln in logical(rendered(path).files["install.rsc"].decode()).splitlines()
            if ln.strip().startswith("/tool e-mail set")
        ]
        for path in (SHIPPED, V6, V79)
    }
    assert lines["billing.yaml"] == [
        '/tool e-mail set server="smtp.example.net" port=587 tls=starttls '
        'user="billing@example.net" from="billing@example.net"'
    ]
    assert lines["v7_9.yaml"] == [
        '/tool e-mail set address=[:resolve "smtp.example.net"] port=587 tls=yes '
        'user="billing@example.net" from="billing@example.net"'
    ]
    assert lines["v6.yaml"] == [
        '/tool e-mail set address=[:resolve "smtp.example.net"] port=587 start-tls=yes '
        'user="billing@example.net" from="billing@example.net"'
    ]


def rendered_text(path: Path, *pairs: tuple[str, str]):
    text = path.read_text()
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    config = loads(text)
    return render(config, config.routers[0], "0" * 64).files


def test_baseline_billing_has_no_reset_and_reset_billing_closes_waits_checks_locks_and_reads_again():
    baseline = rendered(V79).files["billing.rsc"]
    assert b"session remove" not in baseline and b"reset-counters" not in baseline and b"disabled=yes" not in baseline
    reset = logical(rendered(V6).files["billing.rsc"].decode())
    functions = logical(rendered(V6).files["functions.rsc"].decode())
    closing = functions[functions.index(":global rbCloseSessions do={") :]
    assert "/ppp active remove $ids" in closing and "/ip hotspot active remove $ids" in closing
    online = functions[functions.index(":global rbOnline do={") :]
    assert "session print as-value where active] do={ :set ($online" in online
    steps = [
        "[$rbCloseSessions cands=$cands]",  # close the billed users' sessions on this router
        ":delay 5s",  # Accounting-Stop
        ":local seen [$rbOnline]",  # who is still online
        'user set ($e->"id") disabled=yes',  # lock the offline ones
        ":set seen [$rbOnline]",  # check again after the lock
        "user set $uId comment=[$rbWriteState",  # record the bill (and rst=, still locked)
        "user reset-counters $ids",  # reset
        ":delay 2s",
        "user set $uId disabled=no comment=[$rbWriteState",  # the new base, unlocked
    ]
    at = 0
    for step in steps:
        found = reset.find(step, at)
        assert found > at or (at == 0 and found >= 0), step
        at = found


def test_a_template_cannot_emit_a_raw_value():
    env = environment(for_version(load(SHIPPED).routers[0].version))
    with pytest.raises(RenderError):
        env.from_string(":put {{ value }}").render(value="injected; /system reset-configuration")
    with pytest.raises(RenderError):
        env.from_string(":put {{ 5 }}").render()
    assert env.from_string(":put {{ value }}").render(value=encode.string("x$y")) == ':put "x\\$y"'


def test_an_unknown_template_name_is_an_error_not_empty_text():
    env = environment(for_version(load(SHIPPED).routers[0].version))
    with pytest.raises(jinja2.UndefinedError):
        env.from_string(":put {{ missing }}").render()


def test_mail_templates_become_one_set_per_line_with_company_values_inlined():
    config = loads(SHIPPED.read_text().replace('name: "Example Wireless"', "name: 'Ex\"ample $Wireless'"))
    code = compile_mail(config.mail.user_warning, "user_warning", {"company": config.company.name})
    lines = code.split("\n")
    assert lines[0] == ':set mSubject ("Ex\\"ample \\$Wireless: " . $level . "% of your " . $uPkg . " data used")'
    assert lines[1] == ':set mBody ""'
    assert lines[2] == ':set mBody ($mBody . "Dear " . $uFirst . " " . $uLast . ",\\n")'
    assert lines[-1] == ':set mBody ($mBody . "Ex\\"ample \\$Wireless\\n")'


def test_invoice_format_uses_the_counter_and_period():
    config = loads(SHIPPED.read_text().replace('format: "EW-{number}"', 'format: "{year}/{month}-{username}-{number}"'))
    mail = render(config, config.routers[0], "0").files["billingmail.rsc"].decode()
    assert ':local invoice ([:pick $period 0 4] . "/" . [:pick $period 5 7] . "-" . $uName . "-" . $invNum)' in mail


def test_scripts_are_ascii_and_small():
    for path in (SHIPPED, V6, V79):
        for name, content in rendered(path).files.items():
            assert content.isascii(), name
            if name.endswith(".rsc") and name != "install.rsc":
                assert len(content) < 30_000, name


ALL_CONFIGS = (SHIPPED, V6, V79)


@pytest.mark.parametrize("path", ALL_CONFIGS)
def test_every_line_is_at_most_120_characters_and_wrapped_only_between_words(path):
    for name, content in rendered(path).files.items():
        if not name.endswith(".rsc"):
            continue
        text = content.decode()
        # install.rsc: a script line the encoder cannot cut at a space (an array literal) may run a little over.
        limit = 130 if name == "install.rsc" else 120
        assert max(len(line) for line in text.split("\n")) <= limit, name
        lines = text.split("\n")
        for line, after in itertools.pairwise(lines):
            if line.endswith("\\") and after.strip():  # no word is split between a line and its continuation
                assert not (line[-2].isalnum() and after.lstrip()[0].isalnum()), (name, line)


def test_wrapping_changes_nothing_routeros_reads():
    for path in ALL_CONFIGS:
        for name, content in rendered(path).files.items():
            if not name.endswith(".rsc") or name == "install.rsc":
                continue
            text = content.decode()
            narrow = wrap_lines(text, 60)
            assert max(len(line) for line in narrow.split("\n")) < max(len(line) for line in text.split("\n"))

            def code(source: str) -> list[str]:
                return [ln for ln in logical(source).split("\n") if not ln.lstrip().startswith("#")]

            assert code(narrow) == code(text), name
            prose = [ln.strip(" #") for ln in text.split("\n") if ln.lstrip().startswith("#")]
            narrow_prose = [ln.strip(" #") for ln in narrow.split("\n") if ln.lstrip().startswith("#")]
            assert " ".join(" ".join(prose).split()) == " ".join(" ".join(narrow_prose).split()), name


def test_a_cut_never_lands_inside_an_escape_or_before_a_comment_sign():
    line = '  :log info ("' + "word " * 30 + '\\\\ tail" . $x . " # not a comment")'
    for width in range(40, 120, 7):
        wrapped = wrap_lines(line, width)
        assert logical(wrapped) == line
        for physical in wrapped.split("\n")[1:]:
            assert not physical.lstrip().startswith("#")


@pytest.mark.parametrize("path", ALL_CONFIGS)
def test_every_log_line_names_rosbill_and_its_script(path):
    for file, name, _ in SCRIPTS:
        text = logical(rendered(path).files[file].decode())
        for found in re.finditer(r":log (?:info|warning|error|debug) \(?\"([^\"]*)", text):
            assert found.group(1).startswith(f"rosbill: {name}: "), (file, found.group(0))


@pytest.mark.parametrize("path", ALL_CONFIGS)
def test_every_script_opens_with_what_it_is_needs_and_came_from(path):
    config = load(path)
    files = render(config, config.routers[0], "ab" * 32).files
    for file, name, _ in SCRIPTS:
        header = "# " + _prose(files[file])
        assert header.startswith(f"# {name}: ")
        assert "Requires RouterOS " in header and "policy read,write,test" in header
        assert f"rosbill {__version__}" in header and f"router {config.routers[0].name}" in header
        assert f"build {build_id(config.routers[0], 'ab' * 32)}" in header
        assert "config sha256 abababababababab..." in header
    assert "Requires RouterOS 6.43 or later, before 7.0 (v6)" in _prose(rendered(V6).files["billing.rsc"])


def _prose(script: bytes) -> str:
    """The comment lines before the first command, as one line of text."""
    comments = script.decode().split("\n:")[0].split("\n")
    return " ".join(line.lstrip("# ") for line in comments)


def test_the_billing_header_says_what_each_reset_mode_does():
    baseline, reset = _prose(rendered(V79).files["billing.rsc"]), _prose(rendered(V6).files["billing.rsc"])
    assert "never resets the counters" in baseline and "resets the counters of billed users" not in baseline
    assert "counters of billed users who are offline" in reset and "never resets" not in reset


def test_enforce_ends_sessions_through_billingfunctions_rbclosesessions_built_only_when_needed():
    unpaid = ("  mail_budget: 3h", "  grace_days: 7\n  unpaid: {rate: 128k/128k}\n  mail_budget: 3h")
    close = ("  counter_reset: baseline\n", "  counter_reset: baseline\n  close_sessions: [ppp, hotspot]\n")
    closing = rendered_text(SHIPPED, unpaid, close)
    enforce = logical(closing["enforce.rsc"].decode())
    functions = logical(closing["functions.rsc"].decode())
    assert ":if ([:len $cands] > 0) do={ [$rbCloseSessions cands=$cands] }" in enforce
    assert "active remove" not in enforce  # no inline copy of the close
    body = functions[functions.index(":global rbCloseSessions do={") :]
    assert "/ppp active remove $ids" in body and "/ip hotspot active remove $ids" in body
    assert "rosbill: BillingFunctions: rbCloseSessions: could not close the PPP sessions" in body
    assert ":global rbOnline do={" not in functions  # baseline: no counter reset
    assert functions.count(":global rbDayNumber do={") == 1 and "[$rbDayNumber date=" in enforce
    # Without close_sessions (or with it but nothing enforced) BillingFunctions has no rbCloseSessions.
    plain = rendered_text(SHIPPED, unpaid)
    assert ":global rbCloseSessions do={" not in plain["functions.rsc"].decode()
    assert "rbCloseSessions cands=" not in plain["enforce.rsc"].decode()
