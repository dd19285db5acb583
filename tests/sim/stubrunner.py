"""A stand-in :class:`~emulator.contract.ScriptRunner` that records every run and plays Python callables.

The router runs scripts only through an injected runner. Tests of the router (scheduler firing, permissions,
``/import``) need one that does not depend on the interpreter: :class:`RecordingRunner` records each run (source,
name, path, policy, mode, and ``at_ns``: the port's ``now_ns()``, the time the router shows) and, when a callable was
registered for that source with :meth:`on`, calls it with a :class:`RunContext` carrying the run's policy, so menu
calls made from it are permission-checked like a script's.

Must not: parse RouterOS source; it is not an interpreter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from emulator.contract import RouterOSError, RouterPort, RunContext, RunResult

Action = Callable[[RunContext], object]


@dataclass(frozen=True, slots=True)
class RecordedRun:
    source: bytes
    name: str
    path: str
    policy: frozenset[str]
    mode: str
    at_ns: int


@dataclass
class RecordingRunner:
    port: RouterPort | None = None
    runs: list[RecordedRun] = field(default_factory=list)
    actions: dict[bytes, Action] = field(default_factory=dict)

    def on(self, source: str | bytes, action: Action) -> None:
        """Plays ``action`` whenever a script whose (stripped) source is ``source`` runs."""
        key = source.encode() if isinstance(source, str) else source
        self.actions[key.strip()] = action

    def run(self, source: bytes, *, name: str, path: str, policy: frozenset[str], mode: str = "script") -> RunResult:
        at = self.port.now_ns() if self.port is not None else 0
        self.runs.append(RecordedRun(source, name, path, policy, mode, at))
        ctx = RunContext(script_name=name, policy=policy)
        action = self.actions.get(source.strip())
        try:
            if action is not None:
                action(ctx)
        except RouterOSError as error:
            return RunResult(ok=False, output=ctx.output, error=str(error))
        return RunResult(ok=True, output=ctx.output)

    def names(self) -> list[str]:
        return [r.name for r in self.runs]
