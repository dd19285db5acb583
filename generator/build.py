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
from generator import mailtext
from generator.config import Config, RouterConfig
from generator.errors import ConfigError, ConfigProblem, Diagnostic, Location, RosbillError
from generator.probe import profile as probe_profile
from generator.render import SCRIPTS, RenderedRouter, render, render_scripts
from generator.yamlmarks import dotted


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
        _refuse_oversize(config, router, config_sha256, rendered)
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


#: Where the limit is explained (lint RB004 is the same limit, the backstop for a template that grows).
LIMIT_DOC = "docs/config.md#script-size"
#: How many of the largest contributors an oversize error names.
NAMED = 3


def _refuse_oversize(config: Config, router: RouterConfig, config_sha256: str, rendered: RenderedRouter) -> None:
    """A config error (exit 2) when a script renders over lint's 30,000 bytes: located at the config values that
    put the most bytes into it, so the operator knows which key to shorten. Each value's share is measured by
    rendering once more with that value at its shortest (only when a script is over, so a good build pays nothing)."""
    limit = lint_stage.MAX_SCRIPT_BYTES
    names = {file: name for file, name, _ in SCRIPTS}
    over = {file: len(rendered.files[file]) for file in names if len(rendered.files[file]) > limit}
    if not over:
        return
    shares: dict[str, list[tuple[int, tuple[str | int, ...], str]]] = {file: [] for file in over}
    for at, what, smaller in _shortened(config):
        try:
            scripts = render_scripts(smaller, router, config_sha256)
        except RosbillError:
            continue  # a value the templates cannot do without: it is not offered as the one to shorten
        for file, size in over.items():
            share = size - len(scripts[file])
            if share > 0:
                shares[file].append((share, at, what))
    problems = []
    for file, size in over.items():
        head = (
            f"the script {names[file]} ({file}) renders to {size:,} bytes, over the {limit:,}-byte limit RouterOS "
            f"scripts are held to ({LIMIT_DOC}); it needs {size - limit:,} bytes less"
        )
        found = _largest(shares[file], size - limit)
        if not found:
            continue  # no config value accounts for it (a template grew): lint RB004 reports it, exit 3
        named = []
        for rank, (share, at, what) in enumerate(found):
            where, given = config_stage.locate(config, at)
            place = "" if rank == 0 else f"line {where.line}, " if given else "not in the file, "
            default = "" if given else "; it is rosbill's default text: add the key with a shorter text"
            named.append(f"{dotted(at)}{what} ({place}{share:,} bytes in the script{default})")
        first_at = found[0][1]
        problems.append(
            ConfigProblem(
                config_stage.locate(config, first_at)[0], dotted(first_at), f"{head}; shorten " + " or ".join(named)
            )
        )
    if problems:
        raise ConfigError(problems)


def _largest(
    shares: list[tuple[int, tuple[str | int, ...], str]], needed: int
) -> list[tuple[int, tuple[str | int, ...], str]]:
    """The largest contributors, biggest first, until together they hold the bytes needed (at most :data:`NAMED`)."""
    out: list[tuple[int, tuple[str | int, ...], str]] = []
    for share in sorted(shares, key=lambda item: -item[0]):
        if len(out) == NAMED or sum(s for s, _, _ in out) >= needed:
            break
        out.append(share)
    return out


def _shortened(config: Config) -> list[tuple[tuple[str | int, ...], str, Config]]:
    """Each config value that can grow a script without bound (texts at their maximum length, the package table),
    with the config where that value is at its shortest: (key path, a word on what to shorten, the config)."""
    out: list[tuple[tuple[str | int, ...], str, Config]] = []
    mail = config.mail
    for kind in mailtext.KINDS:
        template = getattr(mail, kind)
        for part in ("body", "subject"):
            short = template.model_copy(update={part: "x"})
            out.append(
                (("mail", kind, part), "", config.model_copy(update={"mail": mail.model_copy(update={kind: short})}))
            )
    for part in ("note", "subject_prefix"):
        resend = mail.resend.model_copy(update={part: ""})
        out.append(
            (
                ("mail", "resend", part),
                "",
                config.model_copy(update={"mail": mail.model_copy(update={"resend": resend})}),
            )
        )
    for part, shortest in (("banking", "x"), ("name", "x"), ("tax_line", "")):
        company = config.company.model_copy(update={part: shortest})
        out.append((("company", part), "", config.model_copy(update={"company": company})))
    if config.notify is not None:
        for kind in config_stage.NOTIFY_KINDS:
            message = getattr(config.notify, kind, None)
            if message is not None:
                notify = config.notify.model_copy(update={kind: message.model_copy(update={"text": "x"})})
                out.append((("notify", kind, "text"), "", config.model_copy(update={"notify": notify})))
    if len(config.packages) > 1:
        first = next(iter(config.packages))
        what = f" (fewer than {len(config.packages)} packages, or shorter names and fewer fair_use steps)"
        out.append((("packages",), what, config.model_copy(update={"packages": {first: config.packages[first]}})))
    return out


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
