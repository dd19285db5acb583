"""Runs the conformance corpus: small ``.rsc`` cases, one folder per feature, each with its expected result inline.

A case file starts with header comments and ends with expectations::

    # source: HELP "Operators"; routeros-scripting.md §3 [D]
    # version: 7.16            (optional, default 7.16)
    # mode: import             (optional: script | import)
    # xfail: why not yet       (optional: the case is a visible expected failure)
    :put (1 + 2)
    # expect: 3

Expectations, in the order they appear: ``# expect: text`` (one ``:put`` line; the text after ``: `` exactly),
``# expect-error: message`` (the run fails with this RouterOS message), ``# expect-load-error: message`` (it fails
before running anything), ``# expect-log: level message``, ``# expect-refusal: text`` (the emulator refuses with an
``EmulatorRefusal`` whose message contains the text: RouterOS's behaviour there is not known, so the emulator does not
guess). Every case must cite its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sim.fakerouter import FakeRouter

from emulator.contract import EmulatorRefusal, RunContext
from emulator.interp import Interpreter
from emulator.version import RouterOSVersion

CORPUS = Path(__file__).parent
HEADER_KEYS = ("source", "version", "mode", "xfail")


@dataclass
class Case:
    path: Path
    source: bytes
    headers: dict[str, str]
    output: list[bytes] = field(default_factory=list)
    error: str | None = None
    load_error: str | None = None
    refusal: str | None = None
    logs: list[tuple[str, bytes]] = field(default_factory=list)


def read_case(path: Path) -> Case:
    raw = path.read_bytes()
    headers: dict[str, str] = {}
    case = Case(path, raw, headers)
    lines = raw.decode("utf-8", "surrogateescape").splitlines()
    for line in lines:
        if not line.startswith("# "):
            break
        key, sep, value = line[2:].partition(":")
        if sep and key.strip() in HEADER_KEYS:
            headers[key.strip()] = value.strip()
    for line in lines:
        if line.startswith("# expect:") or line == "# expect:":
            case.output.append(line[len("# expect:") :].removeprefix(" ").encode("utf-8", "surrogateescape"))
        elif line.startswith("# expect-error:"):
            case.error = line.split(":", 1)[1].strip()
        elif line.startswith("# expect-load-error:"):
            case.load_error = line.split(":", 1)[1].strip()
        elif line.startswith("# expect-refusal:"):
            case.refusal = line.split(":", 1)[1].strip()
        elif line.startswith("# expect-log:"):
            level, _, message = line.split(":", 1)[1].strip().partition(" ")
            case.logs.append((level, message.encode("utf-8", "surrogateescape")))
    return case


def _cases() -> list[pytest.param]:
    params = []
    for path in sorted(CORPUS.rglob("*.rsc")):
        case = read_case(path)
        marks = [pytest.mark.xfail(reason=case.headers["xfail"], strict=True)] if "xfail" in case.headers else []
        params.append(pytest.param(case, id=str(path.relative_to(CORPUS)), marks=marks))
    return params


CASES = _cases()


@pytest.mark.parametrize("case", CASES)
def test_case(case: Case) -> None:
    assert "source" in case.headers, "every case cites its source in a '# source:' header"
    router = FakeRouter()
    interp = Interpreter(router, RouterOSVersion.parse(case.headers.get("version", "7.16")))
    router.attach(interp)
    if case.refusal is not None:
        ctx = RunContext(script_name="case")
        with pytest.raises(EmulatorRefusal) as refused:
            interp.run(case.source, path=case.path.name, mode=case.headers.get("mode", "script"), ctx=ctx)
        assert case.refusal in str(refused.value)
        assert ctx.output == case.output  # what ran before the refusal
        return
    result = interp.run(case.source, name="case", path=case.path.name, mode=case.headers.get("mode", "script"))
    if case.load_error is not None:
        assert (result.ok, result.error, result.statements) == (False, case.load_error, 0), result.detail
    elif case.error is not None:
        assert (result.ok, result.error) == (False, case.error), result.detail
    else:
        assert result.ok, f"{result.pos}: {result.error} ({result.detail})"
    assert result.output == case.output
    if case.logs:
        assert router.logs == case.logs


def test_corpus_covers_every_feature_folder() -> None:
    folders = {p.parent.name for p in CORPUS.rglob("*.rsc")}
    assert folders >= {
        "values",
        "conversions",
        "operators",
        "precedence",
        "strings",
        "scope",
        "globals",
        "functions",
        "control-flow",
        "errors",
        "arrays",
        "menus",
        "import-mode",
        "versions",
    }
