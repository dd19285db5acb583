"""Load time: syntax errors and names the emulated version lacks fail the whole script before anything runs."""

from __future__ import annotations

import pytest

from emulator.contract import CommandSpec, MenuNode, SourcePos
from emulator.interp import Interpreter
from emulator.version import RouterOSVersion
from generator.dialects import RouterOSVersion as Dialect
from generator.lint import Source, failing, lint_text
from sim.fakerouter import FakeRouter, interpreter


def run(source: str, version: str = "7.16", mode: str = "script"):  # type: ignore[no-untyped-def]
    router, interp = interpreter(version)
    result = interp.run(source.encode(), name="t", path="t.rsc", mode=mode)
    return router, result


@pytest.mark.parametrize(
    ("source", "error", "pos"),
    [
        (":put 1\n/ip adress print", "bad command name adress (line 2 column 5)", (2, 5)),
        (":put 1\n/ip address add address=1.1.1.1/32 foo=1", "expected end of command (line 2 column 36)", (2, 36)),
        (":put 1\n/nope", "bad command name nope (line 2 column 2)", (2, 2)),
        (":put 1\n:if (true) do={ :put 2; :nope }", "bad command name nope (line 2 column 26)", (2, 26)),
        (":put 1\n:set undeclared 5", "syntax error (line 2 column 6)", (2, 6)),
        (':put 1\r\n:put "\\q"', "syntax error (line 2 column 7)", (2, 7)),
        (":put 1\n:put 2 :put 3", "syntax error (line 2 column 8)", (2, 8)),
        (":put 1\n:put (1 +)", "syntax error (line 2 column 9)", (2, 9)),
    ],
)
def test_a_load_failure_runs_nothing_and_says_where(source: str, error: str, pos: tuple[int, int]) -> None:
    router, result = run(source)
    assert not result.ok
    assert result.error == error
    assert result.pos == SourcePos("t.rsc", *pos)
    assert result.output == [] and router.calls == [] and result.statements == 0
    assert result.detail  # what the emulator found, for people


def test_the_first_error_in_source_order_is_reported() -> None:
    _, result = run(":put (\n/nope")
    assert result.error == "syntax error (line 1 column 6)"
    _, result = run("/nope\n:put (")
    assert result.error == "bad command name nope (line 1 column 2)"


def test_unknown_menu_of_the_other_user_manager_fails_to_load() -> None:
    tree = MenuNode("")
    tree.children["tool"] = MenuNode("tool", {"user-manager": MenuNode("user-manager")})
    router = FakeRouter()
    router.tree = tree
    interp = Interpreter(router, RouterOSVersion.parse("6.49"))
    assert interp.run(b"/tool user-manager").ok
    result = interp.run(b"/user-manager user print")
    assert result.error == "bad command name user-manager (line 1 column 2)"


class RecordingRouter(FakeRouter):
    def call(self, call, ctx):  # type: ignore[no-untyped-def]
        self.calls.append(call)


def prefix_router() -> Interpreter:
    router = RecordingRouter()
    menu = MenuNode("m")
    for name in ("print", "printer", "pick", "set"):
        menu.commands[name] = CommandSpec(name, params=frozenset({"value", "values", "name"}))
    router.tree = MenuNode("", {"m": menu})
    return Interpreter(router, RouterOSVersion.parse("7.16"))


def test_exact_names_win_and_unambiguous_prefixes_resolve() -> None:
    interp = prefix_router()
    assert interp.run(b"/m print").ok
    assert interp.run(b"/m printe").ok
    assert interp.run(b"/m se name=x").ok
    assert interp.run(b"/m set value=1").ok  # "value" is exact although "values" starts with it
    router = interp.port
    assert [c.command for c in router.calls] == ["print", "printer", "set", "set"]  # type: ignore[attr-defined]
    assert router.calls[-1].args == {"value": b"1"}  # type: ignore[attr-defined]


def test_ambiguous_prefixes_fail() -> None:
    interp = prefix_router()
    assert interp.run(b"/m p").error == "ambiguous command name p (line 1 column 4)"
    assert interp.run(b"/m set val=1").error == "ambiguous argument name val (line 1 column 8)"


@pytest.mark.parametrize(
    ("version", "source", "ok"),
    [
        ("6.49", ":for i from=1 to=2 do={ :break }", False),
        ("7.1", ":for i from=1 to=2 do={ :break }", True),
        ("7.12", ":onerror e in={} do={}", False),
        ("7.13", ":onerror e in={} do={}", True),
        ("6.49", ":put [/system/identity/get name]", False),
        ("7.1", ":put [/system/identity/get name]", True),
        ("7.11", ":put [:timestamp]", False),
        ("7.12", ":put [:timestamp]", True),
        ("6.49", ":put [:range 1 2]", False),
        ("7.20", ':put [:toarray "a" delimiter=","]', False),
        ("7.21", ':put [:toarray "a" delimiter=","]', True),
        ("7.12", ":put [:serialize to=json 1]", False),
    ],
)
def test_version_gates_decide_what_loads(version: str, source: str, ok: bool) -> None:
    _, result = run(source, version)
    assert (result.statements > 0 or result.ok) == ok or result.error.startswith(":serialize")


