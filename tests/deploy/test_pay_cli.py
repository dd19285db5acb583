"""``rosbill pay`` and ``rosbill report`` end to end through ``generator.cli.main`` against the emulated API server,
RouterOS 7 and 6: what is written (and that the report writes nothing), refusals and their exit codes, the run lock,
races on the comment, ``--now``, unreachable routers and wrong passwords, and the password never shown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from billing.harness import Bench, user

from deploy.labkit import PASSWORD, Lab, config_data, lab, router_entry, write_config
from emulator.api import Faults
from emulator.api.faults import Misread
from generator import payments
from generator.cli import main
from generator.cli_pay import BUSY
from generator.deploy.credentials import Secret
from generator.deploy.transport import ApiTarget, Row, Target
from generator.errors import ExitCode

VERSIONS = ("7.16", "6.49.10")
ANN = "Tower 3, dish 2 rb{bdisc=1990;bpkg=Lite;bprice=19900;email=ann@example.net;no=10107;per=2026-11;zz=keep} §x"
BOB = "rb{bprice=9900;no=10108;owe=2026-10;per=2026-11;rsd=20760;thr=120}"
BROKEN = "rb{per=2026-11;no=10109"


@dataclass
class Setup:
    one: Lab
    config: Path

    @property
    def menu(self) -> str:
        return "/user-manager user" if self.one.version.user_manager_v7 else "/tool user-manager user"

    @property
    def login(self) -> str:
        return "name" if self.one.version.user_manager_v7 else "username"

    def add_user(self, name: str, comment: str) -> None:
        extra = {} if self.one.version.user_manager_v7 else {"customer": b"admin"}
        self.one.router.invoke(self.menu, "add", {self.login: name.encode(), "comment": comment.encode(), **extra})

    def comment(self, name: str) -> str:
        (row,) = [r for r in self.one.router.rows(self.menu) if r[self.login] == name.encode()]
        return bytes(row.get("comment", b"")).decode("utf-8")

    def run(self, *args: str) -> int:
        return main([args[0], "--config", str(self.config), "--timeout", "5", *args[1:]])


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSBILL_PASSWORD", PASSWORD)
    monkeypatch.delenv("ROSBILL_PASSWORD_R1", raising=False)


@pytest.fixture(params=VERSIONS)
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Setup]:
    with lab(request.param) as one:
        config = write_config(tmp_path / "config", config_data(router_entry("r1", request.param, one.server.port)))
        found = Setup(one, config)
        for name, comment in (("ann", ANN), ("bob", BOB), ("carl", BROKEN), ("dora", "no state here")):
            found.add_user(name, comment)
        yield found


def writes(setup: Setup) -> list[str]:
    return setup.one.recorder.writes()


# --- rosbill pay ---------------------------------------------------------------------------------------------------


def test_pay_marks_the_last_bill_paid_keeping_the_rest(setup: Setup, capsys: pytest.CaptureFixture[str]):
    assert setup.run("pay", "ann") == ExitCode.OK
    captured = capsys.readouterr()
    assert "r1: ann: 2026-11 paid: 179.10 R; comment written and read back" in captured.out
    # the emulated router lists /system script job, so pay checked the jobs too and has nothing to note
    assert "only the run lock was checked" not in captured.err
    comment = setup.comment("ann")
    state = payments.parse(comment)
    assert state.pre == "Tower 3, dish 2 " and state.post == " §x" and state.get("zz") == "keep"
    assert (state.get("paid"), state.get("owe"), state.get("pamt")) == ("2026-11", "", "17910")
    assert state.get("pday") == str(payments.day_number(setup.one.router.clock.local().date()))
    assert comment == ANN.replace("per=2026-11;", f"paid=2026-11;pamt=17910;pday={state.get('pday')};per=2026-11;")
    assert len([w for w in writes(setup) if w.endswith("user set")]) == 1


def test_paying_an_earlier_period_leaves_owe_at_the_next_month(setup: Setup, capsys: pytest.CaptureFixture[str]):
    assert setup.run("pay", "bob", "--period", "2026-10", "--amount", "99") == ExitCode.OK
    state = payments.parse(setup.comment("bob"))
    assert (state.get("paid"), state.get("owe"), state.get("pamt")) == ("2026-10", "2026-11", "9900")
    assert state.get("rsd") == "20760"  # Enforce lifts the restriction, not pay


def test_a_second_pay_says_already_paid_and_writes_nothing(setup: Setup, capsys: pytest.CaptureFixture[str]):
    assert setup.run("pay", "ann") == ExitCode.OK
    before, count = setup.comment("ann"), len(writes(setup))
    capsys.readouterr()
    assert setup.run("pay", "ann", "--json") == ExitCode.OK
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["result"] == "already_paid" and document["exit_code"] == 0 and document["changes"] == {}
    assert "2026-11 is already paid; nothing written" in captured.err
    assert setup.comment("ann") == before and len(writes(setup)) == count


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--amount", "100"), "100.00 R is less than the 179.10 due for 2026-11 (invoice 10107); give --partial"),
        (("--period", "2026-12"), "period 2026-12 is later than the user's last bill (2026-11)"),
        (("--period", "2026-10"), "the amount due for 2026-10 is not known"),
    ],
)
def test_refused_payments_exit_2_and_write_nothing(setup: Setup, capsys: pytest.CaptureFixture[str],
                                                   args: Sequence[str], message: str):  # fmt: skip
    assert setup.run("pay", "ann", *args) == ExitCode.USAGE
    assert message in capsys.readouterr().err
    assert writes(setup) == [] and setup.comment("ann") == ANN


def test_a_partial_payment_is_recorded_without_marking_the_period_paid(
    setup: Setup, capsys: pytest.CaptureFixture[str]
):
    assert setup.run("pay", "ann", "--amount", "100", "--partial") == ExitCode.OK
    state = payments.parse(setup.comment("ann"))
    assert state.get("paid") == "" and state.get("pamt") == "10000"
    assert "partial payment recorded" in capsys.readouterr().out


@pytest.mark.parametrize(("user", "message"), [("carl", "is broken (the rb{ block has no closing })"),
                                               ("nobody", "no User Manager user 'nobody'"),
                                               ("dora", "no bill is recorded")])  # fmt: skip
def test_broken_unknown_or_unbilled_users_are_refused(setup: Setup, capsys: pytest.CaptureFixture[str], user: str,
                                                      message: str):  # fmt: skip
    assert setup.run("pay", user) == ExitCode.USAGE
    assert message in capsys.readouterr().err and writes(setup) == []


def test_pay_is_refused_while_a_run_holds_the_lock(setup: Setup, capsys: pytest.CaptureFixture[str]):
    setup.one.router.environment["rosbillLock"] = b"Oversight 20787 3600"
    assert setup.run("pay", "ann") == BUSY
    err = capsys.readouterr().err
    assert "a rosbill run holds the lock (Oversight, since 2026-11-30 01:00); nothing written" in err
    assert writes(setup) == [] and setup.comment("ann") == ANN
    setup.one.router.environment["rosbillLock"] = b""  # what a run leaves when it ends
    assert setup.run("pay", "ann") == ExitCode.OK


def test_a_comment_that_differs_when_read_back_exits_5(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """The API server reports another comment than the one written (as when a run wrote at the same moment)."""
    faults = Faults(misreads=(Misread("comment", ANN.encode()),))
    with lab("7.16", faults=faults) as one:
        config = write_config(tmp_path / "c", config_data(router_entry("r1", "7.16", one.server.port)))
        found = Setup(one, config)
        found.add_user("ann", ANN)
        assert found.run("pay", "ann") == ExitCode.DEPLOY
        assert "read back differs from what was written" in capsys.readouterr().err
        assert "paid=2026-11" in found.comment("ann")  # the write itself happened


def test_a_connection_cut_during_the_write_says_the_outcome_is_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    faults = Faults(cut_at="/user-manager/user/set", cut_when="after")
    with lab("7.16", faults=faults) as one:
        config = write_config(tmp_path / "c", config_data(router_entry("r1", "7.16", one.server.port)))
        found = Setup(one, config)
        found.add_user("ann", ANN)
        assert found.run("pay", "ann") == ExitCode.DEPLOY
        err = capsys.readouterr().err
        assert "whether the payment was written is not known" in err and "Traceback" not in err


class Meddling(Target):
    """A connection that does something on the router at one moment of ``record`` (what a run could do), or answers
    ``/system/script/job`` with given rows."""

    def __init__(self, inner: ApiTarget, *, on_print: int | None = None, action=None, jobs=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(inner.label)
        self.inner, self.on_print, self.action, self.jobs, self.prints = inner, on_print, action, jobs, 0

    def print(self, menu: str, proplist: Sequence[str] | None = None,
              query: Mapping[str, bytes] | None = None) -> list[Row]:  # fmt: skip
        if menu == "/system/script/job" and self.jobs is not None:
            return list(self.jobs)
        rows = self.inner.print(menu, proplist, query)
        if menu.endswith("/user"):
            self.prints += 1
            if self.prints == self.on_print and self.action is not None:
                self.action()
        return rows

    def command(self, menu: str, command: str, args: Mapping[str, bytes]) -> Row:
        return self.inner.command(menu, command, args)


def _connect(one: Lab) -> ApiTarget:
    return ApiTarget.connect(one.endpoint(), Secret(PASSWORD))


@pytest.mark.parametrize("version", VERSIONS)
def test_a_comment_changed_between_read_and_write_is_not_overwritten(version: str):
    with lab(version) as one:
        found = Setup(one, Path("unused"))
        found.add_user("ann", ANN)
        changed = ANN.replace("zz=keep", "lvl=80;zz=keep")

        def a_run_writes() -> None:
            (row,) = one.router.rows(found.menu)
            one.router.invoke(found.menu, "set", {".id": row[".id"], "comment": changed.encode()})

        target = Meddling(_connect(one), on_print=1, action=a_run_writes)
        with pytest.raises(payments.WriteConflict, match="changed while the payment was worked out; nothing written"):
            payments.record(target, "ann", payments.Payment())
        target.inner.close()
        assert found.comment("ann") == changed  # the run's update is kept


def test_a_run_that_takes_the_lock_while_the_payment_is_worked_out_stops_it():
    with lab() as one:
        found = Setup(one, Path("unused"))
        found.add_user("ann", ANN)

        def a_run_starts() -> None:
            one.router.environment["rosbillLock"] = b"Enforce 20787 3600"

        target = Meddling(_connect(one), on_print=2, action=a_run_starts)  # the read right before the write
        with pytest.raises(payments.RunActive, match=r"holds the lock \(Enforce, .*\(it started just now\)"):
            payments.record(target, "ann", payments.Payment())
        target.inner.close()
        assert found.comment("ann") == ANN


def test_a_running_rosbill_job_refuses_the_payment():
    with lab() as one:
        found = Setup(one, Path("unused"))
        found.add_user("ann", ANN)
        target = Meddling(_connect(one), jobs=[{"script": b"Oversight", "type": b"script"}])
        with pytest.raises(payments.RunActive, match="rosbill's Oversight is running"):
            payments.record(target, "ann", payments.Payment())
        target.jobs = [{"script": b"MyOwnScript"}]
        done = payments.record(target, "ann", payments.Payment())
        target.inner.close()
        assert done.outcome.kind == "paid" and done.notes == ()


def test_a_run_that_starts_during_the_write_is_reported(tmp_path: Path):
    with lab() as one:
        found = Setup(one, Path("unused"))
        found.add_user("ann", ANN)

        def a_run_starts() -> None:
            one.router.environment["rosbillLock"] = b"Oversight 20787 3600"

        target = Meddling(_connect(one), on_print=3, action=a_run_starts)  # the read-back after the write
        with pytest.raises(payments.RunActive, match="written and read back, but a rosbill run holds the lock"):
            payments.record(target, "ann", payments.Payment())
        target.inner.close()
        assert "paid=2026-11" in found.comment("ann")


# --- --now ---------------------------------------------------------------------------------------------------------


def _enforce(setup: Setup, source: str) -> None:
    """A stand-in for issue 12's Enforce script (built by the Enforce task): here only whether pay runs it counts."""
    setup.one.router.invoke("/system script", "add", {"name": b"Enforce", "source": source.encode()})


