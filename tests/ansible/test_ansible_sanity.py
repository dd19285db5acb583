"""ansible-test sanity over the rosbill.routeros collection, in CI (docs/fleet.md "Sanity")."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import FIGURES
from fleetkit import BIN

SANITY = Path(__file__).resolve().parent / "sanity.sh"


@pytest.mark.slow
def test_the_collection_passes_ansible_test_sanity() -> None:
    assert (BIN / "ansible-test").exists(), "ansible-test is missing: `make install` installs ansible-core (dev extra)"
    run = subprocess.run(["sh", str(SANITY)], capture_output=True, text=True, timeout=1200, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    tests = re.findall(r'Running sanity test "([^"]+)"', output)
    assert len(tests) >= 20 and "validate-modules" in tests and "import" in tests, tests
    assert "ERROR:" not in output, output[-4000:]
    FIGURES.append(f"ansible-test sanity: {len(tests)} tests passed on rosbill.routeros (tests/ansible/sanity.sh)")
