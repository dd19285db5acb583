"""The RouterOS API wire protocol, server side (the emulated router on a socket).

Public surface: :func:`start_server` / :class:`RunningServer` (in-process, ephemeral port), :func:`serve` (what
``rosbill router serve`` calls), :class:`Credentials`, :class:`Faults` / :class:`Misread` (fault injection for deploy
tests), :class:`ServerInfo`, :class:`Limits` / :class:`LoginPolicy` / :class:`SentenceLimits` (what a client may do;
defaults in docs/simulator.md "API server") and :class:`ServerStats` (what clients did). ``wire`` (framing),
``sentences``, ``query`` and ``convert`` are the pure layers under them. This package must not know about deploy.
"""

from emulator.api.faults import Faults, Misread
from emulator.api.limits import Limits, LoginPolicy
from emulator.api.server import (
    API_PORT,
    API_SSL_PORT,
    RunningServer,
    ServerError,
    ServerInfo,
    ServerStats,
    serve,
    start_server,
)
from emulator.api.session import Credentials
from emulator.api.wire import SentenceLimits

__all__ = [
    "API_PORT",
    "API_SSL_PORT",
    "Credentials",
    "Faults",
    "Limits",
    "LoginPolicy",
    "Misread",
    "RunningServer",
    "SentenceLimits",
    "ServerError",
    "ServerInfo",
    "ServerStats",
    "serve",
    "start_server",
]
