"""Thirteen months of billing under every alternative RouterOS behaviour the emulator knows, alone and in pairs.

Each switch of ``Behaviour`` (docs/assumptions.md) models a way a real router might differ from the emulator's
default. The scenario (10 users covering every special case of tests/billing/scenario.py, daily usage windows, one
user online through every month end) runs for 13 months on 6.49 and 7.16, in baseline and in reset mode, with two
power cuts in the middle of month-end runs. It must give the mails the independent model of test_scenario.py
predicts, with re-sends only as marked copies, and meet the invariants of billing.ledger.

"Alone": one run per alternative value. "In pairs": a covering array, a few runs that together switch on every pair
of alternatives at once (built greedily below), since running every pair separately would take hours.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
import yaml
from conftest import FIGURES

from billing.harness import RESET, SHIPPED, simulation
from billing.ledger import Expect, check
from billing.scenario import population
from billing.test_scenario import PRICES, START, expected_daily_user, invoice_numbers, months_of
from emulator import simulate
from emulator.contract import PowerCut
from emulator.router.behaviour import Behaviour
from generator.config import loads

USERS = 10
MONTHS = 13
#: Power cuts: (day, statements into the 23:50 run). Mid-Billing on a 30-day month, mid-BillingMail on a 31-day one.
CUTS = ((dt.date(2026, 4, 30), 2500), (dt.date(2026, 8, 31), 6000))


def covering_pairs(alternatives: dict[str, tuple[object, ...]]) -> list[dict[str, object]]:
    """Rows (switch → value) such that every pair of alternatives of two different switches is in some row."""
    names = list(alternatives)
    wanted = {
        ((a, va), (b, vb))
        for a, b in itertools.combinations(names, 2)
        for va in alternatives[a]
        for vb in alternatives[b]
    }
    rows: list[dict[str, object]] = []
    while wanted:
        row: dict[str, object] = {}
        for name in names:
            best, gain = alternatives[name][0], -1
            for value in alternatives[name]:
                score = sum(
                    ((other, row[other]), (name, value)) in wanted
                    for other in row
                    if names.index(other) < names.index(name)
                )
                score += sum(((name, value), (other, v)) in wanted for other in names[names.index(name) + 1 :]
                             for v in alternatives[other]) / 100  # fmt: skip
                if score > gain:
                    best, gain = value, score
            row[name] = best
        covered = {p for p in wanted if row.get(p[0][0]) == p[0][1] and row.get(p[1][0]) == p[1][1]}
        assert covered, "no progress"
        wanted -= covered
        rows.append(row)
    return rows


#: Switches that only act together with another: a lag only with a lagging status, a sync delay only after a 1970 boot.
NEEDS = {"mail_status_lag_s": {"mail_status": "lagging"}, "ntp_sync_delay_s": {"boot_clock": "1970"}}
#: Where a switch can change anything: (dialect, mode) → the switches that act there.
ACTS = {
    "um_session_remove": {("7", "reset")},
    "v6_reset_counters": {("6", "reset")},
    "reset_delay_s": {("6", "reset"), ("7", "reset")},
    "um_disabled_accounting": {("6", "reset"), ("7", "reset")},
    "v6_print_counters": {("6", "baseline"), ("6", "reset")},
    # Only what an API session sees (rosbill pay): the scripts never run over the API (tests/billing/test_pay_race.py).
    "api_globals": set(),
    "api_script_jobs": set(),
}
ALONE = [
    Behaviour(**{name: value, **NEEDS.get(name, {})})
    for name, values in Behaviour.alternatives().items()
    for value in values
]
PAIRS = [Behaviour(**row) for row in covering_pairs(Behaviour.alternatives())]


def relevant(behaviour: Behaviour, version: str, mode: str) -> bool:
    """Whether a single switch can act on this dialect and mode (the scripts never call close-session, so
    um_close_session is run once per dialect, in reset mode, to show it changes nothing)."""
    (name, *_) = [n for n in behaviour.changed() if n not in ("mail_status", "boot_clock")] or list(behaviour.changed())
    if name == "um_close_session":
        return mode == "reset"
    return (version[0], mode) in ACTS.get(name, {(version[0], mode)})


CASES = [
    pytest.param(version, mode, behaviour, id=f"{version}-{mode}-{label}")
    for version in ("6.49", "7.16")
    for mode in ("baseline", "reset")
    for behaviour, label in [
        (Behaviour(), "defaults"),
        *[(b, f"alone:{b.describe()}") for b in ALONE if relevant(b, version, mode)],
        *[(b, f"pairs{i}") for i, b in enumerate(PAIRS)],
    ]
]


def run(version: str, config_text: str, behaviour: Behaviour, tmp: Path, months: int = MONTHS):
    data = population(USERS, START, interim="15m")
    data["ntp"] = {"enabled": True}
    path = tmp / "users.yaml"
    path.write_text(yaml.safe_dump(data))
    config = loads(config_text)
    sim = simulation(config, version, path, behaviour=behaviour)
    router = sim.router
    end = simulate.add_months(START, months)
    cuts = 0
    utc = dt.UTC  # true time: the fixture's router is on UTC, and after a 1970 boot it shows something else
    for day, statements in CUTS:
        if dt.datetime.combine(day, dt.time(23, 49)) < end:
            router.advance_to(dt.datetime.combine(day, dt.time(23, 49, 59), tzinfo=utc))
            router.arm_power_cut(statements)
            try:
                router.advance_to(dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=utc))
            except PowerCut:
                cuts += 1
                router.restore_power(120)
    router.advance_to(end.replace(tzinfo=utc))
    return data, sim, cuts


def verify(data: dict, sim: simulate.Simulation, months: int) -> int:
    """The model's mails (re-sends aside) and the ledger invariants; returns how many re-sends there were."""
    mails = [m for m in sim.router.mail.outbox if m.status == "succeeded"]
    resent = [m for m in mails if m.subject.startswith(b"Re-sent: ")]
    for mail in resent:  # a re-send repeats a mail that was made before (delivered or not)
        subject = mail.subject.decode().removeprefix("Re-sent: ")
        assert any(m.to == mail.to and m.subject.decode() == subject for m in sim.router.mail.outbox), subject
    numbers = invoice_numbers(data, months)
    expected: list[Expect] = []
    for index, entry in enumerate(data["users"]):
        name = entry["name"]
        if entry.get("disabled") or "inv=x1" in entry["comment"]:
            assert not any(m.to == f"{name}@example.net" for m in mails), name
            continue
        package = ["Lite", "Home", "Business", "Unlimited"][index % 4]
        price = PRICES[package]
        discount = price / 10 if "disc=10%" in entry["comment"] else 0
        if "disc=25.50" in entry["comment"]:
            discount = 25.50
        due = (price - type(price)(str(discount))).quantize(price)
        if "daily" not in entry:
            expected += [Expect(name, f"{y}-{m:02d}", None, due) for y, m in months_of(months)]
            continue
        warnings, bills = expected_daily_user(entry, index, months, numbers[name])
        mine = [m for m in mails if m.to == f"{name}@example.net" and b"invoice" not in m.subject]
        got = [(f"{m.time:%Y-%m-%d}", m.subject.decode()) for m in mine if not m.subject.startswith(b"Re-sent")]
        assert got == warnings, name
        for (y, m), (_, data_line, _) in zip(months_of(months), bills, strict=True):
            expected.append(Expect(name, f"{y}-{m:02d}", int(data_line.split()[2]), due))
    rows = {_text(r.get(sim.login_field)): r for r in sim.router.rows(sim.user_menu)}
    active = [u["name"] for u in data["users"] if not u.get("disabled")]
    check(
        sim.router.mail.outbox,
        expected,
        disabled={n: rows[n].get("disabled") is True for n in active},
        comments={n: _text(rows[n].get("comment")) for n in active},
        skipped={u["name"]: "broken" for u in data["users"] if "inv=x1" in u["comment"]},
    )
    return len(resent)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value or "")