def test_break_outside_a_loop_is_a_bad_command() -> None:
    _, result = run(":break")
    assert result.error == "bad command name break (line 1 column 2)"


def test_missing_required_argument() -> None:
    _, result = run(":put 1\n:while (true)")
    assert result.error == "missing value(s) of argument(s) do"


def test_flag_given_a_value_and_valued_parameter_given_bare_fail() -> None:
    assert run("/ip address print count-only=yes")[1].error == "expected end of command (line 1 column 29)"
    assert run("/ip address add comment")[1].error == "expected end of command (line 1 column 17)"


def test_parameter_given_twice_fails() -> None:
    _, result = run("/ip address add comment=a comment=b")
    assert result.error == "expected end of command (line 1 column 27)"


def test_parse_defers_unknown_names_until_they_run() -> None:
    _, result = run(':local c [:parse ":put 1; :nope"]\n:put "loaded"\n$c')
    assert result.output == [b"loaded", b"1"]
    assert result.error == "bad command name nope (line 1 column 10)"


def test_compiled_programs_are_cached_by_source() -> None:
    _, interp = interpreter()
    assert interp.load(b":put 1", path="a") is interp.load(b":put 1", path="a")
    assert interp.load(b":put 1", path="a") is not interp.load(b":put 2", path="a")


def test_import_mode_runs_lines_up_to_the_bad_one() -> None:
    router, result = run(":put 1\n/ip address add address=1.1.1.1/32 interface=x\n/nope\n:put 4", mode="import")
    assert result.output == [b"1"]
    assert len(router.tables[("ip", "address")].rows) == 1
    assert result.error == "bad command name nope (line 3 column 2)"


def test_import_dry_run_reports_and_runs_nothing() -> None:
    _router, result = run(":put 1\n/nope", mode="import-dry-run")
    assert (result.ok, result.output, result.error) == (False, [], "bad command name nope (line 2 column 2)")
    _, result = run(":put 1", mode="import-dry-run")
    assert result.ok and result.output == []


def test_unknown_mode_is_a_programming_error() -> None:
    _, interp = interpreter()
    with pytest.raises(ValueError):
        interp.load(b"", mode="terminal")


def test_interpreter_takes_the_version_from_the_router_when_not_given() -> None:
    router = FakeRouter()
    router.version = RouterOSVersion.parse("6.49")  # type: ignore[attr-defined]
    interp = Interpreter(router)
    assert interp.run(b":put [/system/identity/get name]").error.startswith("bad command name")
    with pytest.raises(TypeError):
        Interpreter(FakeRouter())


# --- the linter and the emulator agree on the shared syntax rules (generator/rsc/syntax.py) ---------------------------

AGREEMENT = [
    (":global array {}\n", True),  # a syntax error on RouterOS [D TIPS "How to define empty array"]
    (":local a 1\n:set a { }\n", True),
    (":local and 1\n", True),  # a keyword cannot name a variable [D HELP "Keywords"]
    (":foreach in in={1} do={ :put 1 }\n", True),
    (":local a ({})\n:put [:len $a]\n", False),
    (":do { :put 1 } on-error={}\n:local f do={}\n", False),
    (':local "or" 1\n:put $"or"\n', False),
]


@pytest.mark.parametrize("version", ["6.49", "7.16"])
@pytest.mark.parametrize(("source", "refused"), [*AGREEMENT, (":local not 1\n", None)])
def test_the_linter_fails_what_the_emulator_refuses_to_load(source: str, refused: bool | None, version: str) -> None:
    """``not`` is a keyword on RouterOS 6 only [D WIKI6]: the emulator refuses it there, the linter everywhere."""
    _, interp = interpreter(version)
    loaded = interp.load(source.encode(), path="t.rsc", mode="script")
    findings = failing(lint_text(Source("t.rsc", source, "script"), Dialect.parse(version)))
    codes = {d.code for d in findings} - {"lsp/vars/undefined"}
    if refused is None:
        assert (loaded.failure is not None, bool(codes)) == (version == "6.49", True), (loaded.failure, codes)
    else:
        assert (loaded.failure is not None, bool(codes)) == (refused, refused), (loaded.failure, codes)
