"""``rosbill probe`` against the emulated router over the API: it detects each behaviour switch setting it claims to
observe, does not claim to see the others, and leaves the router as it found it (a full dump of every table before and
after), also when the connection is cut at any command."""

from __future__ import annotations

import pytest

from emulator.api import Faults
from emulator.router import Router
from emulator.router.behaviour import Behaviour
from generator.deploy.credentials import Secret
from generator.deploy.transport import ApiTarget, Deadline, Endpoint, Refused, Target, TransportError
from generator.errors import DeployError
from generator.probe import script as probe_script
from generator.probe.apply import ProbeFailed, Report, probe
from generator.probe.observe import DIFFERS, HOLDS, UNSEEN, Observation
from probe.kit import PASSWORD_SECRET, V6, V7, V7_9, dump, router, served, with_ntp


class Wrapped(Target):
    """A connection passed through to ``inner``; a test overrides ``command`` to make the router behave otherwise."""

    def __init__(self, inner: Target) -> None:
        super().__init__(inner.label)
        self.inner = inner

    def print(self, menu, proplist=None, query=None):  # type: ignore[no-untyped-def]
        return self.inner.print(menu, proplist, query)

    def command(self, menu, command, args):  # type: ignore[no-untyped-def]
        return self.inner.command(menu, command, args)

    def close(self) -> None:
        self.inner.close()


def run(made: Router, *, mail_to: str | None = None, faults: Faults | None = None) -> Report:
    with served(made, faults) as lab:
        return probe(lab.endpoint(), PASSWORD_SECRET, mail_to=mail_to)


def row(report: Report, number: int) -> Observation:
    (found,) = [o for o in report.observations if o.row == number]
    return found


# --- each switch the probe observes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "verdict"), [("lowers-totals", HOLDS), ("keeps-totals", DIFFERS)], ids=["lowers", "keeps"]
)
def test_row_1_session_remove_keeping_totals_is_seen_once_rows_were_removed(setting: str, verdict: str) -> None:
    made = router(V7, Behaviour(um_session_remove=setting), removed=True)  # type: ignore[arg-type]
    seen = row(run(made), 1)
    assert seen.verdict == verdict, seen
    if verdict == DIFFERS:
        assert "bob;x=1: totals 100000/10000, sessions 0/0" in seen.observed  # named, not parsed apart


def test_row_1_without_removed_rows_both_settings_agree_and_the_note_says_so() -> None:
    for setting in ("lowers-totals", "keeps-totals"):
        seen = row(run(router(V7, Behaviour(um_session_remove=setting))), 1)
        assert seen.verdict == HOLDS
        assert "cannot tell keeps-totals apart" in seen.observed


def test_row_1_a_router_without_traffic_is_not_observed() -> None:
    assert row(run(router(V7, traffic=False)), 1).verdict == UNSEEN


@pytest.mark.parametrize(("setting", "verdict"), [("included", HOLDS), ("omitted", DIFFERS)])
def test_row_6_v6_print_counters(setting: str, verdict: str) -> None:
    seen = row(run(router(V6, Behaviour(v6_print_counters=setting))), 6)  # type: ignore[arg-type]
    assert seen.verdict == verdict, seen


@pytest.mark.parametrize("version", [V6, V7_9, V7])
@pytest.mark.parametrize(("setting", "verdict"), [("decimal", HOLDS), ("octal", DIFFERS)])
def test_row_24_tonum_leading_zero(version: str, setting: str, verdict: str) -> None:
    seen = row(run(router(version, Behaviour(tonum_leading_zero=setting), traffic=False)), 24)  # type: ignore[arg-type]
    assert seen.verdict == verdict, seen
    if setting == "octal":
        assert seen.observed == '"08" → nil, "010" → 8'


