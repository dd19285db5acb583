"""A config whose texts make a script too large for RouterOS is a located config error (exit 2), not only lint RB004.

Each mail text is within its own limit (8,000 characters), but one script holds several of them: the shipped
config with its ``mail.user_bill.body`` at 8,000 characters renders BillingMail over 30,000 bytes. ``rosbill build``
and ``rosbill simulate`` refuse it naming that key at its line and column, write nothing and print no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import build as build_stage
from generator import cli
from generator.config import loads
from generator.errors import ConfigError
from generator.lint import MAX_SCRIPT_BYTES

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (ROOT / "config" / "billing.yaml").read_text()
MARKER = "  user_bill:\n"
FILLER = "      " + "Plain text for the size test, a long paragraph of terms and conditions." + "\n"


def _oversize() -> tuple[str, int]:
    """The shipped config with ``mail.user_bill.body`` grown to the 8,000 characters the validator accepts, and the
    line of that ``body:`` key."""
    body = loads(SHIPPED).mail.user_bill.body
    start = SHIPPED.index(MARKER, SHIPPED.index("\nmail:\n"))
    key = SHIPPED.index("    body: |\n", start)
    first_line = key + len("    body: |\n")
    count = (8000 - len(body)) // (len(FILLER) - 6)
    text = SHIPPED[:first_line] + FILLER * count + SHIPPED[first_line:]
    assert len(loads(text).mail.user_bill.body) > 8000 - len(FILLER)  # accepted, and at the limit
    return text, SHIPPED.count("\n", 0, key) + 1


@pytest.fixture(scope="module")
def oversize(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    text, line = _oversize()
    path = tmp_path_factory.mktemp("cfg") / "billing.yaml"
    path.write_text(text)
    return path, line


def test_the_shipped_config_is_not_refused() -> None:
    config = loads(SHIPPED, "billing.yaml")
    (built,) = build_stage.build(config, "0" * 64, "build")
    assert max(len(c) for n, c in built.rendered.files.items() if n != "install.rsc") <= MAX_SCRIPT_BYTES


def test_the_error_names_the_biggest_contributor_and_the_bytes() -> None:
    text, line = _oversize()
    config = loads(text, "billing.yaml")
    with pytest.raises(ConfigError) as caught:
        build_stage.build(config, "0" * 64, "build")
    (problem,) = caught.value.problems  # only BillingMail is over
    assert str(problem.location) == f"billing.yaml:{line}:5"
    assert problem.key == "mail.user_bill.body"
    message = problem.message
    assert message.startswith("the script BillingMail (billingmail.rsc) renders to ")
    size = int(message.split(" renders to ")[1].split(" bytes")[0].replace(",", ""))
    assert size > MAX_SCRIPT_BYTES
    assert f"it needs {size - MAX_SCRIPT_BYTES:,} bytes less" in message
    share = int(message.split("shorten mail.user_bill.body (")[1].split(" bytes")[0].replace(",", ""))
    # The body's share is what it puts into the script: at least its own length, encoded once per mail it is in.
    assert share >= 8000 - len(FILLER)
    assert share < size


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(argv)
    _, err = capsys.readouterr()
    return code, err


@pytest.mark.parametrize("command", ["build", "simulate"])
def test_build_and_simulate_refuse_it_located_and_write_nothing(
    command: str, oversize: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, line = oversize
    out = tmp_path / "out"
    argv = [command, "--config", str(path), "-q"]
    argv += ["--out", str(out)] if command == "build" else ["--users", str(ROOT / "config" / "users.yaml")]
    code, err = _run(argv, capsys)
    assert code == 2, err
    assert f"{path}:{line}:5: mail.user_bill.body: the script BillingMail (billingmail.rsc) renders to " in err
    assert "over the 30,000-byte limit" in err
    assert "Traceback" not in err and "internal error" not in err
    assert "RB004" not in err  # the config error comes first; the lint backstop is not reached
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
