"""User fixtures: the YAML format, loading into User Manager v6/v7, and usage that flows as time advances."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from emulator import fixture
from emulator.fixture import FixtureError, load
from emulator.fixture_usage import apply, build_router
from emulator.router import Router
from emulator.version import RouterOSVersion

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "users.example.yaml"
VERSIONS = ["6.49.10", "7.16.2"]
MB = 10**6

SMALL = """
router: {start: "2026-11-29 12:00:00"}
accounting: {interim: 1h, latency: 2s}
e-mail: {server: 192.0.2.25, from: billing@example.net, tls: "no"}
profiles:
  - {name: Gold, price: "30"}
users:
  - name: alice
    password: pw
    package: Gold
    email: alice@example.com
    first-name: Alice
    comment: vip
    daily: {download: 100MB, upload: 10MB, from: "08:00", to: "18:00"}
    days:
      2026-11-30: {download: 0}
  - name: carol
    package: Gold
    email: carol@example.net
    reconnect: 10s
    sessions:
      - {start: "2026-11-29 00:00:00", end: "2026-12-01 12:00:00", download-per-day: 2.4GB, upload-per-day: 240MB}
"""


def usage(router: Router, user: str) -> int:
    assert router.um is not None
    return router.um.usage(user).download


def test_the_example_fixture_parses() -> None:
    fixture = load(EXAMPLE)
    assert [u.name for u in fixture.users] == ["alice", "bob", "carol", "dave", "erin", "mallory o'hara"]
    alice = fixture.users[0]
    assert alice.daily is not None and alice.daily.volume.download == 800 * MB
    assert alice.days[dt.date(2026, 11, 30)].upload == 10**9
    assert fixture.users[1].daily.volume.download == 2 * 2**30  # type: ignore[union-attr]
    carol = fixture.users[2]
    assert carol.sessions[0].end is None and carol.interim_s == 60
    assert [p.validity_s for p in fixture.profiles] == [30 * 86400, 30 * 86400, 0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("users: [{password: x}]", r"users\[0\]: a user needs a name"),
        ("users: [{name: a, daily: {download: lots}}]", r"users\[0\].daily.download: expected a size"),
        (
            "users: [{name: a, daily: {download: 1MB, from: 8:00}}]",
            r"users\[0\].daily.from: write times of day in quotes",
        ),
        ("users: [{name: a, service: dialup}]", r"users\[0\].service"),
        ("accounting: {interim: soon}", r"accounting.interim"),
        ("users: [{name: a, sessions: [{end: 2026-12-01}]}]", r"users\[0\].sessions\[0\]: a session needs a start"),
    ],
)
def test_structural_mistakes_name_the_key(text: str, message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        load(text)


@pytest.mark.parametrize("version", VERSIONS)
def test_the_example_loads_on_both_versions_and_reports_what_the_router_refused(version: str) -> None:
    fixture = load(EXAMPLE)
    router = Router(RouterOSVersion.parse(version), start=fixture.start)
    report = apply(fixture, router)
    assert len(report.users) == 6
    assert report.problems == ["user mallory o'hara package Platinum: input does not match any value of profile"]


def test_v6_gets_the_personal_fields() -> None:
    router = build_router(load(SMALL), RouterOSVersion.parse("6.49.10"))
    alice = router.rows("/tool user-manager user")[0]
    assert (alice["username"], alice["email"], alice["first-name"], alice["comment"], alice["actual-profile"]) == (
        b"alice", b"alice@example.com", b"Alice", b"vip", b"Gold"
    )  # fmt: skip
    assert router.rows("/tool e-mail")[0]["address"] == b"192.0.2.25"


def test_v7_gets_the_comment_template_and_user_manager_enabled() -> None:
    fixture = load(SMALL + 'v7-comment: "email={email};{comment}"\n')
    router = build_router(fixture, RouterOSVersion.parse("7.16.2"))
    alice = router.rows("/user-manager user")[0]
    assert alice["comment"] == b"email=alice@example.com;vip"
    assert router.rows("/user-manager")[0]["enabled"] is True
    assert [r["profile"] for r in router.rows("/user-manager user-profile")] == [b"Gold", b"Gold"]
    assert router.rows("/tool e-mail")[0]["server"] == b"192.0.2.25"


@pytest.mark.parametrize("version", VERSIONS)
def test_daily_volumes_flow_inside_the_window_and_days_override(version: str) -> None:
    router = build_router(load(SMALL), RouterOSVersion.parse(version))
    router.advance_to(dt.datetime(2026, 11, 29, 23, 0))
    assert usage(router, "alice") == 100 * MB  # started mid-window: the day's session reports its history
    router.advance_to(dt.datetime(2026, 11, 30, 23, 0))
    assert usage(router, "alice") == 100 * MB  # 30 Nov: zero
    router.advance_to(dt.datetime(2026, 12, 1, 13, 0, 3))
    assert usage(router, "alice") == 100 * MB + 50 * MB  # 08:00-13:00 of 10 h, hourly interim at 13:00


@pytest.mark.parametrize("version", VERSIONS)
def test_a_long_session_spans_the_month_end_at_a_constant_rate(version: str) -> None:
    router = build_router(load(SMALL), RouterOSVersion.parse(version))
    router.advance_to(dt.datetime(2026, 12, 1, 0, 0, 3))
    assert usage(router, "carol") == 2 * 2400 * MB
    (row,) = [r for r in router.rows("/ppp active") if r["name"] == b"carol"]
    assert row["uptime"].ns == (2 * 86400 + 3) * 10**9
    router.advance_to(dt.datetime(2026, 12, 2))
    assert usage(router, "carol") == 2 * 2400 * MB + 1200 * MB
    assert not [r for r in router.rows("/ppp active") if r["name"] == b"carol"]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_kicked_client_reconnects_with_a_fresh_session(version: str) -> None:
    router = build_router(load(SMALL), RouterOSVersion.parse(version))
    router.advance_to(dt.datetime(2026, 11, 30, 0, 0, 5))
    router.invoke("/ppp active", "remove", {"numbers": router.invoke("/ppp active", "find", {"name": "carol"})})
    assert not [r for r in router.rows("/ppp active") if r["name"] == b"carol"]
    router.advance(11)
    (row,) = [r for r in router.rows("/ppp active") if r["name"] == b"carol"]
    assert row["uptime"].ns == 1 * 10**9


def test_a_disabled_user_never_gets_a_session() -> None:
    fixture = load(EXAMPLE)
    router = build_router(fixture, RouterOSVersion.parse("7.16.2"))
    router.advance_to(dt.datetime(2026, 11, 26, 23, 0))
    assert usage(router, "dave") == 0
    assert usage(router, "alice") > 0


def test_a_router_without_user_manager_reports_it() -> None:
    router = Router(RouterOSVersion.parse("7.16.2"), user_manager=False)
    report = apply(load(SMALL), router)
    assert report.users == [] and "no user-manager" in report.problems[0]


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_a_month_of_the_example_fixture(version: str) -> None:
    router = build_router(load(EXAMPLE), RouterOSVersion.parse(version))
    router.advance_to(dt.datetime(2026, 12, 31, 23, 59))
    # 25 Nov … 31 Dec is 37 days: 35 ordinary ones, 28 Nov off, 30 Nov heavy.
    assert usage(router, "alice") == 35 * 800 * MB + 6000 * MB
    assert usage(router, "erin") == 10 * 10**9 * 39 // 24  # 10 GB/day for 39 h
    assert router.um is not None and len(router.nas.sessions) >= 1  # carol is still on line


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (5, "the fixture must be a mapping"),
        ({"users": 5}, "users: expected a list of users, got int"),
        ({"router": 3}, "router: expected a mapping"),
        ({"profiles": {"a": 1}}, "profiles: expected a list of profiles, got dict"),
        ({"e-mail": 7}, "e-mail: expected a mapping of /tool e-mail settings"),
    ],
)
def test_a_fixture_of_the_wrong_shape_names_the_section(data, message):
    with pytest.raises(fixture.FixtureError, match=message):
        fixture.parse(data)


# --- comment: and the RouterOS 7 comment template: one rule (docs/simulator.md "User fixtures") ---------------------

COMMENTED = """
v7-comment: "rb{{email={email}}}"
users:
  - name: ann
    email: ann@example.net
    comment: "rb{disc=20%}"
