"""A power cut at every statement of the month-end run (Oversight → MonthEnd → Billing → BillingMail), then a reboot.

For each cut the router is powered again after a minute and then either (a) someone runs Billing and BillingMail by
hand, or (b) nobody does anything: the boot entry and the nightly runs must finish the job. The router then runs
through December to the next month end, and the invariants of ``billing.ledger`` must hold for both periods: one bill
per user and period with the right usage and amount, no invoice number on two bills, duplicates only as marked
re-sends, every bill at accounts, skipped users reported, nobody left disabled.

Which cuts are different: the router's durable state (tables, comments, the mail server's outbox) and the clock
change only at statements that write, send or wait; a cut anywhere between two such statements leaves the same
router. The fast tests cut right after each of them (every distinct outcome); the slow test cuts at every single
statement of the run on 7.16 and checks it finds no outcome the boundaries did not.

Each (version, config, behaviour) builds and installs its router once and snapshots it an instant before the run
(:meth:`Bench.snapshot`, emulator/router/snapshot.py); every cut runs on its own restored copy. The first tests here
prove a restored copy runs exactly as a freshly built router does. The long sweeps are split into parametrized
slices, so ``pytest -v`` shows progress and ``pytest -n`` spreads them over the cores.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

import pytest
from conftest import FIGURES

from billing.harness import RESET, SHIPPED, Bench, distinct_points, end_state, user
from billing.ledger import Counts, Expect, check
from emulator.contract import PowerCut
from emulator.router.behaviour import Behaviour
from emulator.router.snapshot import Snapshot

START = dt.datetime(2026, 11, 28, 21, 0)
BEFORE = dt.datetime(2026, 11, 30, 23, 49, 59)
AFTER = dt.datetime(2026, 11, 30, 23, 59, 59)
END = dt.datetime(2027, 1, 1, 6, 0)
MB = 10**6
#: name, package, comment extras, MB a day (download, upload) in a 08:00-20:00 window; dan is always online.
DAILY = {"ann": ("Lite", "", 50, 5), "ben": ("Home", "disc=10%;", 500, 100), "cy": ("Business", "", 1000, 0)}
DUE = {"ann": Decimal("199.00"), "ben": Decimal("314.10"), "cy": Decimal("899.00"), "dan": Decimal("1299.00")}
MUTATING = frozenset({"set", "add", "remove", "send", "reset-counters", "close-session", "disable", "enable"})


def population() -> list[dict]:
    users = []
    for name, (package, extra, down, up) in DAILY.items():
        comment = f"rb{{{extra}email={name}@example.net;first={name.title()};last=Tester}}"
        daily = {"download": f"{down}MB", "upload": f"{up}MB", "from": "08:00", "to": "20:00"}
        users.append(user(name, package, comment=comment, daily=daily))
    always = {"start": "2026-11-28 00:00:00", "download-per-day": "2000MB", "upload-per-day": "0MB"}
    users.append(user("dan", "Unlimited", sessions=[always]))
    users.append(user("bad", comment="rb{no=x1;email=bad@example.net}"))
    return users


def expectations() -> list[Expect]:
    out = []
    for period, days in (("2026-11", 2), ("2026-12", 31)):
        for name, (_, _, down, up) in DAILY.items():
            out.append(Expect(name, period, (down + up) * days, DUE[name]))
        out.append(Expect("dan", period, None, DUE["dan"]))
    return out


def build(version: str, config: str, behaviour: Behaviour) -> Bench:
    """A freshly built and installed router an instant before the month-end run."""
    # The NTP client is on: a router that boots on 1970 without it can never bill (and says so), see test_monthend.
    bench = Bench(version, population(), config=config, start=START, behaviour=behaviour, ntp=True)
    bench.at(BEFORE)
    return bench


@functools.cache
def prepared(version: str, config: str, behaviour: Behaviour) -> Snapshot[Bench]:
    return build(version, config, behaviour).snapshot()


def make(version: str, config: str, behaviour: Behaviour) -> Bench:
    """What :func:`build` gives, restored from the one snapshot of (version, config, behaviour)."""
    return prepared(version, config, behaviour).restore()


def month_end_statements(version: str, config: str, behaviour: Behaviour) -> tuple[int, list[int]]:
    """How many statements the uncut month-end run takes, and the cut points that give distinct routers: before the
    first statement and right after each statement that writes, sends or waits."""
    bench = make(version, config, behaviour)
    return distinct_points(bench.router, lambda: bench.at(AFTER), MUTATING)


def run_case(version: str, config: str, behaviour: Behaviour, cut: int | None, by_hand: bool) -> tuple[bool, Counts]:
    bench = make(version, config, behaviour)
    router = bench.router
    fired = False
    if cut is not None:
        router.arm_power_cut(cut)
    try:
        bench.at(AFTER)
    except PowerCut:
        fired = True
        router.restore_power(60)
        if by_hand:
            bench.bill()
    bench.at(END)
    names = [*DAILY, "dan", "bad"]
    counts = check(
        router.mail.outbox,
        expectations(),
        disabled={n: bench.disabled(n) for n in names},
        comments={n: bench.comment(n) for n in names},
        skipped={"bad": "no=x1"},
    )
    conservation(bench)
    return fired, counts


def conservation(bench: Bench) -> None:
    """dan is online across both bills: his two bills together hold every byte up to the second bill, nothing twice."""
    billed = [m for m in bench.router.mail.outbox if m.to == "dan@example.net" and m.status == "succeeded"]
    used = {}
    for mail in billed:
        text = mail.body.decode()
        period = text.split("Period:", 1)[1].split()[0]
        used[period] = int(text.split("Data used:", 1)[1].split()[0])
    assert set(used) == {"2026-11", "2026-12"}, used
    # 2000 MB a day from 2026-11-28 00:00 to the December bill (2026-12-31 23:50, plus a few minutes at most).
    hours = (dt.datetime(2026, 12, 31, 23, 50) - dt.datetime(2026, 11, 28)).total_seconds() / 3600
    expected = 2000 * hours / 24
    assert expected - 2000 / 24 <= sum(used.values()) <= expected + 2000 / 24, used  # within an hour's traffic


CASES = [("6.49", SHIPPED), ("7.16", SHIPPED), ("6.49", RESET), ("7.16", RESET)]
HOSTILE = Behaviour(
    mail_status="lagging", power_cut_mail="delivered", um_session_remove="keeps-totals", v6_reset_counters="keeps",
    boot_clock="1970", tonum_leading_zero="octal", reset_delay_s=1.0, v6_print_counters="omitted",
    power_cut_loses_writes_s=4.0,
)  # fmt: skip


def sweep(version: str, config: str, behaviour: Behaviour, points: list[int], label: str) -> None:
    tally: dict[str, int] = {"cuts": 0, "fired": 0, "bills": 0, "resent": 0, "digest_resent": 0}
    for by_hand in (True, False):
        for cut in points:
            fired, counts = run_case(version, config, behaviour, cut, by_hand)
            tally["cuts"] += 1
            tally["fired"] += fired
            tally["bills"] += counts.bills
            tally["resent"] += counts.resent
            tally["digest_resent"] += counts.digest_resent
    mode = "reset" if config is RESET else "baseline"
    FIGURES.append(
        f"power cuts {version} {mode} {label}: {tally['cuts']} cases ({len(points)} cut points x by hand/nobody), "
        f"{tally['fired']} cuts fired, {tally['bills']} user bills checked, 0 lost, 0 with two numbers, "
        f"{tally['resent']} marked re-sends to users, {tally['digest_resent']} marked re-sent accounts lines"
    )


def night_after(bench: Bench, cut: int | None) -> str:
    """The month end with the power cut at ``cut`` (None: no cut), the boot, the morning after: the router's full
    end state (harness.end_state) and every menu command the scripts issued."""
    if cut is not None:
        bench.router.arm_power_cut(cut)
    try:
        bench.at(AFTER)
    except PowerCut:
        bench.router.restore_power(60)
    bench.at(dt.datetime(2026, 12, 1, 6, 0))
    return end_state(bench.router) + f"\ncalls {sorted(bench.calls.items())!r}\nseen {bench._seen}"


@pytest.mark.parametrize("version", ["6.49", "7.16"])
@pytest.mark.parametrize("behaviour", [Behaviour(), HOSTILE], ids=["defaults", "hostile"])
def test_a_restored_snapshot_runs_the_month_end_exactly_as_a_freshly_built_router(version, behaviour):
    """What the sweeps rely on: a copy restored from the snapshot of a built router, uncut or cut in the middle of the
    run (under the hostile behaviours: with writes lost), ends byte for byte where the freshly built router ends;
    restoring twice gives the same (the snapshot does not change), and the router the snapshot was taken of is left
    as it was."""
    original = build(version, SHIPPED, behaviour)
    snapshot = original.snapshot()
    probe = snapshot.restore()
    _, points = distinct_points(probe.router, lambda: probe.at(AFTER), MUTATING)
    uncut = ""
    for cut in (None, points[len(points) // 2], points[-1]):
        fresh = night_after(build(version, SHIPPED, behaviour), cut)
        assert "rb{" in fresh and "mail Mail(" in fresh
        assert night_after(snapshot.restore(), cut) == fresh, cut
        assert night_after(snapshot.restore(), cut) == fresh, cut
        uncut = uncut or fresh
    assert night_after(original, None) == uncut


@pytest.mark.parametrize(
    ("version", "config"), CASES, ids=["6.49-baseline", "7.16-baseline", "6.49-reset", "7.16-reset"]
)
def test_an_uncut_month_end_meets_every_invariant(version, config):
    fired, counts = run_case(version, config, Behaviour(), None, by_hand=False)
    assert not fired and counts.bills == 8 and counts.resent == 0


@pytest.mark.parametrize(
    ("version", "config"), CASES, ids=["6.49-baseline", "7.16-baseline", "6.49-reset", "7.16-reset"]
)
def test_a_cut_at_every_distinct_point_of_the_month_end_run(version, config):
    total, points = month_end_statements(version, config, Behaviour())
    assert total > 1000 and len(points) > 20
    # The fast run takes every third distinct point; the slow test below takes all of them.
    sweep(version, config, Behaviour(), points[::3], f"(every 3rd of {len(points)} distinct points of {total})")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("version", "config"), CASES, ids=["6.49-baseline", "7.16-baseline", "6.49-reset", "7.16-reset"]
)
@pytest.mark.parametrize("behaviour", [Behaviour(), HOSTILE], ids=["defaults", "hostile"])
def test_a_cut_at_every_distinct_point_under_every_behaviour(version, config, behaviour):
    _, points = month_end_statements(version, config, behaviour)
    # With a lagging last-status every 250 ms poll is a point of its own (about 500 of them): a hundred spread over
    # the run keep this test under a quarter of an hour; the defaults take every point.
    step = max(1, len(points) // 100)
    label = f"every {step}. of {len(points)} distinct points" if step > 1 else f"all {len(points)} distinct points"
    sweep(version, config, behaviour, points[::step], f"{behaviour.describe()} ({label})")


def small_build(version: str) -> Bench:
    """Two users an hour before the month-end run: cheap enough to cut at every single statement."""
    users = [user("ann"), user("ben", "Home", comment="rb{disc=10%;email=ben@example.net}")]
    bench = Bench(version, users, config=RESET, start=dt.datetime(2026, 11, 30, 21, 0))
    bench.use("ann", 1_200_000_000)
    bench.online("ben", 100_000_000)
    bench.at(BEFORE)
    return bench


@functools.cache
def small_snapshot(version: str) -> Snapshot[Bench]:
    return small_build(version).snapshot()


def small(version: str) -> Bench:
    return small_snapshot(version).restore()


def fingerprint(bench: Bench, cut: int | None) -> tuple:
    """What a cut at ``cut`` leaves after the power returns and the boot run has finished: every comment and disabled
    flag, the ledger, and what the mail server received (the world outside the router)."""
    router = bench.router
    if cut is not None:
        router.arm_power_cut(cut)
    try:
        bench.at(AFTER)
    except PowerCut:
        router.restore_power(60)
        bench.at(dt.datetime(2026, 12, 1, 0, 30))
    users = tuple((n, bench.comment(n), bench.disabled(n)) for n in ("ann", "ben"))
    mails = tuple((m.to, m.subject, m.body, m.status) for m in router.mail.outbox)
    return users, tuple(sorted(bench.ledger().items())), mails


#: The every-statement test runs as this many parametrized slices (cut, cut + SLICES, …): ``pytest -v`` shows each
#: one finish, and ``pytest -n`` runs them on every core.
SLICES = 12


@functools.cache
def single_plan() -> tuple[int, list[int], dict[int, tuple]]:
    """The every-statement run's statement count, its distinct points, and what a cut at each of them leaves."""
    total, boundaries = distinct_points((bench := small("7.16")).router, lambda: bench.at(AFTER), MUTATING)
    return total, boundaries, {point: fingerprint(small("7.16"), point) for point in boundaries}


