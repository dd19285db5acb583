"""The command line: the only module that prints, prompts or exits."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("rosbill: not implemented yet", file=sys.stderr)
    return 2