@pytest.mark.parametrize("version", [V6, V7])
@pytest.mark.parametrize(
    ("behaviour", "verdict"),
    [
        (Behaviour(), HOLDS),
        (Behaviour(mail_status="lagging", mail_status_lag_s=0.5), DIFFERS),
        (Behaviour(mail_status="lagging", mail_status_lag_s=5.0), DIFFERS),
    ],
    ids=["immediate", "lag-0.5", "lag-5"],
)
def test_rows_12_13_the_test_mail_shows_how_last_status_moves(version: str, behaviour: Behaviour, verdict: str) -> None:
    made = router(version, behaviour, traffic=False)
    report = run(made, mail_to="noc@example.net")
    assert row(report, 13).verdict == verdict, row(report, 13)
    assert row(report, 12).verdict == HOLDS  # before 7.21 send returns before the outcome, lagging or not
    assert [m.to for m in made.mail.outbox] == ["noc@example.net"]
    if verdict == DIFFERS:
        assert row(report, 13).observed.startswith("none at 0 ms")


def test_rows_12_13_without_a_test_mail_are_not_observed_and_nothing_is_sent() -> None:
    made = router(V7, traffic=False)
    report = run(made)
    assert row(report, 12).verdict == row(report, 13).verdict == UNSEEN
    assert "--send-test-mail" in row(report, 13).observed
    assert made.mail.outbox == []


@pytest.mark.parametrize("version", [V6, V7])
@pytest.mark.parametrize(
    ("behaviour", "verdict", "year"),
    [
        (Behaviour(boot_clock="rtc"), HOLDS, "2026"),
        (Behaviour(boot_clock="1970", ntp_sync_delay_s=600.0), DIFFERS, "1970"),
        (Behaviour(boot_clock="1970", ntp_sync_delay_s=0.0), HOLDS, "2026"),
    ],
    ids=["rtc", "1970-waiting", "1970-synced"],
)
def test_row_20_the_clock_after_a_reboot(version: str, behaviour: Behaviour, verdict: str, year: str) -> None:
    made = with_ntp(router(version, behaviour, traffic=False))
    made.reboot()
    made.advance(10)
    seen = row(run(made), 20)
    assert seen.verdict == verdict, seen
    assert year in seen.observed


UNOBSERVED = ["reset_delay_s", "um_close_session", "um_disabled_accounting", "v6_reset_counters", "power_cut_mail",
              "power_cut_loses_writes_s"]  # fmt: skip


@pytest.mark.parametrize("version", [V6, V7])
@pytest.mark.parametrize(
    ("name", "value"), [(n, v) for n in UNOBSERVED for v in Behaviour.alternatives()[n]], ids=lambda x: str(x)
)
def test_switches_the_probe_does_not_observe_leave_its_verdicts(version: str, name: str, value: object) -> None:
    """The probe claims nothing about these (docs/probe.md): under each alternative it reports what it reports under
    the defaults, and still leaves the router as it found it."""
    plain = run(router(version))
    made = router(version, Behaviour(**{name: value}))  # type: ignore[arg-type]
    before = dump(made)
    other = run(made)
    assert [(o.row, o.verdict) for o in other.observations] == [(o.row, o.verdict) for o in plain.observations]
    assert dump(made) == before


def test_every_observed_row_holds_on_the_default_emulator_and_the_table_names_each_register_row() -> None:
    for version, numbers in ((V7, {1, 8, 16, 19, 20, 21, 23, 24, 30, 32, 33, 34}),
                             (V6, {6, 8, 16, 19, 20, 22, 23, 24, 30, 32, 33, 34})):  # fmt: skip
        report = run(router(version))
        held = {o.row for o in report.observations if o.verdict == HOLDS}
        assert held == numbers, (version, held)
        assert not [o for o in report.observations if o.verdict == DIFFERS]
        assert row(report, 28).verdict == UNSEEN  # the emulator has no /user menu
        assert "no such command prefix" in row(report, 28).observed


