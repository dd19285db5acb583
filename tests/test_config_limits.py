"""Hostile or broken config files: every one ends in located messages and exit 2, quickly, in bounded memory."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.config import MAX_BYTES, load, load_checked, loads, loads_checked
from generator.errors import ConfigError
from generator.yamlmarks import MAX_DEPTH, shown

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (ROOT / "config" / "billing.yaml").read_text()


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        loads(text, "cfg.yaml")
    return [str(p) for p in caught.value.problems]


def test_a_billion_laughs_file_is_refused_before_anything_expands():
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        laughs += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join(f"*{chr(96 + i)}" for _ in range(9)) + "]\n"
    started = time.perf_counter()
    (found,) = problems(laughs)
    assert time.perf_counter() - started < 1
    assert found == "cfg.yaml:1:4: anchors and aliases (& and *) are not supported here"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("company: &c {name: x}\n", "cfg.yaml:1:10: anchors and aliases"),
        ("a: 1\nb: *x\n", "cfg.yaml:2:4: "),  # an alias to nothing: PyYAML's own located error
        ("company: !!python/object {}\n", "cfg.yaml:1:10: YAML tags"),
        ("company: !custom x\n", "cfg.yaml:1:10: YAML tags (!custom)"),
        ("company:\n  <<: {name: x}\n", "cfg.yaml:2:3: company: merge keys (<<) are not supported"),
        ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n", "cfg.yaml:1:35: nesting deeper than 32 levels"),
        ("a: " + "9" * 5000 + "\n", "cfg.yaml:1:4: a: a number of 5000 digits is out of range"),
        ("company:\n  name: a\x00b\n", 'cfg.yaml:2:10: the character "\\x00" is not allowed'),
        ("company:\n  name: \u202eevil\n", 'cfg.yaml:2:9: the character "\\u202e" is not allowed'),
        ("company:\n  name: x\x1b[31m\n", 'cfg.yaml:2:10: the character "\\x1b" is not allowed'),
        ("a: [1, 2\n", "cfg.yaml:"),  # unterminated: PyYAML's located error
    ],
)
def test_unsupported_or_dangerous_yaml_is_a_located_error(text, expected):
    found = problems(text)
    assert found and found[0].startswith(expected), found
    assert all("\n" not in p for p in found)


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (MAX_BYTES + 10) + b"\n")
    with pytest.raises(ConfigError) as caught:
        load(big)
    assert str(caught.value) == f"{big}:1:1: the file is over 1024 kB; is it the billing config?"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_quickly_in_bounded_memory():
    # VmHWM is this process image's own peak; ru_maxrss would also count the forked test worker's RSS before exec.
    code = (
        "import re\n"
        "from generator.cli import main\n"
        "code = main(['lint', '--config', '/dev/zero'])\n"
        "status = open('/proc/self/status').read()\n"
        "print(code, re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    exit_code, peak_kb = done.stdout.split()
    assert exit_code == "2" and time.perf_counter() - started < 30
    assert "/dev/zero:1:1: the file is over 1024 kB" in done.stderr
    assert int(peak_kb) < 300 * 1024  # well under the 2 GB it used to read


def test_text_that_is_not_utf8_is_located(tmp_path):
    bad = tmp_path / "latin.yaml"
    bad.write_bytes(b"company:\n  name: Caf\xe9\n")
    with pytest.raises(ConfigError) as caught:
        load(bad)
    assert str(caught.value) == f"{bad}:2:12: the file is not UTF-8 text here; save it as UTF-8"


def test_a_bill_cut_off_before_the_amount_due_does_not_build():
    cut = SHIPPED[: SHIPPED.index("      Amount due")]
    found = problems(cut)
    assert any("mail.user_bill: the user bill mail never uses {amount_due}" in p for p in found), found


def test_a_warning_without_its_level_loads_with_a_warning():
    text = SHIPPED.replace('subject: "{company}: {level}% of your {package} data used"', 'subject: "Usage notice"')
    text = text.replace(" This is an automatic notice at {level}% of your cap;", " This is an automatic notice;")
    config, warnings = loads_checked(text, "cfg.yaml")
    assert config.mail.user_warning.subject == "Usage notice"
    (warning,) = warnings
    assert str(warning).startswith("cfg.yaml:") and ": mail.user_warning: warning: the user warning mail never" in str(
        warning
    )


def test_multi_line_placeholders_cannot_go_in_a_subject():
    found = problems(SHIPPED.replace('subject: "{company}: {run} report {date}"', 'subject: "{problems}"'))
    assert any("{problems} has several lines and cannot go in a subject" in p for p in found), found


def test_values_are_shown_escaped_on_one_line():
    assert shown("a\nb") == '"a\\nb"'
    assert shown("x\u202ey") == '"x\\u202ey"'
    assert shown('say "hi"') == '"say \\"hi\\""'
    found = problems(SHIPPED.replace("cap: 3000MB", 'cap: "lots\\nof MB"'))
    assert any('"lots\\nof MB" is not a data cap' in p for p in found) and all("\n" not in p for p in found)


def test_the_shipped_config_loads_without_warnings():
    _, warnings = load_checked(ROOT / "config" / "billing.yaml")
    assert warnings == []


def test_reading_a_huge_config_stays_within_memory():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = SHIPPED + "\n".join(f"# {'x' * 1000}" for _ in range(900)) + "\n"
    assert len(text.encode()) < MAX_BYTES
    loads(text, "cfg.yaml")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024


def test_a_terminal_given_as_the_config_is_refused_instead_of_waiting_for_input():
    import pty

    controller, terminal = pty.openpty()
    try:
        with pytest.raises(ConfigError, match="this is a terminal, not a config file"):
            load(os.ttyname(terminal))
    finally:
        os.close(controller)
        os.close(terminal)
