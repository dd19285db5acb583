"""The speed-ups of the simulation's event and accounting side (issue 9) change no result: the fixture parsed by
libyaml is the data PyYAML's own parser gives (and a broken one fails with PyYAML's message), and
:func:`emulator.simulate.run` leaves the caller's garbage-collector settings as it found them."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from pathlib import Path

import pytest
import yaml

from emulator import fixture, simulate
from emulator.router.behaviour import Behaviour
from emulator.router.table import Table
from emulator.version import RouterOSVersion

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from billing.scenario import population  # noqa: E402

#: Text the two parsers could read differently: left to PyYAML's pure-Python loader.
ODD = [
    "users: [{name: \ufeffbom}]\n",
    "users: [{name: a\x85b}]\n",
    "users: [{name: 'a\u2028b'}]\n",
    "users: [{name: a\x07}]\n",
]


@pytest.mark.parametrize(
    "text",
    [
        (ROOT / "config" / "users.example.yaml").read_text(encoding="utf-8"),
        yaml.safe_dump(population(40, dt.datetime(2026, 1, 1, 0, 5), interim="1h")),
        "users:\n  - {name: \"q\\\"uote\", password: 'p''w', comment: ~, n: 0x1F, t: 2026-01-02 03:04:05, f: 1e3}\n",
        "e-mail: {tls: no, port: 0o17, x: .inf, y: [yes, off, Null]}\n",
    ],
)
def test_libyaml_gives_the_data_pyyaml_gives(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = yaml.safe_load(text)
    calls = _record_loaders(monkeypatch)
    assert fixture._safe_load(text) == expected
    if hasattr(yaml, "CSafeLoader"):
        assert calls == [yaml.CSafeLoader]  # the fast path was the one taken


def _record_loaders(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = yaml.load

    def load(stream: str, Loader: type) -> object:
        calls.append(Loader)
        return real(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "load", load)
    return calls


@pytest.mark.parametrize("text", ODD)
def test_odd_characters_go_to_pyyaml(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _record_loaders(monkeypatch)
    try:
        expected: object = yaml.safe_load(text)
    except yaml.YAMLError as error:
        expected = str(error)
    try:
        got: object = fixture._safe_load(text)
    except yaml.YAMLError as error:
        got = str(error)
    assert got == expected
    assert yaml.CSafeLoader not in calls  # the C loader was not asked


@pytest.mark.parametrize("text", ["users: [{name: a}\n", "users:\n  - name: a\n   x: 1\n", "a: b: c\n", "- [\n"])
def test_a_broken_fixture_fails_with_pyyamls_message(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError) as fast:
        fixture._safe_load(text)
    assert str(fast.value) == str(pure.value)


@pytest.mark.parametrize("before", [(700, 10, 10), (50_000, 20, 30), (0, 10, 10)])
def test_run_restores_the_callers_gc_thresholds(before: tuple[int, int, int]) -> None:
    saved = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    try:
        gc.set_threshold(*before)
        with simulate._fewer_collections():
            seen.append(gc.get_threshold())
        assert gc.get_threshold() == before
        with pytest.raises(ZeroDivisionError), simulate._fewer_collections():
            _ = 1 // 0
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*saved)
    inside = seen[0]
    if before[0] == 0:
        assert inside == before  # collection switched off stays off
    else:
        assert inside == tuple(max(a, b) for a, b in zip(simulate.GC_THRESHOLDS, before, strict=True))


def _rows_comments(sim: simulate.Simulation) -> dict[str, str]:
    """What ``Simulation.comments`` gave before it read stored rows: every row as ``router.rows`` shows it."""
    return {
        simulate._text(row.get(sim.login_field)): simulate._text(row.get("comment"))
        for row in sim.router.rows(sim.user_menu)
    }


@pytest.mark.parametrize(
    ("version", "behaviour"),
    [("7.16", Behaviour()), ("7.16", Behaviour(um_attributes_read="array")), ("6.49", Behaviour())],
)
def test_comments_are_what_the_rows_show(version: str, behaviour: Behaviour, tmp_path: Path) -> None:
    from generator.cli_sim import build_for, target
    from generator.config import load

    start = dt.datetime(2026, 1, 27, 0, 5)
    path = tmp_path / "users.yaml"
    path.write_text(yaml.safe_dump(population(12, start, interim="1h")))
    config = load(ROOT / "config" / "billing.yaml")
    files = build_for(config, target(config.routers[0], version), "test").rendered.files
    sim = simulate.prepare(files, RouterOSVersion.parse(version), path, behaviour=behaviour)
    extra = {"customer": "admin"} if version.startswith("6") else {}
    sim.router.invoke(sim.user_menu, "add", {sim.login_field: "unset-comment", **extra})  # a row without a comment
    changed = 0
    for day in range(8):  # across the month end: Billing writes every user's comment
        before = sim.comments()
        sim.router.advance_to(start + dt.timedelta(days=day + 1))
        now = sim.comments()
        assert now == _rows_comments(sim)
        changed += sum(now[u] != before.get(u) for u in now)
    assert changed >= 5 and sim.comments()["unset-comment"] == ""
    menu = sim.router.menu(sim.user_menu)
    assert isinstance(menu, Table)
    # Both declare what they compute, so comments() took the stored rows; hold them to what computed() returns.
    assert menu.live_props is not None and not menu.live_props & {sim.login_field, "comment"}
    for item_id, stored in menu.items.items():
        assert set(menu.computed(item_id, stored)) <= menu.live_props
