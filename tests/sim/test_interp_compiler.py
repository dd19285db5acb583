"""The compiler package's shape: module-level imports only, no cycle among its modules, one ``Value`` declaration."""

from __future__ import annotations

import ast
from pathlib import Path

import emulator
from emulator import compiler

EMULATOR = Path(emulator.__file__).parent
PACKAGE = Path(compiler.__file__).parent


def _imports(path: Path) -> tuple[set[str], list[int]]:
    """The ``emulator.compiler`` modules a file imports at module level, and the lines of imports inside functions
    or classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_level: set[str] = set()
    nested: list[int] = []
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if id(node) not in top:
            nested.append(node.lineno)
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "emulator.compiler":
                module_level.update(f"emulator.compiler.{alias.name}" for alias in node.names)
            elif node.module.startswith("emulator.compiler."):
                module_level.add(node.module)
    return module_level, nested


def test_the_compiler_imports_only_at_module_level_and_has_no_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        name = "emulator.compiler" if path.stem == "__init__" else f"emulator.compiler.{path.stem}"
        imported, nested = _imports(path)
        assert nested == [], f"{path.name} imports inside a function or class at lines {nested}"
        graph[name] = imported - {name}
    assert "emulator.compiler.core" in graph and "emulator.compiler.context" in graph
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name in done:
            return
        for other in graph.get(name, set()):
            visit(other, (*trail, name))
        done.add(name)

    for name in graph:
        visit(name, ())


def test_no_compile_state_is_changed_from_outside() -> None:
    """The loop and where state is the scope's, set when a child scope is made; no counter is bumped by a caller."""
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for counter in ("loop_depth", "where_depth"):
            assert counter not in text, f"{path.name} still uses {counter}"


#: The interpreter's modules (the router's and the API server's are not the interpreter).
INTERPRETER = [
    *(f"compiler/{path.name}" for path in sorted(PACKAGE.glob("*.py"))),
    "builtins.py",
    "convert.py",
    "encodings.py",
    "interp.py",
    "ops.py",
    "regex.py",
    "resolve.py",
    "runtime.py",
    "values.py",
]


def test_value_is_declared_once() -> None:
    declared = [
        name
        for name in INTERPRETER
        if any(line.startswith("Value = ") for line in (EMULATOR / name).read_text(encoding="utf-8").splitlines())
    ]
    assert declared == ["values.py"]