def test_the_covering_array_covers_every_pair():
    alternatives = Behaviour.alternatives()
    rows = covering_pairs(alternatives)
    for (a, va), (b, vb) in itertools.product([(n, v) for n, vs in alternatives.items() for v in vs], repeat=2):
        if a < b:
            assert any(r[a] == va and r[b] == vb for r in rows), (a, va, b, vb)
    assert len(rows) < 12


@pytest.mark.parametrize("version", ["6.49", "7.16"])
def test_four_months_with_every_alternative_switched_on_at_once(version, tmp_path):
    hostile = PAIRS[0]
    data, sim, cuts = run(version, RESET, hostile, tmp_path, months=5)
    resent = verify(data, sim, 5)
    assert cuts == 1
    FIGURES.append(f"behaviour {version} reset, 5 months, {hostile.describe()}: {cuts} power cut, {resent} re-sends")


@pytest.mark.slow
@pytest.mark.parametrize(("version", "mode", "behaviour"), CASES)
def test_thirteen_months_under_every_behaviour(version, mode, behaviour, tmp_path):
    data, sim, cuts = run(version, SHIPPED if mode == "baseline" else RESET, behaviour, tmp_path)
    resent = verify(data, sim, MONTHS)
    assert cuts == 2
    FIGURES.append(f"behaviour {version} {mode} 13 months {behaviour.describe()}: 2 power cuts, {resent} re-sends")
