"""Commands of the deploy stage: ``rosbill deploy``, ``rosbill rollback``, ``rosbill router serve`` (part of the CLI)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds the deploy stage's subcommands."""
