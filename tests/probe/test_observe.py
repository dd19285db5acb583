"""The observations as pure functions: what the router returned in, one verdict per register row out. These cover what
the emulator cannot show (it has no /user menu, no 7.21 mail outcome that matches the status before, no ntp package on
v6), and the probe script's source: lint-clean on every dialect, values only through the encoder."""

from __future__ import annotations

import pytest

from generator import lint as lint_stage
from generator.dialects import RouterOSVersion, for_version
from generator.probe import script as probe_script
from generator.probe.observe import (
    DIFFERS,
    HOLDS,
    UNSEEN,
    Readings,
    api_user_policy,
    clock_trusted,
    mail_send_returns,
    mail_status_moves,
    ntp_status,
    observe,
    totals_follow_sessions,
)

V7 = for_version(RouterOSVersion.parse("7.16"))
V7_21 = for_version(RouterOSVersion.parse("7.21"))
V6 = for_version(RouterOSVersion.parse("6.49"))


def readings(dialect=V7, **parts) -> Readings:  # type: ignore[no-untyped-def]
    return Readings(dialect, str(dialect.version), "rosbill", **parts)


@pytest.mark.parametrize(
    ("policy", "verdict"),
    [(b"read,write,test,api", HOLDS), (b"local,read,write,test,api,!sensitive", HOLDS), (b"read,test,api", DIFFERS),
     (b"read,write,test,!api", DIFFERS)],
)  # fmt: skip
def test_row_28_the_api_users_group_policy(policy: bytes, verdict: str) -> None:
    seen = api_user_policy(readings(policy_groups=({"name": b"billing", "policy": policy},)))
    assert seen.verdict == verdict
    assert seen.observed.startswith("group billing: ")


def test_row_28_unreadable_or_missing_is_not_observed() -> None:
    assert api_user_policy(readings(problems={"policy": "/user/print: not enough permissions"})).verdict == UNSEEN
    assert api_user_policy(readings(policy_groups=())).verdict == UNSEEN


def test_row_12_from_7_21_send_waits_and_a_final_status_at_once_holds() -> None:
    mail = {"mailbefore": "none", "mailsend": "ok", "mailseq": "0:succeeded,"}
    assert mail_send_returns(readings(V7_21, script=mail, mail_to="a@b.example")).verdict == HOLDS
    assert mail_send_returns(readings(V7, script=mail, mail_to="a@b.example")).verdict == DIFFERS
    assert mail_status_moves(readings(V7_21, script=mail, mail_to="a@b.example")).verdict == UNSEEN


def test_row_12_a_final_status_equal_to_the_one_before_cannot_tell() -> None:
    mail = {"mailbefore": "succeeded", "mailsend": "ok", "mailseq": "0:succeeded,"}
    assert mail_send_returns(readings(V7_21, script=mail, mail_to="a@b.example")).verdict == UNSEEN


def test_row_13_a_lag_that_outlasts_the_watch_is_lagging() -> None:
    mail = {"mailbefore": "succeeded", "mailsend": "ok", "mailseq": "0:succeeded,"}
    assert mail_status_moves(readings(script=mail, mail_to="a@b.example")).verdict == DIFFERS
    failed = {"mailbefore": "none", "mailsend": "error", "mailseq": "0:none,"}
    assert "send command failed" in mail_status_moves(readings(script=failed, mail_to="a@b.example")).observed


@pytest.mark.parametrize(
    ("row", "dialect", "verdict"),
    [({"enabled": b"true", "status": b"synchronized"}, V7, HOLDS),
     ({"enabled": b"true", "status": b"odd"}, V7, DIFFERS), ({"enabled": b"true"}, V7, DIFFERS),
     ({"enabled": b"true", "last-adjustment": b"00:00:00.01"}, V6, HOLDS),
     ({"enabled": b"true", "status": b"synchronized"}, V6, DIFFERS)],
)  # fmt: skip
def test_rows_21_22_ntp_status_per_dialect(row: dict[str, bytes], dialect: object, verdict: str) -> None:
    assert ntp_status(readings(dialect, ntp=row)).verdict == verdict


