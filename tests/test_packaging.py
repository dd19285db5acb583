"""Packaging: every Python package and the templates reach a non-editable install."""

from __future__ import annotations

import tomllib
from pathlib import Path

from generator.render import template_root

ROOT = Path(__file__).resolve().parent.parent


def test_every_generator_and_emulator_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("generator", "emulator")
        for p in (ROOT / top).rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_every_template_folder_is_a_listed_package():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {"generator.rsc_templates." + p.name for p in (ROOT / "rsc_templates").iterdir() if p.is_dir()}
    assert folders <= listed


def test_templates_are_found():
    assert (template_root() / "common" / "billing.rsc.j2").is_file()
