"""The dialect seam: only generator/dialects.py knows which RouterOS release or dialect a build is for.

Everything else asks a named flag or method of the one :class:`generator.dialects.Dialect`. This test reads the
syntax tree of every product module (``generator/``) and of every template (Jinja's own parser), and fails on:

* a comparison, ``if``, conditional expression, ``match`` or lookup (``table[x]``, ``table.get(x)``) on a release
  (``version``, ``.major``/``.minor``/``.patch``, ``at_least()``, ``RouterOSVersion(…)``, ``"7.10"``), a dialect name
  (``dialect.name``, ``dialect_name``, ``"v6"``/``"v7"``) or a menu path (``dialect.um_menu``, ``"/user-manager"``);
* a comparison of a word-valued flag (``email_server_param``, ``email_tls_param``, ``login_field`` …) or a local
  copied from one, since ``flag == "address"`` is "which release is it?" asked another way;
* a conditional that chooses between User Manager menu paths (``("user-manager",) if v7 else ("tool", …)``);
* ``dialect.version.flag`` or ``version.flag``: the flags live on the dialect;
* a template override in ``rsc_templates/v6|v7/`` that is a near copy of the common one (a flag would do).

Modules that drive the emulator (they import ``emulator``) use the emulator's own version model and are its seam,
not this one. ``test_the_guard_catches_*`` feed the guard the leaks issue 10 listed, as they were.
"""

from __future__ import annotations

import ast
import difflib
import itertools
import re
from dataclasses import fields
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

from generator.dialects import BOUNDARIES, Dialect, RouterOSVersion, for_version

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "rsc_templates"
SEAM = ROOT / "generator" / "dialects.py"

#: Flags whose value is a word that differs between releases (a menu, a property name): comparing one is a leak.
WORD_FLAGS = frozenset(
    f.name for f in fields(Dialect) if f.type in ("str", "tuple[str, ...]") and f.name not in ("version", "name")
) | {"um_path", "email_tls_choices", "dialect_name"}
#: Every flag and method of the dialect (and the emulator's legacy gates on RouterOSVersion): not to be read off a
#: version.
GATES = frozenset(f.name for f in fields(Dialect)) | frozenset(
    name for name, member in vars(RouterOSVersion).items() if isinstance(member, property)
)
#: Names that hold a release or a dialect's identity.
IDENTITY_NAMES = frozenset({"version", "routeros_version", "dialect_name", "major", "minor", "patch"})
MENU_WORDS = frozenset({"user-manager"})
_RELEASE = re.compile(r"^[67]\.\d{1,3}(?:\.\d{1,3})?$")
#: The start of a release's text (``"6"``, ``"7."``, ``"6.4"``): what ``startswith`` on a version's text asks.
_RELEASE_PREFIX = re.compile(r"^[67](?:\.\d{0,3})*$")
#: Names that hold a release as text (preflight's ``version_text``, the printed ``routeros_version``).
TEXT_NAMES = frozenset({"version_text"})
_MENU = re.compile(r"^/(?:tool[ /])?user-manager$")
#: Word values of the flags on every release (``address``, ``start-tls``, ``/tool user-manager`` …).
FLAG_WORDS = frozenset(
    str(value)
    for boundary in BOUNDARIES
    for name, value in for_version(boundary).flags().items()
    if name in WORD_FLAGS and isinstance(value, str)
)


def _is_identity_constant(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_RELEASE.match(node.value) or _MENU.match(node.value) or node.value in ("v6", "v7"))
    return False


def _menu_constant(node: ast.AST) -> bool:
    """A string or tuple that spells a User Manager menu path."""
    if _is_identity_constant(node) and isinstance(node, ast.Constant) and _MENU.match(str(node.value)):
        return True
    if isinstance(node, ast.Tuple | ast.List):
        return any(isinstance(e, ast.Constant) and e.value in MENU_WORDS for e in node.elts)
    return False


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return ""


