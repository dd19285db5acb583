"""Commands of the emulator: ``rosbill exec`` and ``rosbill simulate`` (part of the CLI: may print and exit)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds the emulator's subcommands."""