def _run_count(setup: Setup) -> int:
    (row,) = [r for r in setup.one.router.rows("/system script") if r["name"] == b"Enforce"]
    return int(row["run-count"])  # type: ignore[call-overload]


def test_now_runs_enforce_and_reports_the_restriction(setup: Setup, capsys: pytest.CaptureFixture[str]):
    _enforce(setup, ':log info "enforce ran"')
    assert setup.run("pay", "bob", "--now") == ExitCode.OK
    captured = capsys.readouterr()
    assert _run_count(setup) == 1
    assert "Enforce ran; the user is still restricted" in captured.err  # the stand-in lifts nothing


def test_an_enforce_that_fails_exits_5_saying_the_payment_is_recorded(setup: Setup,
                                                                       capsys: pytest.CaptureFixture[str]):  # fmt: skip
    _enforce(setup, ':error "boom"')
    assert setup.run("pay", "ann", "--now") == ExitCode.DEPLOY
    err = capsys.readouterr().err
    assert "boom" in err and "the payment is recorded" in err and "Traceback" not in err
    assert "paid=2026-11" in setup.comment("ann")


def test_now_without_enforce_installed_says_so(setup: Setup, capsys: pytest.CaptureFixture[str]):
    assert setup.run("pay", "ann", "--now") == ExitCode.OK
    captured = capsys.readouterr()
    assert "the Enforce script is not installed on this router" in captured.err
    assert "paid=2026-11" in setup.comment("ann")


