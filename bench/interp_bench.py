"""Print how many RouterOS statements per second the emulator's interpreter executes.

Run: ``.venv/bin/python bench/interp_bench.py`` (from the repository root). Not a test: it prints figures.

Workloads: a tight arithmetic loop, string building with ``:pick``/``:find``, array work with ``:foreach``, function
calls, a month-end date check of the kind the billing scripts run every day (loaded once, run many times, as the
emulator does when it runs a scheduled script on every day 1900–2100), and one compile-heavy case.

The loop, strings and functions workloads also run as a plain CPython function doing the same work (the same
arithmetic, slicing and calls on ``int``/``bytes``, without RouterOS's int64 wrap or type checks), in the same process
right after the emulator; the last column is emulator time / CPython time (issue 9's goal: within 5x on the loop).
Each figure is the best of ``--repeat`` runs (default 5) in CPU time of this process (``time.process_time``), the
emulator and CPython taking turns, so a busy machine disturbs the figures and the ratio less.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator.contract import MenuCall, MenuNode, RunContext
from emulator.interp import Interpreter
from emulator.version import RouterOSVersion


class QuietRouter:
    """The smallest RouterPort: no menus beyond a clock singleton."""

    def __init__(self) -> None:
        self.tree = MenuNode("")
        self.environment: dict[str, Any] = {}
        self.date = b"2026-11-30"

    def call(self, call: MenuCall, ctx: RunContext) -> Any:
        return self.date

    def log(self, level: str, message: bytes, ctx: RunContext) -> None:
        pass

    def sleep(self, ns: int, ctx: RunContext) -> None:
        pass

    def now_ns(self) -> int:
        return 0


LOOP = b"""
:local x 0
:for i from=1 to=100000 do={ :set x ($x + $i) }
"""

STRINGS = b"""
:local s ""
:for i from=1 to=5000 do={
  :set s ($s . [:pick "abcdefghij" ($i % 10)])
  :if ([:find $s "j" -1] > 5) do={ :set s [:pick $s 0 3] }
}
"""

ARRAYS = b"""
:local a ({})
:for i from=1 to=2000 do={ :set ($a->"k$i") $i }
:local total 0
:foreach k,v in=$a do={ :set total ($total + $v) }
"""

FUNCTIONS = b"""
:local add do={ :return ($1 + $2) }
:local t 0
:for i from=1 to=20000 do={ :set t [$add $t $i] }
"""

MONTH_END = b"""
{
  :local d "2026-11-30"
  :local y [:tonum [:pick $d 0 4]]
  :local m [:tonum [:pick $d 5 7]]
  :local dd [:tonum [:pick $d 8 10]]
  :local days {31;28;31;30;31;30;31;31;30;31;30;31}
  :local last ($days->($m - 1))
  :if ($m = 2 && (($y % 4 = 0 && $y % 100 != 0) || $y % 400 = 0)) do={ :set last 29 }
  :if ($dd = $last) do={ :log info "month end" }
}
"""


def python_loop() -> int:
    """LOOP in plain CPython."""
    x = 0
    for i in range(1, 100001):
        x = x + i
    return x


def python_strings() -> bytes:
    """STRINGS in plain CPython (``:find $s "j" -1`` is the first "j" of the string)."""
    s = b""
    for i in range(1, 5001):
        k = i % 10
        s = s + b"abcdefghij"[k : k + 1]
        found = s.find(b"j")
        if found != -1 and found > 5:
            s = s[0:3]
    return s


def python_functions() -> int:
    """FUNCTIONS in plain CPython."""

    def add(a: int, b: int) -> int:
        return a + b

    t = 0
    for i in range(1, 20001):
        t = add(t, i)
    return t


def best(repeat: int, *works: Callable[[], object]) -> list[float]:
    """The best time of each work over ``repeat`` rounds, the works taking turns (a busy machine slows both alike)."""
    times = [float("inf")] * len(works)
    for _ in range(repeat):
        for index, work in enumerate(works):
            started = time.process_time()
            work()
            times[index] = min(times[index], time.process_time() - started)
    return times


def measure(
    interp: Interpreter,
    name: str,
    source: bytes,
    *,
    runs: int = 1,
    repeat: int,
    python: Callable[[], object] | None = None,
) -> None:
    interp.load(source)  # compile once, as the emulator's cache does
    statements = 0

    def work() -> None:
        nonlocal statements
        statements = 0
        for _ in range(runs):
            result = interp.run(source)
            if not result.ok:
                raise SystemExit(f"{name}: {result.error}")
            statements += result.statements

    elapsed, *native = best(repeat, work, *([python] if python is not None else []))
    line = f"{name:12} {statements:>9} statements in {elapsed:6.3f}s = {statements / elapsed:>10,.0f} statements/s"
    if native:
        line += f" | CPython {native[0]:6.4f}s | emulator/CPython {elapsed / native[0]:5.1f}x"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure, the best one printed (default 5)")
    repeat = max(1, parser.parse_args().repeat)
    interp = Interpreter(QuietRouter(), RouterOSVersion.parse("7.16"))
    measure(interp, "loop", LOOP, repeat=repeat, python=python_loop)
    measure(interp, "strings", STRINGS, repeat=repeat, python=python_strings)
    measure(interp, "arrays", ARRAYS, repeat=repeat)
    measure(interp, "functions", FUNCTIONS, repeat=repeat, python=python_functions)
    measure(interp, "month-end", MONTH_END, runs=20000, repeat=max(1, repeat // 2))
    started = time.process_time()
    for i in range(200):
        interp.load(MONTH_END + f"# {i}\n".encode())
    print(f"{'compile':12} {200 / (time.process_time() - started):>10,.0f} month-end loads/s")


if __name__ == "__main__":
    main()