@pytest.mark.slow
@pytest.mark.parametrize("part", range(SLICES), ids=[f"slice{n + 1}of{SLICES}" for n in range(SLICES)])
def test_a_cut_at_every_single_statement_leaves_the_router_of_the_distinct_point_before_it(part):
    """The claim behind the fast tests: between two statements that write, send or wait, a cut anywhere leaves the same
    router. Checked by cutting at every statement of a month-end run (7.16, reset mode, two users) and comparing what
    is left, once the power is back and the boot run is done, with what the cut at the distinct point before gives."""
    total, boundaries, expected = single_plan()
    if part == 0:  # the copies stand for freshly built routers (test_a_restored_snapshot_… shows it in full)
        middle = boundaries[len(boundaries) // 2]
        assert fingerprint(small_build("7.16"), middle) == expected[middle]
    checked = 0
    for cut in range(part, total, SLICES):
        representative = max(p for p in boundaries if p <= cut)
        if cut != representative:
            assert fingerprint(small("7.16"), cut) == expected[representative], cut
            checked += 1
    FIGURES.append(
        f"power cuts at every statement (7.16 reset, 2 users), slice {part + 1} of {SLICES}: {total} statements, "
        f"{len(boundaries)} distinct points, {checked} other cuts each left the router of the point before them"
    )
