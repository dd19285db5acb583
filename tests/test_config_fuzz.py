"""Fuzzing the config loader: thousands of mutated billing files, each a clean load or located one-line messages.

A seeded mutator (repeatable) damages the shipped config and the test configs the way people and tools do: a line
lost, doubled or swapped, the file cut off, a character inserted (control characters, bidirectional controls, YAML
syntax, braces, quotes, tabs), indentation changed, a value replaced by junk, a huge number, deep nesting, anchors.
Every case must either load or raise ConfigError whose every problem is located (``file:line:col`` inside the file),
on one line, with no raw control or bidirectional character; nothing else may escape. A sample also goes through
``rosbill lint`` (render and lint included), which must exit 0, 2 or 3, never 70 (an internal error).
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIGURES

from generator.cli import main
from generator.config import loads_checked
from generator.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [ROOT / "config" / "billing.yaml", ROOT / "tests" / "data" / "v6.yaml", ROOT / "tests" / "data" / "v7_9.yaml"]
PALETTE = [
    "\x00", "\x07", "\x1b", "\x7f", "\u202e", "\u2066", "\ufeff", "\t", "\r", "\n", ":", "-", "&a ", "*a", "!!str ",
    "!x ", "<<: ", "{", "}", "[", "]", '"', "'", "#", "|", ">", "%", "@", "`", "{level}", "{nope}", "{{", "}}", "é",
    "9" * 40, "0x1F", "1e9", "~", "null", "yes", "7.10",
]  # fmt: skip
LOCATED = re.compile(r"^cfg\.yaml:(\d+):(\d+): ")
BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(10)
    if kind == 0 and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
    elif kind == 1:
        at = rng.randrange(len(lines))
        lines.insert(at, lines[at])
    elif kind == 2 and len(lines) > 1:
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
    elif kind == 3:
        return text[: rng.randrange(len(text) + 1)]
    elif kind == 4:
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(PALETTE) + text[at:]
    elif kind == 5:
        at = rng.randrange(len(lines))
        lines[at] = " " * rng.choice([1, 2, 3, 8]) + lines[at]
    elif kind == 6:
        at = rng.randrange(len(lines))
        if ":" in lines[at]:
            key = lines[at].split(":", 1)[0]
            lines[at] = f"{key}: {''.join(rng.choice(PALETTE) for _ in range(rng.randrange(1, 4)))}"
    elif kind == 7:
        depth = rng.choice([5, 40, 200])
        lines.append("deep: " + "[" * depth + "]" * depth)
    elif kind == 8:
        lines.append(f"x: &{rng.choice('ab')} {{a: 1}}\ny: *{rng.choice('ab')}")
    else:
        at = rng.randrange(len(text) + 1)
        return text[:at] + "".join(rng.choice(PALETTE) for _ in range(rng.randrange(1, 6))) + text[at:]
    return "\n".join(lines)


def check_case(text: str) -> str:
    try:
        loads_checked(text, "cfg.yaml")
    except ConfigError as error:
        assert error.problems, "a ConfigError without problems"
        lines = text.count("\n") + 2
        for problem in error.problems:
            message = str(problem)
            found = LOCATED.match(message)
            assert found, f"not located: {message!r}"
            assert 1 <= int(found.group(1)) <= lines, message
            assert "\n" not in message and not BAD_CHARS.search(message), f"not one clean line: {message!r}"
        return "refused"
    return "loaded"


def fuzz(cases: int, seed: int) -> Counter[str]:
    rng = random.Random(seed)
    seeds = [p.read_text() for p in SEEDS]
    outcomes: Counter[str] = Counter()
    for _ in range(cases):
        text = rng.choice(seeds)
        for _ in range(rng.choice([1, 1, 2, 3, 5])):
            text = mutate(text, rng)
        outcomes[check_case(text)] += 1
    return outcomes


def test_four_hundred_mutated_configs_load_or_fail_with_located_messages():
    started = time.perf_counter()
    outcomes = fuzz(400, seed=1)
    FIGURES.append(
        f"config fuzz: 400 mutated files, {outcomes['loaded']} loaded, {outcomes['refused']} refused with located "
        f"one-line messages, 0 other outcomes ({time.perf_counter() - started:.1f} s)"
    )


@pytest.mark.slow
def test_three_thousand_mutated_configs_load_or_fail_with_located_messages():
    started = time.perf_counter()
    outcomes = fuzz(3000, seed=7)
    FIGURES.append(
        f"config fuzz (slow): 3000 mutated files, {outcomes['loaded']} loaded, {outcomes['refused']} refused with "
        f"located one-line messages, 0 other outcomes ({time.perf_counter() - started:.1f} s)"
    )


def test_a_sample_of_mutated_configs_never_makes_the_cli_fail_internally(tmp_path, capsys):
    rng = random.Random(3)
    seeds = [p.read_text() for p in SEEDS]
    codes: Counter[int] = Counter()
    for index in range(40):
        text = mutate(rng.choice(seeds), rng)
        path = tmp_path / f"c{index}.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogateescape")
        code = main(["lint", "--config", str(path), "--out", str(tmp_path / "build")])
        codes[int(code)] += 1
        _, err = capsys.readouterr()
        assert code in (0, 2, 3), (code, err[-500:])
        assert "internal error" not in err
    FIGURES.append(f"config fuzz through rosbill lint: 40 files, exit codes {dict(sorted(codes.items()))}")