# --- rosbill report ------------------------------------------------------------------------------------------------


def test_report_table_lists_every_user_and_writes_nothing(setup: Setup, capsys: pytest.CaptureFixture[str]):
    assert setup.run("report") == ExitCode.OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("r1: 4 users, router date ")
    header, rows = lines[1], {line.split()[0]: line for line in lines[2:]}
    assert header.split("  ")[0] == "user" and "days overdue" in header
    assert "EW-10107" in rows["ann"] and "179.10" in rows["ann"]
    assert "since 2026-11-03" in rows["bob"] and "120%" in rows["bob"] and "2026-10" in rows["bob"]
    assert "state not readable: the rb{ block has no closing }" in rows["carl"]
    assert rows["dora"].strip() == "dora"
    assert writes(setup) == []
    assert all(c.command in ("print", "get") for c in setup.one.recorder.calls)


def test_report_json_and_csv(setup: Setup, capsys: pytest.CaptureFixture[str]):
    assert setup.run("pay", "ann", "--amount", "50", "--partial") == ExitCode.OK
    capsys.readouterr()
    count = len(writes(setup))
    assert setup.run("report", "--json") == ExitCode.OK
    document = json.loads(capsys.readouterr().out)
    users = {u["user"]: u for u in document["users"]}
    today = setup.one.router.clock.local().date().isoformat()
    assert document["command"] == "report" and document["date"] == today and document["currency"] == "R"
    assert users["ann"]["amount_due_cents"] == 17910 and users["ann"]["last_payment_cents"] == 5000
    assert users["ann"]["last_payment_day"] == today and users["ann"]["invoice"] == "EW-10107"
    assert users["bob"]["restricted"] is True and users["bob"]["throttled_percent"] == 120
    assert users["bob"]["unpaid_since"] == "2026-10" and users["bob"]["due_date"] == "2026-10-31"
    assert users["carl"]["problem"].startswith("state not readable")
    assert setup.run("report", "--csv") == ExitCode.OK
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["user"] for r in table] == ["ann", "bob", "carl", "dora"]
    assert (
        table[0]["amount_due"] == "179.10" and table[0]["last_payment"] == "50.00" and table[1]["restricted"] == "yes"
    )
    assert len(writes(setup)) == count  # the reports wrote nothing