# --- leaves the router as it found it ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [V6, V7_9, V7])
def test_the_router_is_left_as_found_and_only_the_probe_script_and_its_global_were_written(version: str) -> None:
    made = router(version, removed=True)
    before = dump(made)
    report = run(made)
    assert dump(made) == before
    assert report.writes == 4  # add the script, run it, remove its global, remove it
    assert report.removed_leftovers == ()


def test_with_a_test_mail_only_the_mail_its_status_and_the_time_it_took_differ() -> None:
    made = router(V7, traffic=False)
    before = dump(made)
    run(made, mail_to="noc@example.net")
    after = dump(made)
    changed = {k for k in before if before[k] != after[k]}
    assert changed <= {"/tool e-mail", "/log", "outbox"}
    (email_before,), (email_after,) = before["/tool e-mail"], after["/tool e-mail"]
    assert {k for k in email_before if email_before[k] != email_after[k]} == {"last-status"}


class FailingReconnect:
    """ApiTarget.connect, except that every connection after the first fails (the link stays down)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, endpoint: Endpoint, password: Secret, deadline: Deadline) -> Target:
        self.calls += 1
        if self.calls > 1:
            raise TransportError(f"{endpoint.label}: cannot connect: refused")
        return ApiTarget.connect(endpoint, password, deadline)


def commands_of_one_probe(version: str) -> int:
    return run(router(version)).round_trips - 1  # the login is not counted by the fault injector


@pytest.mark.parametrize("version", [V6, V7])
@pytest.mark.parametrize("when", ["before", "after"])
def test_a_cut_at_any_command_leaves_the_router_as_found(version: str, when: str) -> None:
    """The cut fires once: probe connects again and removes what it wrote; the router equals its dump."""
    total = commands_of_one_probe(version)
    outcomes = set()
    for n in range(total + 1):
        made = router(version)
        before = dump(made)
        try:
            run(made, faults=Faults(cut_after=n, cut_when=when))  # type: ignore[arg-type]
            outcomes.add("finished")
        except ProbeFailed as failed:
            assert not failed.leftovers
            outcomes.add("cut while written")
        except DeployError:
            outcomes.add("cut while reading")
        assert dump(made) == before, (n, when)
    assert outcomes == {"cut while reading", "cut while written", "finished"}


@pytest.mark.parametrize("command", ["/system/script/add", "/system/script/run", "/system/script/environment/remove"])
def test_when_the_link_stays_down_the_next_probe_removes_the_leftovers_first(command: str) -> None:
    made = router(V7)
    before = dump(made)
    with served(made, Faults(cut_at=command, cut_when="after")) as lab:
        with pytest.raises(ProbeFailed) as failed:
            probe(lab.endpoint(), PASSWORD_SECRET, connect=FailingReconnect(), token="0badcafe")
        assert failed.value.leftovers
        assert "the next rosbill probe of this router removes it" in str(failed.value)
        left = [r["name"] for r in made.rows("/system script")]
        assert left == [b"rosbill-probe-0badcafe"]
        report = probe(lab.endpoint(), PASSWORD_SECRET)
    assert "rosbill-probe-0badcafe" in report.removed_leftovers
    # The global is left only when the cut came after the run and before its removal.
    assert ("rosbillProbe0badcafe" in report.removed_leftovers) == (command == "/system/script/run")
    assert dump(made) == before


def test_leftover_removal_touches_only_names_of_the_probe_form() -> None:
    made = router(V7, traffic=False)
    for name in ("rosbill-probe-notahex!", "rosbill-probe-", "rosbill-probe-0badcafe0", "my-rosbill-probe-0badcafe",
                 "Billing", "rosbill-probe-0BADCAFE"):  # fmt: skip
        made.invoke("/system script", "add", {"name": name, "source": ":log info mine"})
    made.invoke("/system script", "add", {"name": "rosbill-probe-0badcafe", "source": ":global rosbillProbe0badcafe 1"})
    made.invoke("/system script", "run", {"number": "rosbill-probe-0badcafe"})
    made.environment["rosbillProbeX"] = b"mine"
    made.environment["rosbillProbe0badcafeX"] = b"mine"
    report = run(made)
    assert set(report.removed_leftovers) == {"rosbill-probe-0badcafe", "rosbillProbe0badcafe"}
    names = {r["name"].decode() for r in made.rows("/system script")}
    assert "rosbill-probe-0badcafe" not in names and len(names) == 6
    assert set(made.environment) == {"rosbillProbeX", "rosbillProbe0badcafeX"}


def test_the_probe_script_never_names_a_user_manager_write() -> None:
    """Users are never touched: the script's User Manager commands are reads only."""
    from generator.dialects import RouterOSVersion, for_version

    for version in ("6.49", "7.9", "7.16", "7.21"):
        dialect = for_version(RouterOSVersion.parse(version))
        source = probe_script.source(dialect, "rosbillProbe12345678", "noc@example.net")
        for line in source.splitlines():
            if dialect.um_menu in line:
                words = line.split(dialect.um_menu, 1)[1].split()
                assert words[1].rstrip("]") in ("print", "find", "get", "monitor"), line


