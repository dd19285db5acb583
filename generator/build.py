"""Builds every router of a config: render, lint, and write ``build/<router>/``.

:func:`build` is pure (config in, rendered files and findings out); :func:`write` puts one router's files on disk.
Must not: print or exit (the CLI does), or talk to routers.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import config as config_stage
from generator import lint as lint_stage
from generator.config import Config
from generator.errors import ConfigError, ConfigProblem, Diagnostic, Location, RosbillError
from generator.probe import profile as probe_profile
from generator.render import RenderedRouter, render


@dataclass(frozen=True, slots=True)
class Built:
    rendered: RenderedRouter
    diagnostics: tuple[Diagnostic, ...]

    @property
    def failing(self) -> list[Diagnostic]:
        return lint_stage.failing(self.diagnostics)


class OutputProblem(RosbillError):
    """The build folder cannot be written (exit 2)."""


def load(config_path: str | Path) -> tuple[Config, str]:
    """The validated config and the SHA-256 of the file's bytes (recorded in every manifest)."""
    config, digest, _ = load_with_warnings(config_path)
    return config, digest


def load_with_warnings(config_path: str | Path, *, profiles: bool = True) -> tuple[Config, str, list[ConfigProblem]]:
    """:func:`load`, and the config's warnings (``severity == "warning"``: it loads, the CLI shows them). With
    ``profiles``, the routers' probe profiles next to the config are checked too (generator/probe/profile.py)."""
    path = Path(config_path)
    _refuse_special(path)
    config, warnings = config_stage.load_checked(path)
    if profiles:
        warnings += probe_profile.check(config, path)
    try:
        with path.open("rb") as handle:
            data = handle.read(config_stage.MAX_BYTES + 1)
    except OSError as error:  # it was readable a moment ago
        raise ConfigError(
            [ConfigProblem(Location(str(path), 1, 1), "", f"cannot read the file: {error.strerror}")]
        ) from None
    return config, hashlib.sha256(data).hexdigest(), warnings


def _refuse_special(path: Path) -> None:
    """A pipe or a socket is not a config file: opening a pipe would wait for a writer forever. (A device is left to
    the loader, which reads at most its size cap from it.)"""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return  # missing or unreadable: the loader says which, located
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        problem = ConfigProblem(
            Location(str(path), 1, 1), "", "a pipe or socket, not a file; give the billing config file"
        )
        raise ConfigError([problem])


def select(config: Config, names: list[str] | None, config_path: str) -> list[str]:
    known = [r.name for r in config.routers]
    if not names:
        return known
    for name in names:
        if name not in known:
            raise ConfigError(
                [
                    ConfigProblem(
                        Location(config_path, 1, 1),
                        "routers",
                        f'no router named "{name}"; the config has {", ".join(known)}',
                    )
                ]
            )
    return names


def build(config: Config, config_sha256: str, out_dir: str | Path, names: list[str] | None = None) -> list[Built]:
    """Renders and lints the selected routers (all by default). ``out_dir`` only names files in findings."""
    results = []
    for router in config.routers:
        if names and router.name not in names:
            continue
        rendered = render(config, router, config_sha256)
        folder = Path(out_dir) / router.name
        sources = [
            lint_stage.Source(
                str(folder / name), content.decode("ascii"), "import" if name == "install.rsc" else "script"
            )
            for name, content in rendered.files.items()
            if name.endswith(".rsc")
        ]
        results.append(Built(rendered, tuple(lint_stage.lint(sources, router.version))))
    return results


def write(built: Built, out_dir: str | Path) -> Path:
    """Writes one router's files into ``out_dir/<router>/``, replacing what was there, each file atomically."""
    folder = Path(out_dir) / built.rendered.router.name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in built.rendered.files.items():
            _atomic_write(folder / name, content)
        for stale in folder.iterdir():
            if stale.is_file() and stale.name not in built.rendered.files:
                stale.unlink()
    except OSError as error:
        where = error.filename if error.filename is not None else folder
        raise OutputProblem(f"{where}: cannot write the build there: {error.strerror or error}; check --out") from None
    return folder


def _atomic_write(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
