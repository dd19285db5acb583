"""The layout: two packages in one wheel, and the only arrows between them (docs/architecture.md "Import rules").

Every ``import`` in every ``.py`` file of ``generator/`` and ``emulator/`` is read from the AST (module level,
function level, ``if TYPE_CHECKING:`` blocks, relative imports and ``importlib.import_module("…")`` /
``__import__("…")`` with a literal name alike) and checked against these rules:

* ``product-no-emulator``: a product module (``generator/``) imports nothing of ``emulator``, except the CLI entry
  modules;
* ``cli-public-surface``: the CLI entry modules (``rosbill simulate``/``exec``, ``router serve``, ``demo``) use only the
  emulator's public surface: ``import emulator`` or ``from emulator import <a name in emulator.__all__>``;
* ``emulator-allow-list``: an emulator module imports from ``generator`` only the allow-listed modules, and the
  allow-listed modules themselves import no other product module (so nothing more comes in through them);
* ``no-test-code``: no shipped module imports test or benchmark code (``tests/``, ``bench/``);
* ``emulator-version-seam``: inside ``emulator/`` only ``emulator/version.py`` compares RouterOS version numbers.
"""

from __future__ import annotations

import ast
import re
import textwrap
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The product modules that may reach the emulator: the CLI commands that feed it build output.
CLI_ENTRY = frozenset({"generator/cli_sim.py", "generator/cli_deploy.py", "generator/cli_demo.py"})
#: What the emulator may import from the product (docs/architecture.md "Import rules"): the error types the CLI prints
#: (``RosbillError``, ``Location``, ``ScriptError``) and the RouterOS parser the linter uses too, so both read a script
#: the same way.
EMULATOR_ALLOWED = frozenset({"generator.errors", "generator.rsc.syntax"})
#: Top-level names of test and benchmark code (tests/ is on sys.path in the test run: ``deploy.labkit``, ``billing``).
TEST_NAMES = frozenset({"tests", "bench", "conftest"} | {p.name for p in (ROOT / "tests").iterdir() if p.is_dir()})
VERSION_COMPARISON = re.compile(r"\.major\b|\.minor\b|\.patch\b|\bat_least\(|RouterOSVersion\(\s*\d")


@dataclass(frozen=True, slots=True)
class Import:
    line: int
    module: str  # absolute dotted name: "emulator.router", "generator.errors"
    names: tuple[str, ...] = ()  # for ``from module import a, b``