# --- connection failures and the password ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["pay", "report"])
def test_a_wrong_password_exits_5_without_a_traceback_or_the_password(setup: Setup, command: str,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]):  # fmt: skip
    monkeypatch.setenv("ROSBILL_PASSWORD", "wrong-" + PASSWORD)
    assert setup.run(*([command, "ann"] if command == "pay" else [command])) == ExitCode.DEPLOY
    captured = capsys.readouterr()
    assert "refused the login" in captured.err and "Traceback" not in captured.err
    assert PASSWORD not in captured.out + captured.err


@pytest.mark.parametrize("command", ["pay", "report"])
def test_an_unreachable_router_exits_5(tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]):
    with lab() as gone:
        port = gone.server.port
    config = write_config(tmp_path / "c", config_data(router_entry("r1", "7.16", port)))
    assert main([command, "--config", str(config), "--timeout", "2", *(["ann"] if command == "pay" else [])]) == 5
    err = capsys.readouterr().err
    assert "cannot connect" in err and "Traceback" not in err


def test_no_password_and_no_terminal_is_a_usage_error(setup: Setup, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]):  # fmt: skip
    monkeypatch.delenv("ROSBILL_PASSWORD")
    assert setup.run("report") == ExitCode.USAGE
    assert "no password for router r1: set ROSBILL_PASSWORD_R1 or ROSBILL_PASSWORD" in capsys.readouterr().err