class _Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self.tainted: set[str] = set()  # locals that hold a word flag: server_param = dialect.email_server_param

    def add(self, node: ast.AST, why: str) -> None:
        self.found.append((getattr(node, "lineno", 0), why))

    def identity(self, node: ast.AST) -> str:
        """Why ``node`` is a release, dialect name or menu path ("" if it is not)."""
        text = _dotted(node)
        last = text.rsplit(".", 1)[-1]
        if _is_identity_constant(node):
            return f"the constant {node.value!r}"  # type: ignore[attr-defined]
        if isinstance(node, ast.Name | ast.Attribute) and last in IDENTITY_NAMES:
            return text
        if isinstance(node, ast.Attribute) and last == "name" and "dialect" in text:
            return text
        if isinstance(node, ast.Name | ast.Attribute) and (last in WORD_FLAGS or text in self.tainted):
            return text
        if isinstance(node, ast.Call) and _dotted(node.func).split(".")[0] == "RouterOSVersion":
            return text
        return ""

    def visit_Assign(self, node: ast.Assign) -> None:
        value = _dotted(node.value).rsplit(".", 1)[-1]
        if value in WORD_FLAGS:
            self.tainted |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        membership = all(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
        literal = isinstance(node.comparators[-1], ast.Tuple | ast.List | ast.Set | ast.Constant)
        if membership and not literal:
            pass  # `version in cache`, `param in row`: membership of a collection that is data, not a choice
        elif not any(isinstance(o, ast.Constant) and o.value is None for o in operands):
            for operand in operands:
                why = self.identity(operand)
                if why:
                    self.add(node, f"compares {why}")
                    break
            else:
                words = [o.value for o in operands if isinstance(o, ast.Constant) and o.value in FLAG_WORDS]
                flags = [_dotted(o) for o in operands if _dotted(o).rsplit(".", 1)[-1] in GATES]
                if words and flags:
                    self.add(node, f"compares {flags[0]} with {words[0]!r}")
        self.generic_visit(node)

    def _test(self, node: ast.If | ast.IfExp | ast.While, test: ast.AST) -> None:
        why = self.identity(test)
        if why and not isinstance(test, ast.Compare):
            self.add(node, f"branches on {why}")

    def visit_If(self, node: ast.If) -> None:
        self._test(node, node.test)
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._test(node, node.test)
        if _menu_constant(node.body) or _menu_constant(node.orelse):
            self.add(node, "chooses a User Manager menu path in a conditional (ask dialect.um_menu / um_path)")
        self.generic_visit(node)

    def visit_Match(self, node: ast.Match) -> None:
        why = self.identity(node.subject)
        if why:
            self.add(node, f"matches on {why}")
        self.generic_visit(node)

    def key(self, node: ast.AST) -> str:
        """Why ``node``, as a table key, picks by release, dialect name or menu ("" if not). A release object as
        the key of a cache is fine; a row read by ``dialect.login_field`` is fine."""
        text = _dotted(node)
        last = text.rsplit(".", 1)[-1]
        if _is_identity_constant(node):
            return f"the constant {node.value!r}"  # type: ignore[attr-defined]
        if last in ("um_menu", "foreign_menu", "um_path", "dialect_name", "major", "minor", "patch"):
            return text
        if isinstance(node, ast.Attribute) and last == "name" and "dialect" in text:
            return text
        return ""

    def visit_Subscript(self, node: ast.Subscript) -> None:
        why = self.key(node.slice)
        if why:
            self.add(node, f"looks up a table by {why}")
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        if any(k is not None and _is_identity_constant(k) for k in node.keys):
            self.add(node, "a table keyed by release, dialect name or menu path")
        self.generic_visit(node)

    def text_of_release(self, node: ast.AST) -> str:
        """Why ``node`` is a release as text: ``str(version)``, ``f"{version}"``, ``version_text`` ("" if not)."""
        if isinstance(node, ast.Call) and _dotted(node.func) in ("str", "format", "repr") and node.args:
            return self.identity(node.args[0]) or self.text_of_release(node.args[0])
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                if isinstance(part, ast.FormattedValue) and self.identity(part.value):
                    return self.identity(part.value)
        if isinstance(node, ast.Name | ast.Attribute) and _dotted(node).rsplit(".", 1)[-1] in TEXT_NAMES:
            return _dotted(node)
        return self.identity(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute) and node.func.attr == "at_least":
            self.add(node, "calls at_least()")
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("startswith", "endswith", "split", "partition"):
            prefix = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            why = self.text_of_release(node.func.value)
            if why:
                self.add(node, f"reads {why} as text ({node.func.attr})")
            elif node.func.attr == "startswith" and any(_RELEASE_PREFIX.match(str(a.value)) for a in prefix):
                self.add(node, f"asks whether a text starts with the release {prefix[0].value!r}")
        if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
            why = self.key(node.args[0])
            if why:
                self.add(node, f"looks up a table by {why}")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        owner = node.value
        if node.attr in ("major", "minor", "patch"):
            self.add(node, f"reads {_dotted(node)}")
        elif isinstance(owner, ast.Attribute) and owner.attr == "version" and "dialect" in _dotted(owner.value):
            self.add(node, f"reads {_dotted(node)}: ask the dialect itself")
        elif node.attr in GATES and _dotted(owner).rsplit(".", 1)[-1] in ("version", "routeros_version"):
            self.add(node, f"reads {_dotted(node)}: ask for_version(...) for the Dialect's flag")
        self.generic_visit(node)


def python_leaks(source: str) -> list[tuple[int, str]]:
    finder = _Finder()
    finder.visit(ast.parse(source))
    return finder.found


def _drives_the_emulator(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "emulator":
            return True
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "emulator" for a in node.names):
            return True
    return False


def product_modules() -> list[Path]:
    return [p for p in sorted((ROOT / "generator").rglob("*.py")) if p != SEAM]


# --- templates -----------------------------------------------------------------------------------------------------

#: Context names that carry a release, dialect name or menu path (render._context): for output, never for branching.
TEMPLATE_IDENTITY = frozenset({"dialect_name", "routeros_version", "um", "requires", "email_server_param"})


def template_leaks(source: str) -> list[tuple[int, str]]:
    tree = jinja2.Environment().parse(source)
    found = []

    def identity(node: nodes.Node) -> str:
        if isinstance(node, nodes.Name) and node.name in TEMPLATE_IDENTITY:
            return node.name
        if isinstance(node, nodes.Const) and isinstance(node.value, str):
            value = node.value
            if _RELEASE.match(value) or _MENU.match(value) or value in ("v6", "v7"):
                return repr(value)
        return ""

    def within(node: nodes.Node) -> str:
        """Why ``node`` or any part of it (a filter's or method's operand: ``routeros_version|first``,
        ``routeros_version.startswith("6")``) is a release, dialect name or menu path ("" if none is)."""
        for part in [node, *node.find_all((nodes.Name, nodes.Const))]:
            if identity(part):
                return identity(part)
        return ""

    for compare in tree.find_all(nodes.Compare):
        for operand in [compare.expr, *(op.expr for op in compare.ops)]:
            if within(operand):
                found.append((compare.lineno, f"compares {within(operand)}"))
                break
    for branch in [*tree.find_all(nodes.If), *tree.find_all(nodes.CondExpr)]:
        if within(branch.test) and not isinstance(branch.test, nodes.Compare):
            found.append((branch.lineno, f"branches on {within(branch.test)}"))
    for lookup in tree.find_all(nodes.Getitem):
        if identity(lookup.arg):
            found.append((lookup.lineno, f"looks up by {identity(lookup.arg)}"))
    return found


def near_copy(override: str, common: str) -> bool:
    """An override that mostly repeats the common template: the difference belongs in a flag."""
    return difflib.SequenceMatcher(None, override, common).ratio() >= 0.75


# --- the tests on the code as it is ----------------------------------------------------------------------------------


def test_no_product_module_asks_which_release_dialect_or_menu_it_is():
    found = []
    for path in product_modules():
        source = path.read_text()
        if _drives_the_emulator(ast.parse(source)):
            continue
        found += [f"{path.relative_to(ROOT)}:{line}: {why}" for line, why in python_leaks(source)]
    assert found == []


def test_no_template_branches_on_a_release_dialect_or_menu():
    found = []
    for path in sorted(TEMPLATES.rglob("*.j2")):
        found += [f"{path.relative_to(ROOT)}:{line}: {why}" for line, why in template_leaks(path.read_text())]
    assert found == []


def test_every_override_differs_in_substance_and_every_common_template_is_used():
    common = {p.name: p.read_text() for p in (TEMPLATES / "common").glob("*.j2")}
    overrides = {folder: {p.name: p.read_text() for p in (TEMPLATES / folder).glob("*.j2")} for folder in ("v6", "v7")}
    copies = [
        f"rsc_templates/{folder}/{name}"
        for folder, files in overrides.items()
        for name, text in files.items()
        if name in common and near_copy(text, common[name])
    ]
    assert copies == []
    shadowed = [f"rsc_templates/common/{name}" for name in common if all(name in files for files in overrides.values())]
    assert shadowed == [], "overridden by both dialects, so never used"


def test_the_boundaries_are_exactly_where_flags_change():
    releases = [RouterOSVersion(6, minor) for minor in range(43, 50)] + [
        RouterOSVersion(7, minor, patch) for minor in range(0, 30) for patch in (0, 5)
    ]
    changes = {
        later
        for earlier, later in itertools.pairwise(releases)
        if for_version(earlier).flags() != for_version(later).flags()
    }
    assert changes == set(BOUNDARIES) - {RouterOSVersion(6, 43)}
    for release in releases:
        low, high = for_version(release).supported_range()
        assert for_version(low).flags() == for_version(release).flags()
        assert high is None or for_version(high).flags() != for_version(release).flags()


# --- the guard catches the leaks issue 10 listed (the code as it was) ------------------------------------------------


def test_the_guard_catches_render_comparing_the_server_parameter():
    # generator/render.py (69435ec) _smtp_server
    old = 'if dialect.version.email_server_param == "address":\n    pass\n'
    assert python_leaks(old)


def test_the_guard_catches_lint_schema_switching_on_the_menu():
    # generator/lint_schema.py:223 before issue 10
    old = 'overlay = {"/tool user-manager": _um_v6, "/user-manager": _um_v7}[dialect.um_menu]()\n'
    assert len(python_leaks(old)) >= 2  # the table keyed by menu paths, and the lookup by um_menu
    assert python_leaks('if version.email_tls_param == "start-tls":\n    pass\n')


def test_the_guard_catches_the_fixture_working_out_the_user_manager_path():
    # generator/sim/fixture_usage.py:65 (now emulator/, which has its own version module)
    old = 'v7 = version.user_manager_v7\nroot = ("user-manager",) if v7 else ("tool", "user-manager")\n'
    whys = [why for _, why in python_leaks(old)]
    assert any("menu path" in why for why in whys)
    assert any("version.user_manager_v7" in why for why in whys)


def test_the_guard_catches_deploy_comparing_a_copied_flag():
    # generator/deploy/desired.py before issue 10: a local copied from a word flag, compared with a word
    old = 'server_param = version.email_server_param\nif server_param == "address":\n    pass\n'
    assert any("compares server_param" in why for _, why in python_leaks(old))


def test_the_guard_catches_the_v6_email_settings_override():
    # rsc_templates/v6/email_settings.rsc.j2 before 9e3db5f: the common template copied to write start-tls=
    common = (
        "{\n:local want {{ smtp.wanted }}\n:local have [/tool e-mail get]\n:local same true\n"
        ":foreach k,v in=$want do={ :if ([:tostr ($have->$k)] != $v) do={ :set same false } }\n:if (!$same) do={\n"
        "  /tool e-mail set {{ email_server_param }}={{ email_server_value }} port={{ smtp.port }} "
        "tls={{ smtp.tls }} user={{ smtp.user }} from={{ sender }}\n}\n}\n"
    )
    assert near_copy(common.replace(" tls=", " start-tls="), common)
    assert not near_copy("# the NTP client of the ntp package\n:local s [/system ntp client get status]\n", common)


def test_the_guard_catches_version_arithmetic_and_template_branches():
    assert python_leaks("if router.version.major == 6:\n    pass\n")
    assert python_leaks('if dialect.name == "v6":\n    pass\n')
    assert python_leaks("if version >= RouterOSVersion(7, 10):\n    pass\n")
    assert python_leaks("ok = version.at_least(7, 12)\n")
    assert python_leaks("if dialect.version.iso_dates:\n    pass\n")
    assert template_leaks('{% if dialect_name == "v6" %}x{% endif %}')
    assert template_leaks("{% if um %}x{% endif %}")


#: A release asked as text instead of a flag: not a comparison, so the checks above alone let these through.
RELEASE_AS_TEXT = [
    ("python", 'if str(router.version).startswith("6"):\n    pass\n'),
    ("python", 'if f"{router.version}".startswith("7."):\n    pass\n'),
    ("python", 'if found.version_text.startswith("6."):\n    pass\n'),
    ("python", 'major = str(dialect.version).split(".")[0]\n'),
    ("python", 'if text.startswith("6.4"):\n    pass\n'),
    ("template", '{% if routeros_version.startswith("6") %}x{% endif %}'),
    ("template", '{% if routeros_version|first == "6" %}x{% endif %}'),
    ("template", '{{ "a" if dialect_name.endswith("6") else "b" }}'),
]


@pytest.mark.parametrize(("kind", "source"), RELEASE_AS_TEXT)
def test_the_guard_catches_a_release_read_as_text(kind: str, source: str) -> None:
    assert (python_leaks if kind == "python" else template_leaks)(source)


def test_the_guard_lets_other_text_tests_through() -> None:
    assert python_leaks('if line.startswith("# key "):\n    pass\n') == []
    assert template_leaks('{% if name.startswith("rb") %}x{% endif %}') == []


def test_the_guard_lets_flags_through():
    assert python_leaks("if dialect.iso_dates:\n    pass\n") == []
    assert python_leaks("param = dialect.email_server_param\nsettings = {param: 1}\n") == []
    assert python_leaks("if version is None:\n    pass\n") == []
    assert template_leaks("{% if reset %}x{% endif %}") == []
