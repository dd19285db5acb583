"""Config loading: the shipped file, and every kind of mistake located at file:line:col with a useful message."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from generator.config import load, loads
from generator.dialects import for_version
from generator.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "config" / "billing.yaml"

MINIMAL = """\
router:
  name: r1
  host: 192.0.2.1
  version: "7.16"
company:
  name: Acme
  accounts_email: accounts@example.net
  sender: billing@example.net
  currency: R
  banking: "Bank 1"
packages:
  Home:
    price: 100.50
    cap: 3000MB
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        loads(text, "cfg.yaml")
    return [str(p) for p in caught.value.problems]


def test_shipped_config_loads_with_exact_prices_caps_and_version():
    config = load(SHIPPED)
    assert [r.name for r in config.routers] == ["core1"]
    router = config.routers[0]
    assert str(router.version) == "7.16" and router.tls and router.api_port == 8729
    assert config.packages["Lite"].price_cents == 19900
    assert config.packages["Lite"].cap_bytes == 3_000_000_000
    assert config.packages["Home"].cap_bytes == 50 * 10**9
    assert config.packages["Unlimited"].cap_bytes is None
    assert config.schedule.time == "23:50:00"
    assert config.warnings.levels == (50, 75, 90, 100)


def test_minimal_config_gets_defaults_and_single_router_key():
    config = loads(MINIMAL)
    assert config.routers[0].name == "r1"
    assert config.packages["Home"].price == Decimal("100.50")
    assert config.billing.counter_reset == "baseline" and config.billing.close_sessions == ()
    assert config.billing.accounts_copies == "digest" and config.billing.mail_budget_seconds == 3 * 3600
    assert config.mail.user_bill.subject  # default text
    assert config.mail.accounts_digest.subject and config.mail.resend.subject_prefix == "Re-sent: "
    assert config.smtp is None


def test_version_710_is_not_read_as_71():
    config = loads(MINIMAL.replace('version: "7.16"', "version: 7.10"))
    assert str(config.routers[0].version) == "7.10"
    assert for_version(config.routers[0].version).iso_dates


def test_yaml_11_traps_stay_text():
    config = loads(MINIMAL + "schedule:\n  time: 23:50\nsmtp:\n  server: mail.example.net\n  tls: no\n")
    assert config.schedule.time == "23:50:00"  # not the sexagesimal number 1430
    assert config.smtp is not None and config.smtp.tls == "no"  # not False


def test_unknown_key_is_located_with_did_you_mean():
    found = problems(MINIMAL + "warnings:\n  acounts_copy: every-level\n")
    assert found == ["cfg.yaml:16:3: warnings.acounts_copy: unknown key (did you mean accounts_copy?)"]


def test_unknown_key_inside_a_package_lists_known_keys():
    found = problems(MINIMAL.replace("    cap: 3000MB", "    cap: 3000MB\n    speed: 10M"))
    known = "cap, description, fair_use, price"
    assert found == [f"cfg.yaml:15:5: packages.Home.speed: unknown key; known keys here: {known}"]


def test_bad_cap_names_the_value_and_the_right_forms():
    (found,) = problems(MINIMAL.replace("cap: 3000MB", "cap: 3 gigs"))
    assert found.startswith("cfg.yaml:14:10: packages.Home.cap: ")
    assert '"3000MB"' in found and "unlimited" in found


def test_price_with_fractions_of_a_cent_is_refused():
    (found,) = problems(MINIMAL.replace("price: 100.50", "price: 100.505"))
    assert found.startswith("cfg.yaml:13:12: packages.Home.price: ") and "whole cents" in found


def test_bad_version_and_old_v6_are_refused():
    (found,) = problems(MINIMAL.replace('"7.16"', '"8.1"'))
    assert found.startswith("cfg.yaml:4:12: routers.version: ") or found.startswith("cfg.yaml:4:12: router.version: ")
    (found,) = problems(MINIMAL.replace('"7.16"', '"6.40"'))
    assert "6.43" in found


def test_bad_email_is_located():
    (found,) = problems(MINIMAL.replace("accounts@example.net", "accounts at example"))
    assert found == 'cfg.yaml:7:19: company.accounts_email: "accounts at example" is not an e-mail address'


def test_missing_required_key_points_at_its_parent():
    (found,) = problems(MINIMAL.replace("  currency: R\n", ""))
    assert found == "cfg.yaml:5:1: company.currency: required key currency is missing"


def test_duplicate_key_is_an_error_not_silently_the_last():
    (found,) = problems(MINIMAL + "  Home:\n    price: 1\n    cap: 1GB\n")
    assert found.startswith("cfg.yaml:15:3: packages.Home: this key is given twice (first at line 12)")