@pytest.mark.parametrize(
    ("date", "ntp", "verdict"),
    [("2026-11-30", {"enabled": b"true", "status": b"synchronized"}, HOLDS),
     ("2026-11-30", {"enabled": b"true", "status": b"waiting"}, DIFFERS),
     ("1970-01-02", {"enabled": b"false"}, DIFFERS), ("nov/30/2026", {"enabled": b"false"}, HOLDS),
     ("30.11.2026", {"enabled": b"false"}, DIFFERS)],
)  # fmt: skip
def test_row_20_the_clock_is_trusted_only_when_set_and_synchronised(
    date: str, ntp: dict[str, bytes], verdict: str
) -> None:
    assert clock_trusted(readings(script={"date": date}, ntp=ntp)).verdict == verdict


def test_row_1_names_the_users_whose_totals_differ_and_counts_the_rest() -> None:
    answers = {"totals": "9,8,7,9", "totalsapart": "*1/10/1/0/0,*2/5/5/5/4,*3/1/1/0/0,*4/1/1/0/0,*5/1/1/0/0,"}
    seen = totals_follow_sessions(readings(script=answers, user_names={"*1": "ann", "*2": "b;=c"}))
    assert seen.verdict == DIFFERS
    assert seen.observed.startswith("7 of 8 users differ: ann: totals 10/1, sessions 0/0; b;=c: totals 5/5")
    assert seen.observed.endswith("(and 2 more)")
    assert totals_follow_sessions(readings(script={"totals": "200,3,0,500"})).observed.startswith(
        "equal for 3 users with traffic (the first 200 of 500 users)"
    )


def test_without_the_script_every_script_row_says_why() -> None:
    seen = observe(readings(problems={"script": "the probe script failed: not enough permissions (9)"}))
    script_rows = [o for o in seen if o.row in (1, 8, 16, 19, 20, 23, 24, 32, 33, 34)]
    assert len(script_rows) == 10
    for o in script_rows:
        assert o.verdict == UNSEEN
        assert "not enough permissions" in o.observed, o


def test_every_row_of_the_register_appears_once_per_dialect_or_does_not_apply() -> None:
    v7 = [o.row for o in observe(readings(V7))]
    v6 = [o.row for o in observe(readings(V6))]
    assert v7 == sorted(set(v7)) and v6 == sorted(set(v6))
    assert set(range(1, 35)) - set(v7) == {2, 6, 7, 22}  # v6 rows
    assert set(range(1, 35)) - set(v6) == {1, 21}  # v7 rows


def test_parse_reads_the_answers_back() -> None:
    assert probe_script.parse("tonum08=num:8;date=2026-11-30;userfields=.id:id,name:str,;x;=y;") == {
        "tonum08": "num:8",
        "date": "2026-11-30",
        "userfields": ".id:id,name:str,",
    }


def test_probe_names_are_of_one_form() -> None:
    assert probe_script.names("0badcafe") == ("rosbill-probe-0badcafe", "rosbillProbe0badcafe")
    for bad in ("0BADCAFE", "0badcaf", "0badcafe0", "../x", ""):
        with pytest.raises(ValueError, match="probe token"):
            probe_script.names(bad)


@pytest.mark.parametrize("version", ["6.49", "7.9", "7.16", "7.21"])
def test_the_probe_script_is_lint_clean(version: str) -> None:
    dialect = for_version(RouterOSVersion.parse(version))
    source = probe_script.source(dialect, "rosbillProbe0badcafe", 'noc+"$x"@example.net')
    findings = lint_stage.failing(lint_stage.lint([lint_stage.Source("probe.rsc", source, "script")], dialect.version))
    assert findings == []
    assert '"noc+\\"\\$x\\"@example.net"' in source  # the address went through the encoder