def test_a_refused_login_is_a_deploy_error_and_nothing_is_written() -> None:
    made = router(V7, traffic=False)
    before = dump(made)
    with served(made) as lab, pytest.raises(DeployError, match="refused the login"):
        probe(lab.endpoint(), Secret("wrong"))
    assert dump(made) == before


@pytest.mark.parametrize("server", [None, "192.0.2.25"], ids=["failing", "delivering"])
def test_from_7_21_send_waits_and_row_12_holds(server: str | None) -> None:
    made = router("7.21", traffic=False)
    if server:
        made.invoke("/tool e-mail", "set", {"server": server})
    report = run(made, mail_to="noc@example.net")
    assert row(report, 12).verdict == HOLDS, row(report, 12)
    assert row(report, 12).expected.startswith("send waits")
    assert row(report, 13).verdict == UNSEEN
    assert [m.status for m in made.mail.outbox] == ["succeeded" if server else "failed"]


def test_api_ssl_with_a_pinned_fingerprint_and_a_wrong_pin_refused_before_anything_is_sent() -> None:
    from emulator.api import Credentials, start_server
    from generator.deploy.transport import TlsRefused
    from probe.kit import PASSWORD, USER

    made = router(V7, traffic=False)
    before = dump(made)
    with start_server(made, made.version, tls=True, credentials=Credentials(USER, PASSWORD)) as server:
        assert server.info.certificate is not None
        pin = server.info.certificate.sha256
        good = Endpoint("r1", "127.0.0.1", server.port, True, USER, None, pin, 20.0)
        assert row(probe(good, PASSWORD_SECRET), 24).verdict == HOLDS
        bad = Endpoint("r1", "127.0.0.1", server.port, True, USER, None, "AA:" * 31 + "AA", 20.0)
        with pytest.raises(TlsRefused, match="no password was sent"):
            probe(bad, PASSWORD_SECRET)
        assert server.stats.login_failures == 0
    assert dump(made) == before