"""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # The template has no {comment}: ann's 20 % discount would vanish on v7 only.
        (COMMENTED, 6, r"users\[0\].comment: ann's comment would be dropped on RouterOS 7: .* has no \{comment\}"),
        # With {comment} the result has two rb{ blocks, which the billing scripts read as one broken state.
        (COMMENTED.replace("}}}", "}}} {comment}"), 6, r"users\[0\].comment: .*two rb\{ blocks"),
        # A per-user dialect-specific comment is not a second comment that replaces the first.
        (
            "users:\n  - name: bo\n    comment: vip\n    v7-comment: other\n",
            4,
            r"users\[0\].v7-comment: a user has one",
        ),
        ('v7-comment: "{mail}"\nusers: [{name: bo}]\n', 1, r"v7-comment: '\{mail\}' is not a template"),
    ],
)
def test_a_comment_the_v7_template_would_drop_or_double_is_refused_where_it_is(text, line, message) -> None:
    with pytest.raises(FixtureError, match=message) as caught:
        load(text)
    assert caught.value.line == line


def test_the_located_refusal_reaches_the_cli_message(tmp_path: Path) -> None:
    from emulator.lab import FixtureProblem, read_fixture

    path = tmp_path / "users.yaml"
    path.write_text(COMMENTED)
    with pytest.raises(FixtureProblem, match=rf"^{re.escape(str(path))}:6:5: users\[0\]\.comment: ann's comment"):
        read_fixture(path)


def test_the_comment_is_part_of_the_v7_comment_and_the_v6_comment_as_given() -> None:
    text = COMMENTED.replace('"rb{{email={email}}}"', '"{comment} for {email}"')
    v7 = build_router(load(text), RouterOSVersion.parse("7.16.2")).rows("/user-manager user")[0]
    assert v7["comment"] == b"rb{disc=20%} for ann@example.net"
    v6 = build_router(load(text), RouterOSVersion.parse("6.49.10")).rows("/tool user-manager user")[0]
    assert v6["comment"] == b"rb{disc=20%}"