def module_name(rel: str) -> str:
    parts = rel.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, rel: str) -> Iterator[Import]:
    """Every import of a module (``rel`` is its path from the repository root), relative ones made absolute."""
    package = module_name(rel).split(".")
    if not rel.endswith("__init__.py"):
        package = package[:-1]
    for node in ast.walk(ast.parse(source, rel)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield Import(node.lineno, module, tuple(alias.name for alias in node.names))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                yield Import(node.lineno, node.args[0].value)


def public_surface() -> frozenset[str]:
    """The names ``emulator/__init__.py`` lists in ``__all__``."""
    tree = ast.parse((ROOT / "emulator" / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return frozenset(ast.literal_eval(node.value))
    raise AssertionError("emulator/__init__.py has no __all__: the public surface must be listed")


def targets(found: Import) -> list[str]:
    """The modules an import reaches: ``from generator.errors import Location`` reaches ``generator.errors``, and
    ``from generator import errors`` (names taken from a package) ``generator.errors``."""
    is_module = (ROOT / found.module.replace(".", "/")).with_suffix(".py").is_file()
    if is_module or not found.names or found.names == ("*",):
        return [found.module]
    return [f"{found.module}.{name}" for name in found.names]


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def violations(source: str, rel: str, surface: frozenset[str]) -> list[str]:
    """``file:line: rule: what`` for every forbidden import in one module."""
    out = []
    shipped = rel.startswith(("generator/", "emulator/"))
    for found in imports(source, rel):
        where = f"{rel}:{found.line}"
        top = _top(found.module)
        if shipped and top in TEST_NAMES:
            out.append(f"{where}: no-test-code: shipped code imports {found.module} (test or benchmark code)")
        if rel.startswith("generator/") and top == "emulator":
            if rel not in CLI_ENTRY:
                out.append(
                    f"{where}: product-no-emulator: {found.module} imported by a product module; only the CLI "
                    f"entry modules {sorted(CLI_ENTRY)} may use the emulator"
                )
            elif found.module != "emulator" or not set(found.names) <= surface:
                hidden = sorted(set(found.names) - surface) if found.module == "emulator" else [found.module]
                out.append(
                    f"{where}: cli-public-surface: {', '.join(hidden)} is not the emulator's public surface "
                    f"(use `from emulator import <name in emulator.__all__>`)"
                )
        if rel.startswith("emulator/") and top == "generator":
            for reached in targets(found):
                if reached not in EMULATOR_ALLOWED:
                    out.append(
                        f"{where}: emulator-allow-list: the emulator imports {reached}; it may import from the "
                        f"product only {sorted(EMULATOR_ALLOWED)}"
                    )
        if module_name(rel) in EMULATOR_ALLOWED and top in ("generator", "emulator"):
            for reached in targets(found):
                if reached not in EMULATOR_ALLOWED:
                    out.append(
                        f"{where}: emulator-allow-list: allow-listed {module_name(rel)} imports {reached}, which "
                        f"the emulator would then depend on"
                    )
    if rel.startswith("emulator/") and rel != "emulator/version.py":
        for number, line in enumerate(source.splitlines(), 1):
            if VERSION_COMPARISON.search(line.split("#", 1)[0]):
                out.append(
                    f"{rel}:{number}: emulator-version-seam: a version comparison outside emulator/version.py: "
                    f"{line.strip()}"
                )
    return out


def scan(root: Path) -> list[str]:
    """Every violation in every ``.py`` file of ``root/generator`` and ``root/emulator``."""
    surface = public_surface()
    found = []
    for path in sorted([*(root / "generator").rglob("*.py"), *(root / "emulator").rglob("*.py")]):
        found += violations(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix(), surface)
    return found


def test_no_forbidden_import_in_either_direction():
    found = scan(ROOT)
    assert found == [], "\n".join(found)


def test_the_public_surface_exists():
    import emulator

    missing = sorted(name for name in public_surface() if not hasattr(emulator, name))
    assert missing == []
    # the contract: a router, an interpreter, an API server, a scenario runner
    assert {"Router", "Interpreter", "start_server", "serve", "prepare", "run", "exec_file"} <= public_surface()


def test_the_cli_entry_modules_exist_and_the_allow_list_is_real():
    for rel in CLI_ENTRY:
        assert (ROOT / rel).is_file(), rel
    for module in EMULATOR_ALLOWED:
        assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module


# --- the rules catch what they are meant to catch (the code of before the split, and hidden forms) -----------------

#: ``generator/deploy/lab.py`` and ``emulator/simulate.py`` as they were at 715a360 (abridged to their imports).
OLD_LAB = """
from emulator import fixture
from emulator.fixture_usage import build_router
from emulator.interp import Interpreter
from generator.dialects import RouterOSVersion
"""
OLD_SIMULATE = """
from emulator.router import Router
from generator.config import Config, RouterConfig
from generator.dialects import RouterOSVersion, for_version
from generator.errors import Location, ScriptError
from generator.render import RenderedRouter, render
"""


def rules(source: str, rel: str) -> list[str]:
    return [v.split(": ", 2)[1] for v in violations(textwrap.dedent(source), rel, public_surface())]


def test_the_old_lab_module_fails_the_rule():
    found = violations(OLD_LAB, "generator/deploy/lab.py", public_surface())
    assert found[0].startswith("generator/deploy/lab.py:2: product-no-emulator: emulator imported")
    assert rules(OLD_LAB, "generator/deploy/lab.py") == ["product-no-emulator"] * 3


def test_the_old_simulate_module_fails_the_rule():
    found = violations(OLD_SIMULATE, "emulator/simulate.py", public_surface())
    assert [f.split(": ")[0] for f in found] == [
        "emulator/simulate.py:3",
        "emulator/simulate.py:4",
        "emulator/simulate.py:6",
    ]
    assert all("emulator-allow-list" in f for f in found)
    assert "the emulator imports generator.dialects;" in found[1]


def test_a_function_level_import_and_a_type_checking_import_are_seen():
    source = """
    from typing import TYPE_CHECKING
    if TYPE_CHECKING:
        from emulator.router import Mail

    def serve():
        from emulator.api import serve
        import emulator.lab
    """
    assert rules(source, "generator/deploy/fleet.py") == ["product-no-emulator"] * 3
    assert rules(source, "generator/cli_deploy.py") == ["cli-public-surface"] * 3


def test_relative_and_dynamic_imports_are_resolved():
    assert rules("from ..render import render\n", "emulator/router/x.py") == []  # emulator.render: not the product
    assert rules("from .. import deploy\n", "generator/deploy/x.py") == []
    assert rules("import importlib\nimportlib.import_module('emulator.simulate')\n", "generator/x.py") == [
        "product-no-emulator"
    ]
    assert rules("__import__('generator.config')\n", "emulator/x.py") == ["emulator-allow-list"]
    assert rules("from generator import errors, render\n", "emulator/x.py") == ["emulator-allow-list"]
    assert rules("from generator.rsc import syntax\n", "emulator/x.py") == []
    assert rules("import generator\n", "emulator/x.py") == ["emulator-allow-list"]


def test_the_cli_may_use_the_surface_and_nothing_under_it():
    assert rules("import emulator\nfrom emulator import Router, prepare\n", "generator/cli_sim.py") == []
    assert rules("from emulator import simulate\n", "generator/cli_sim.py") == ["cli-public-surface"]
    assert rules("from emulator.simulate import prepare\n", "generator/cli_sim.py") == ["cli-public-surface"]


def test_test_code_and_widened_allow_list_are_refused():
    assert rules("from sim.stubrunner import RecordingRunner\n", "emulator/router/router.py") == ["no-test-code"]
    assert rules("from deploy.labkit import lab\n", "generator/cli.py") == ["no-test-code"]
    assert rules("from generator.dialects import MONTHS\n", "generator/errors.py") == ["emulator-allow-list"]
    assert rules("from generator.deploy import fleet\n", "generator/rsc/syntax.py") == ["emulator-allow-list"]
    assert rules("from generator.deploy import fleet\n", "generator/render.py") == []


def test_a_version_comparison_outside_the_version_model_is_refused():
    assert rules("if version.major == 6:\n    pass\n", "emulator/router/um6.py") == ["emulator-version-seam"]
    assert rules("if version.at_least(7, 10):\n    pass\n", "emulator/version.py") == []
    assert rules("if version.iso_dates:\n    pass\n", "emulator/router/um6.py") == []


def test_the_scan_fails_on_a_tree_with_a_forbidden_import(tmp_path: Path):
    """The scan over a tree where a product module still imports the emulator and the emulator renders (as before)."""
    for rel, source in (("generator/deploy/lab.py", OLD_LAB), ("emulator/simulate.py", OLD_SIMULATE)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(source)
    (tmp_path / "emulator" / "version.py").write_text("x = 1\n")
    found = scan(tmp_path)
    assert len(found) == 6
    assert found[0].startswith("emulator/simulate.py:3: emulator-allow-list: the emulator imports generator.config;")
    assert found[-1].startswith("generator/deploy/lab.py:4: product-no-emulator: emulator.interp imported")


# --- the two version models agree ------------------------------------------------------------------------------------

RELEASES = ["6.43", "6.45.1", "6.45.2", "6.49.10", *(f"7.{minor}" for minor in range(0, 26)), "7.16.2", "7.21.4"]


def test_the_emulators_version_model_agrees_with_the_generators_where_both_name_a_gate():
    """emulator/version.py and generator/dialects.py record the same facts; a gate moved in one must move in both."""
    from emulator.version import GLOBAL_COMMAND_GATES
    from emulator.version import RouterOSVersion as Emulated
    from generator import dialects

    assert GLOBAL_COMMAND_GATES == dialects.GLOBAL_COMMAND_GATES  # the same table, kept apart by the import rules
    gates = [n for n, v in vars(Emulated).items() if isinstance(v, property)]
    compared: set[str] = set()
    for text in RELEASES:
        emulated = Emulated.parse(text)
        product = dialects.RouterOSVersion.parse(text)
        views = [product]
        if hasattr(dialects, "for_version"):
            views.append(dialects.for_version(product))
        for view in views:
            for gate in gates:
                fields = getattr(view, "__dataclass_fields__", {})
                if isinstance(getattr(type(view), gate, None), property) or gate in fields:
                    mine, theirs = getattr(emulated, gate), getattr(view, gate)
                    if isinstance(mine, tuple):  # a set of choices: the order is each side's own
                        mine, theirs = sorted(mine), sorted(theirs)
                    assert mine == theirs, (text, gate, type(view).__name__)
                    compared.add(gate)
            if hasattr(view, "has_global_command"):
                for name in GLOBAL_COMMAND_GATES:
                    assert emulated.has_global_command(name) == view.has_global_command(name), (text, name)
                compared.add("has_global_command")
    assert len(compared) >= 5, f"only {sorted(compared)} could be compared; the two models no longer share names"


def test_every_package_under_emulator_is_shipped():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "emulator").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.mark.parametrize(
    "rel", ["emulator/router/stubrunner.py", "generator/deploy/lab.py", "generator/deploy/demo.py"]
)
def test_moved_modules_stay_moved(rel: str):
    assert not (ROOT / rel).exists(), f"{rel} moved (test double -> tests/sim/, lab -> emulator/, demo -> cli_demo)"


def test_the_product_commands_load_no_emulator_code(tmp_path: Path):
    """``rosbill build`` and ``lint`` run without importing the emulator (only simulate/exec/serve/demo use it)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from generator.cli import main\n"
        f"assert main(['build', '--out', {str(tmp_path)!r}]) == 0\n"
        f"assert main(['lint', '--out', {str(tmp_path)!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m == 'emulator' or m.startswith('emulator.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