class LateAnswers(Target):
    """A router whose ``run`` answers before the script has set its global: the first ``hidden`` looks miss it."""

    def __init__(self, inner: Target, hidden: int) -> None:
        super().__init__(inner.label)
        self.inner, self.hidden = inner, hidden

    def print(self, menu, proplist=None, query=None):  # type: ignore[no-untyped-def]
        self.commands.append(menu + "/print")
        if menu == "/system/script/environment" and query and self.hidden > 0:
            self.hidden -= 1
            return []
        return self.inner.print(menu, proplist, query)

    def command(self, menu, command, args):  # type: ignore[no-untyped-def]
        self.commands.append(f"{menu}/{command}")
        return self.inner.command(menu, command, args)

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize(("hidden", "answered"), [(3, True), (40, False)])
def test_answers_that_come_late_are_waited_for_up_to_the_limit(hidden: int, answered: bool) -> None:
    made = router(V7, traffic=False)
    before = dump(made)
    slept: list[float] = []

    def connect(endpoint: Endpoint, password: Secret, deadline: Deadline) -> Target:
        return LateAnswers(ApiTarget.connect(endpoint, password, deadline), hidden)

    with served(made) as lab:
        report = probe(lab.endpoint(), PASSWORD_SECRET, connect=connect, sleep=slept.append)
    assert (row(report, 24).verdict == HOLDS) == answered
    assert len(slept) == (3 if answered else 30)
    if not answered:
        assert row(report, 24).observed == "the probe script left no answers"
        assert report.maybe_left is not None and report.maybe_left in made.environment  # unseen, still there
        assert "removed by the next rosbill probe" in report.notes[0]
        with served(made) as lab:
            assert probe(lab.endpoint(), PASSWORD_SECRET).removed_leftovers[0].startswith("rosbillProbe")
    assert dump(made) == before


def test_a_deadline_that_passes_while_the_script_is_on_the_router_still_cleans_up() -> None:
    """The deadline passes during the run (the clock is pushed past it); the clean-up gets a fresh allowance."""
    made = router(V7, traffic=False)
    before = dump(made)

    class LateClock(Wrapped):
        def command(self, menu, command, args):  # type: ignore[no-untyped-def]
            if command == "run":
                self.inner.deadline._ends -= 10_000  # the run took longer than the whole deadline
            return self.inner.command(menu, command, args)

    calls: list[int] = []

    def connect(endpoint: Endpoint, password: Secret, deadline: Deadline) -> Target:
        calls.append(1)
        inner = ApiTarget.connect(endpoint, password, deadline)
        return LateClock(inner) if len(calls) == 1 else inner

    with served(made) as lab, pytest.raises(ProbeFailed, match="deadline") as failed:
        probe(lab.endpoint(), PASSWORD_SECRET, connect=connect, deadline=60.0)
    assert not failed.value.leftovers
    assert len(calls) == 2
    assert dump(made) == before


def test_a_router_that_refuses_the_long_comment_shows_row_30_differs_and_the_probe_goes_on() -> None:
    made = router(V7, traffic=False)
    before = dump(made)

    class ShortComments(Wrapped):
        def command(self, menu, command, args):  # type: ignore[no-untyped-def]
            if command == "add" and len(args.get("comment", b"")) > 255:
                raise Refused(self.label, f"{menu}/add", "value of comment too long")
            return self.inner.command(menu, command, args)

    def connect(endpoint: Endpoint, password: Secret, deadline: Deadline) -> Target:
        return ShortComments(ApiTarget.connect(endpoint, password, deadline))

    with served(made) as lab:
        report = probe(lab.endpoint(), PASSWORD_SECRET, connect=connect)
    assert row(report, 30).verdict == DIFFERS
    assert row(report, 30).observed == "a 1000-character comment was refused: value of comment too long"
    assert row(report, 24).verdict == HOLDS
    assert dump(made) == before


def test_an_api_user_who_may_not_add_scripts_still_gets_the_read_only_rows() -> None:
    made = router(V7, traffic=False)
    before = dump(made)

    class NoWrite(Wrapped):
        def command(self, menu, command, args):  # type: ignore[no-untyped-def]
            if command == "add":
                raise Refused(self.label, f"{menu}/add", "not enough permissions (9)")
            return self.inner.command(menu, command, args)

    def connect(endpoint: Endpoint, password: Secret, deadline: Deadline) -> Target:
        return NoWrite(ApiTarget.connect(endpoint, password, deadline))

    with served(made) as lab:
        report = probe(lab.endpoint(), PASSWORD_SECRET, connect=connect)
    assert row(report, 21).verdict == HOLDS
    for number in (24, 30, 34):
        assert row(report, number).verdict == UNSEEN
        assert "could not be added: not enough permissions (9)" in row(report, number).observed
    assert dump(made) == before
