"""Golden files: the reviewed output for each dialect. Regenerate only on purpose: ``make golden``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import build as build_stage

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CASES = {
    "v7-7.16": ROOT / "config" / "billing.yaml",  # the shipped config: ISO dates, /tool e-mail server=
    "v7-7.9": ROOT / "tests" / "data" / "v7_9.yaml",  # old dates, /tool e-mail address=, baseline billing
    "v6-6.49": ROOT / "tests" / "data" / "v6.yaml",  # /tool user-manager, start-tls=, reset-counters
}
UPDATE = os.environ.get("ROSBILL_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("case", sorted(CASES))
def test_output_matches_the_reviewed_golden_files(case):
    config, digest = build_stage.load(CASES[case])
    (built,) = build_stage.build(config, digest, "build")
    assert built.failing == []
    folder = GOLDEN / case
    if UPDATE:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.iterdir():
            stale.unlink()
        for name, content in built.rendered.files.items():
            (folder / name).write_bytes(content)
    expected = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert set(expected) == set(built.rendered.files), "run `make golden` after a deliberate change"
    for name, content in built.rendered.files.items():
        assert content == expected[name], f"{case}/{name} differs from the golden file; review, then `make golden`"