def test_a_password_in_the_file_is_refused_and_not_echoed():
    text = MINIMAL.replace("  version:", "  password: s3cretpw\n  version:")
    (found,) = problems(text)
    assert found.startswith("cfg.yaml:4:3: router.password: passwords never go in the config file")
    assert "s3cretpw" not in found


def test_yaml_syntax_error_is_located():
    (found,) = problems(MINIMAL + "company: [unclosed\n")
    assert found.startswith("cfg.yaml:") and "not valid YAML" in found


def test_unknown_placeholder_is_located_at_the_placeholder():
    text = (
        MINIMAL
        + "mail:\n  user_bill:\n    subject: Bill {invoice}\n    body: |\n"
        + "      Dear {frist_name},\n      due {amount_due}\n"
    )
    (found,) = problems(text)
    assert found == "cfg.yaml:19:12: mail.user_bill.body: unknown placeholder {frist_name} (did you mean {first_name}?)"


def test_placeholder_of_another_template_kind_is_refused():
    text = MINIMAL + "mail:\n  user_warning:\n    subject: Warning {invoice}\n    body: x\n"
    (found,) = problems(text)
    assert found.startswith("cfg.yaml:17:22: mail.user_warning.subject: {invoice} is not available in this template")


def test_lone_brace_is_explained():
    text = MINIMAL + "billing:\n  invoice:\n    format: 'INV-{number'\n"
    (found,) = problems(text)
    assert 'a lone "{"' in found


def test_reset_without_closing_sessions_is_refused_with_the_reason():
    (found,) = problems(MINIMAL + "billing:\n  counter_reset: reset\n  close_sessions: none\n")
    assert found.startswith("cfg.yaml:16:3: billing: ") and "does not stick" in found


def test_reset_with_user_manager_close_is_refused_because_the_nas_may_keep_the_session():
    (found,) = problems(MINIMAL + "billing:\n  counter_reset: reset\n  close_sessions: [ppp, user-manager]\n")
    assert found.startswith("cfg.yaml:16:3: billing: ") and "NAS session running" in found
    assert "ppp and/or hotspot" in found


def test_close_sessions_without_reset_is_refused():
    (found,) = problems(MINIMAL + "billing:\n  close_sessions: [ppp]\n")
    assert "only used with counter_reset: reset" in found


@pytest.mark.parametrize(
    ("fmt", "why"),
    [
        ("INV-{username}", "has no {number}"),
        ("{number}-{number}", "more than once"),
        ("EW{number}1", "separator that is not a digit after"),
        ("7{number}", "separator that is not a digit before"),
        ("{period}{number}", "separator that is not a digit before"),
        ("{router}-{username}-{number}", "only one of {router} and {username}"),
    ],
)
def test_an_invoice_format_that_could_repeat_a_number_is_refused(fmt, why):
    (found,) = problems(MINIMAL + f'billing:\n  invoice:\n    format: "{fmt}"\n')
    assert found.startswith("cfg.yaml:17:") and "billing.invoice.format" in found and why in found


def test_several_routers_need_the_router_in_the_invoice_format():
    text = MINIMAL.replace(
        'router:\n  name: r1\n  host: 192.0.2.1\n  version: "7.16"\n',
        "routers:\n  - {name: a, host: h, version: '7.16'}\n  - {name: b, host: h, version: '6.49'}\n",
    )
    (found,) = problems(text + 'billing:\n  invoice:\n    format: "EW-{number}"\n')
    assert "must contain {router}" in found
    assert loads(text + 'billing:\n  invoice:\n    format: "{router}-{number}"\n').billing.invoice.format


def test_levels_must_increase():
    (found,) = problems(MINIMAL + "warnings:\n  levels: [50, 90, 75]\n")
    assert found.startswith("cfg.yaml:16:11: warnings.levels: ") and "[50, 75, 90]" in found


def test_package_names_cannot_hold_state_separators():
    (found,) = problems(MINIMAL.replace("  Home:", "  'Ho;me':"))
    assert "packages" in found and "; = { }" in found


def test_router_names_must_be_unique_and_file_safe():
    (found,) = problems(MINIMAL.replace("name: r1", "name: ../etc"))
    assert "router.name" in found
    text = MINIMAL.replace(
        'router:\n  name: r1\n  host: 192.0.2.1\n  version: "7.16"\n',
        "routers:\n  - {name: a, host: h, version: '7.16'}\n  - {name: a, host: h, version: '6.49'}\n",
    )
    (found,) = problems(text)
    assert 'router name "a" is used twice' in found


def test_every_problem_is_reported_at_once():
    text = MINIMAL.replace("cap: 3000MB", "cap: lots").replace("currency: R", "currency: R\n  colour: red")
    assert len(problems(text)) == 2