def test_the_password_is_never_printed(setup: Setup, capsys: pytest.CaptureFixture[str]):
    for args in (("pay", "ann", "-v"), ("pay", "ann", "--json"), ("report", "--json"), ("report", "--csv")):
        setup.run(*args)
    captured = capsys.readouterr()
    assert PASSWORD not in captured.out + captured.err


# --- with the real Enforce (RouterOS 7: Enforce restricts by user attributes, docs/enforce.md) ---------------------


def test_pay_now_lifts_a_restriction_with_the_real_enforce(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = config_data(router_entry("r1", "7.16"))
    data["billing"] |= {"grace_days": 7, "unpaid": {"rate": "128k/128k"}}
    bench = Bench("7.16", [user("ann")], config=yaml.safe_dump(data, sort_keys=False),
                  start=dt.datetime(2026, 11, 20, 12, 0))  # fmt: skip
    keys = {"email": "ann@example.net", "per": "2026-10", "no": "10007", "bpkg": "Lite", "bprice": "19900",
            "bdisc": "0", "bcap": "3000", "use": "100000000", "base": "0", "um": "ok", "am": "ok"}  # fmt: skip
    bench.set_comment("ann", "Tower 9 rb{" + ";".join(f"{k}={v}" for k, v in sorted(keys.items())) + "}")
    bench.run("Enforce")  # 20 days after October with 7 grace days: restricted
    assert bench.state("ann")["owe"] == "2026-10" and "rsd" in bench.state("ann")
    with lab("7.16", router=bench.router) as one:
        served = config_data(router_entry("r1", "7.16", one.server.port))
        served["billing"] = data["billing"]
        config = write_config(tmp_path / "c", served)
        found = Setup(one, config)
        assert found.run("report", "--json") == ExitCode.OK
        (row,) = json.loads(capsys.readouterr().out)["users"]
        assert row["restricted"] and row["unpaid_since"] == "2026-10" and row["days_overdue"] == 13
        assert row["due_date"] == "2026-11-07" and row["invoice"] == "EW-10007"
        assert found.run("pay", "ann", "--now") == ExitCode.OK
        out = capsys.readouterr().out
        assert "2026-10 paid: 199.00 R" in out and "Enforce ran; the user is not restricted" in out
    state = bench.state("ann")
    assert state["paid"] == "2026-10" and "owe" not in state and "rsd" not in state
    assert bench.comment("ann").startswith("Tower 9 rb{")