def test_cli_prints_located_error_and_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "billing.yaml"
    bad.write_text(SHIPPED.read_text().replace("cap: 50GB", "cap: fifty"))
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--config", str(bad), "--out", str(tmp_path / "b")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 2
    assert run.stderr.startswith(f"{bad}:") and "packages.Home.cap" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(
    ("budget", "ok"), [("1m", True), ("12h", True), ("59s", False), ("12h1s", False), ("soon", False), ("0s", False)]
)
def test_mail_budget_is_a_duration_of_one_minute_to_twelve_hours(budget: str, ok: bool):
    text = (ROOT / "config" / "billing.yaml").read_text().replace("mail_budget: 3h", f"mail_budget: {budget}")
    if ok:
        assert loads(text).billing.mail_budget == budget
    else:
        with pytest.raises(ConfigError, match=r"billing\.mail_budget"):
            loads(text)


# --- Enforce on RouterOS 6 and 7: profile steps on v6, rates on v7 (docs/enforce.md) --------------------------------

V6_ENFORCE = (
    MINIMAL.replace('version: "7.16"', 'version: "6.49"')
    + """\
    fair_use:
      - {level: 100, profile: Home-2M}
billing:
  grace_days: 7
  unpaid:
    profile: Unpaid
"""
)


def test_routeros_6_fair_use_and_unpaid_name_profiles():
    config = loads(V6_ENFORCE, "cfg.yaml")
    assert config.packages["Home"].fair_use[0].profile == "Home-2M"
    assert config.billing.unpaid.profile == "Unpaid" and config.billing.unpaid.rate is None
    # The v7 default rate stays when no profile is given.
    seven = loads(MINIMAL + "billing:\n  grace_days: 7\n", "cfg.yaml")
    assert seven.billing.unpaid.rate == "256k/256k" and seven.billing.unpaid.profile is None


@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        (
            V6_ENFORCE.replace("profile: Home-2M", "rate: 2M/2M"),
            "cfg.yaml:16:22: packages.Home.fair_use[0].rate",
            "router is RouterOS 6.49, whose User Manager users have no attributes",
        ),
        (
            V6_ENFORCE.replace("    profile: Unpaid\n", "    profile: Unpaid\n    rate: 128k/128k\n"),
            "cfg.yaml:21:5: billing.unpaid.rate",
            "remove rate: and give profile:",
        ),
        (
            V6_ENFORCE.replace("    profile: Unpaid\n", "    profile: Unpaid\n    address_list: unpaid\n"),
            "cfg.yaml:21:5: billing.unpaid.address_list",
            "a rate comes only from a profile's limitation",
        ),
        (
            V6_ENFORCE.replace("  unpaid:\n    profile: Unpaid\n", ""),
            "cfg.yaml:18:3: billing.grace_days",
            "unpaid restriction needs billing.unpaid.profile",
        ),
        (
            V6_ENFORCE.replace('version: "6.49"', 'version: "7.16"').replace("    profile: Unpaid\n", "    rate: 1M\n"),
            "cfg.yaml:16:22: packages.Home.fair_use[0].profile",
            "write rate: <the throttled rate",
        ),
        (
            V6_ENFORCE.replace('version: "6.49"', 'version: "7.16"'),
            "cfg.yaml:20:5: billing.unpaid.profile",
            "which sets the rate in the user's attributes",
        ),
        (
            V6_ENFORCE.replace("profile: Home-2M", "profile: Home"),
            "packages.Home.fair_use[0].profile",
            '"Home" is a package',
        ),
        (
            V6_ENFORCE.replace("profile: Home-2M", "profile: Home-2M, rate: 2M"),
            "packages.Home.fair_use[0]",
            "one of the two",
        ),
        (
            V6_ENFORCE.replace("profile: Home-2M", 'profile: "a;b"'),
            "packages.Home.fair_use[0].profile",
            "has characters that are not allowed here",
        ),
    ],
)
def test_enforce_settings_of_the_other_routeros_version_are_located_errors(text, where, why):
    found = problems(text)
    assert any(p.startswith(where if where.startswith("cfg.yaml") else "cfg.yaml:") and where in p and why in p
               for p in found), found  # fmt: skip


def test_cli_refuses_a_rate_on_a_routeros_6_router_with_exit_2(tmp_path):
    bad = tmp_path / "billing.yaml"
    bad.write_text(V6_ENFORCE.replace("profile: Home-2M", "rate: 2M/2M"))
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--config", str(bad), "--out", str(tmp_path / "b")],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 2 and "packages.Home.fair_use[0].rate" in run.stderr and "profile:" in run.stderr
