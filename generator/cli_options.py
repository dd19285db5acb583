"""Every command-line option rosbill shares, defined once (issue 11), and the argument types behind them.

Each ``add_*`` function adds one option to a subcommand's parser with the same spelling, type check, default and help
text everywhere. An argument type refuses a bad value with :class:`argparse.ArgumentTypeError`, so argparse exits 2
naming the option. ``Output`` holds what ``-q``/``-v``/``--color`` chose for the run; only the CLI modules read it.

Must not: print or exit (argparse does that for usage errors; the one prompt is :func:`api_password`'s, on a terminal),
or import the emulator.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import math
import os
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from generator.dialects import RouterOSVersion, VersionError
from generator.errors import ConfigError, ConfigProblem, Location
from generator.yamlmarks import shown

if TYPE_CHECKING:
    from generator.config import Config, RouterConfig
    from generator.deploy.credentials import Secret

DEFAULT_CONFIG = "config/billing.yaml"
DEFAULT_OUT = "build"
#: The version of every ``--json`` document's shape (docs/cli.md); raised when a field changes meaning or goes.
JSON_VERSION = 1


# --- argument types: a bad value is a usage error (exit 2) naming the option and what would be right ---------------


def _one_line(text: str) -> str:
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text
    )


def version_text(text: str) -> str:
    """A RouterOS version rosbill supports, written exactly, e.g. ``7.16``."""
    try:
        if text != text.strip() or not text.isprintable():
            raise VersionError(f'{shown(text)} is not a RouterOS version; write it like "6.49", "7.9" or "7.16.2"')
        RouterOSVersion.parse(text)
    except VersionError as error:
        raise argparse.ArgumentTypeError(_one_line(str(error))) from None
    return text


MAX_SECONDS = 86400.0


def seconds(text: str) -> float:
    """A positive, finite number of seconds, at most a day."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= MAX_SECONDS):
        raise argparse.ArgumentTypeError(
            f'{shown(text)} is not a number of seconds; write e.g. "15" or "2.5" (more than 0, at most {MAX_SECONDS:g})'
        )
    return value


class BoundedInt:
    """An argument type: a whole number from ``low`` to ``high`` (``what`` names it in the message)."""

    def __init__(self, low: int, high: int, what: str) -> None:
        self.low, self.high, self.what = low, high, what
        self.__name__ = what  # argparse names a type by it in some messages

    def __call__(self, text: str) -> int:
        if not re.fullmatch(r"[+-]?[0-9]{1,12}", text) or not self.low <= int(text) <= self.high:
            raise argparse.ArgumentTypeError(
                f"{shown(text)} is not {self.what}; write a whole number from {self.low} to {self.high}"
            )
        return int(text)


#: The years rosbill's emulated router is run in.
FIRST_YEAR, LAST_YEAR = 1970, 2099


def moment(text: str) -> dt.datetime:
    """A router clock reading, ``2026-11-30``, ``2026-11-30 23:50`` or ``2026-11-30 23:50:00``."""
    for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            found = dt.datetime.strptime(text, form)
        except ValueError:
            continue
        if FIRST_YEAR <= found.year <= LAST_YEAR:
            return found
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is outside the years the emulated router runs in ({FIRST_YEAR} to {LAST_YEAR})"
        )
    raise argparse.ArgumentTypeError(f'{shown(text)} is not a date; write "2026-11-30" or "2026-11-30 23:50:00"')


_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\]")


def host_port(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:25`` for an IPv6 address): a host name or address and a port from 1 to 65535."""
    host, _, port = text.rpartition(":")
    if not host or not _HOST.fullmatch(host) or not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(
            f'{shown(text)} is not HOST:PORT; write e.g. "127.0.0.1:2525", "mail.example.net:25" or "[::1]:25"'
        )
    return host.strip("[]"), int(port)


def login_name(text: str) -> str:
    """A RouterOS user name: 1 to 64 printable characters, no spaces at either end."""
    if not text or len(text) > 64 or text != text.strip() or not text.isprintable():
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not a user name; write 1 to 64 printable characters, e.g. admin"
        )
    return text


# --- the shared options ----------------------------------------------------------------------------------------------


def add_config(parser: argparse.ArgumentParser, *, type: Any = None) -> None:
    """``--config PATH``: the billing config."""
    parser.add_argument(
        "--config", default=DEFAULT_CONFIG, type=type, metavar="PATH", help=f"billing config (default {DEFAULT_CONFIG})"
    )


def add_out(parser: argparse.ArgumentParser, help: str = "build folder", *, type: Any = None) -> None:
    """``--out DIR``: the build folder (``help`` says what the command does with it)."""
    parser.add_argument(
        "--out",
        default=DEFAULT_OUT if type is None else type(DEFAULT_OUT),
        type=type,
        metavar="DIR",
        help=f"{help} (default {DEFAULT_OUT})",
    )


def add_router(parser: argparse._ActionsContainer, help: str = "only this router (repeatable; default: all)") -> None:
    """``--router NAME``, repeatable everywhere; optional when the config has one router (see :func:`routers`)."""
    parser.add_argument("--router", action="append", metavar="NAME", help=help)


class _DeprecatedVersion(argparse.Action):
    """The old subcommand spelling ``--version V`` of ``--routeros V``: still taken for one release, with a warning
    on stderr (the top-level ``rosbill --version`` is the program's version, as is the convention)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        print(
            f"{parser.prog}: warning: --version {values} is deprecated here and goes in the next release; "
            f"write --routeros {values}",
            file=sys.stderr,
        )
        setattr(namespace, self.dest, values)


def add_routeros(
    parser: argparse.ArgumentParser, help: str, *, dest: str = "routeros", default: str | None = None
) -> None:
    """``--routeros V``: a RouterOS version (the deprecated ``--version V`` still works, with a warning)."""
    shown_default = f" (default {default})" if default else ""
    parser.add_argument(
        "--routeros", dest=dest, default=default, type=version_text, metavar="V", help=f"{help}{shown_default}"
    )
    parser.add_argument(
        "--version",
        dest=dest,
        type=version_text,
        metavar="V",
        action=_DeprecatedVersion,
        help="deprecated spelling of --routeros (warns; goes in the next release)",
    )


def add_timeouts(parser: argparse.ArgumentParser, whole: str, *, one: str = "the router", after: str = "") -> None:
    """``--timeout S`` (the longest wait for any one answer from ``one``) and ``--deadline SECONDS`` (the longest time
    ``whole`` may take), with deploy's transport defaults; ``after`` follows the deadline's default in its help."""
    from generator.deploy.transport import DEFAULT_DEADLINE, DEFAULT_TIMEOUT

    parser.add_argument(
        "--timeout",
        type=seconds,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"longest wait for any one answer from {one}, in seconds (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--deadline",
        type=seconds,
        default=DEFAULT_DEADLINE,
        metavar="SECONDS",
        help=f"longest time {whole} may take, in seconds (default {DEFAULT_DEADLINE:g}){after}",
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    """``--json``: one JSON document on stdout instead of the text report (its shape: docs/cli.md)."""
    parser.add_argument(
        "--json",
        action="store_true",
        help=f"print one JSON document on stdout instead of text (shape version {JSON_VERSION}, "
        "docs/cli.md); messages stay on stderr",
    )


def add_output(parser: argparse.ArgumentParser) -> None:
    """``-q``/``-v``/``--color``: how much is printed, and whether in colour."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="only errors, warnings and the result")
    group.add_argument("-v", "--verbose", action="store_true", help="also each step as it happens (on stderr)")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour: auto (on a terminal, unless NO_COLOR is set; the default), always or never",
    )


# --- what the options chose ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Output:
    """The run's ``-q``/``-v``/``--color``/``--json`` choice (set once by ``cli.main``)."""

    quiet: bool = False
    verbose: bool = False
    json: bool = False
    color: str = "auto"

    def colour_on(self, stream: TextIO) -> bool:
        """Colour only on a terminal, never with NO_COLOR set (https://no-color.org), unless ``--color=always``."""
        if self.color == "always":
            return True
        if self.color == "never" or os.environ.get("NO_COLOR", "") != "":
            return False
        return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


OUTPUT = Output()

_COLOURS = {"red": "31", "green": "32", "yellow": "33", "bold": "1", "dim": "2"}


def paint(text: str, colour: str, stream: TextIO) -> str:
    """``text`` in ``colour`` when colour is on for ``stream``, else unchanged."""
    if not OUTPUT.colour_on(stream):
        return text
    return f"\x1b[{_COLOURS[colour]}m{text}\x1b[0m"


def configure(args: argparse.Namespace) -> Output:
    """Sets :data:`OUTPUT` from parsed arguments (commands without these options get the defaults)."""
    OUTPUT.quiet = bool(getattr(args, "quiet", False))
    OUTPUT.verbose = bool(getattr(args, "verbose", False))
    OUTPUT.json = getattr(args, "json", None) is True  # probe --json FILE is a file, not this switch
    OUTPUT.color = str(getattr(args, "color", "auto"))
    return OUTPUT


# --- --router ---------------------------------------------------------------------------------------------------


def routers(
    config: Config,
    names: list[str] | None,
    config_path: str,
    *,
    command: str,
    every: bool = False,
    single: bool = False,
) -> list[RouterConfig]:
    """The routers ``--router`` (repeatable) names. None given: the only router, or every router with ``every``
    (``--all``); a config with several routers and no ``--router`` is a usage error that lists them. ``single``
    commands (one router at a time) refuse a second ``--router``."""
    known = {r.name: r for r in config.routers}
    where = Location(str(config_path), 1, 1)
    if names:
        if every:
            raise ConfigError([ConfigProblem(where, "routers", "give --router NAME or --all, not both")])
        if single and len(names) > 1:
            raise ConfigError(
                [
                    ConfigProblem(
                        where, "routers", f"rosbill {command} works on one router at a time; give --router once"
                    )
                ]
            )
        for name in names:
            if name not in known:
                raise ConfigError(
                    [ConfigProblem(where, "routers", f'no router named "{name}"; the config has {", ".join(known)}')]
                )
        return [known[n] for n in dict.fromkeys(names)]
    if every or len(known) == 1:
        return list(config.routers)
    more = "" if single else " or --all"
    raise ConfigError(
        [
            ConfigProblem(
                where,
                "routers",
                f"the config has {len(known)} routers ({', '.join(known)}): name one with --router NAME{more}",
            )
        ]
    )


def one_router(config: Config, names: str | list[str] | None, config_path: str) -> RouterConfig:
    """The one router ``--router`` names, for commands that work on one router at a time (optional when the config
    has one router; a second ``--router`` is refused): :func:`routers` with ``single``."""
    listed = [names] if isinstance(names, str) else names
    (router,) = routers(config, listed, config_path, command="this command", single=True)
    return router


def api_password(router: RouterConfig) -> Secret:
    """The router's API password: ``ROSBILL_PASSWORD_<ROUTER>`` or ``ROSBILL_PASSWORD`` (deploy's credentials), else a
    prompt on a terminal (never echoed); without a terminal a config error that names the variables. Never printed."""
    from generator.deploy.credentials import Secret, router_password

    found = router_password(router, os.environ)
    if found is not None:
        return found.secret
    if not sys.stdin.isatty():
        names = " or ".join(router.password_variables)
        problem = ConfigProblem(
            Location("<environment>", 1, 1), "", f"no password for router {router.name}: set {names}"
        )
        raise ConfigError([problem])
    return Secret(getpass.getpass(f"API password for {router.user}@{router.name} ({router.host}): "))


def epilog(example: str, exits: str) -> str:
    """A subcommand's help epilog: an example and its exit codes (shown as written: RawDescriptionHelpFormatter)."""
    codes = "\n  ".join(exits.split("; "))
    return f"example:\n  {example}\n\nexit codes:\n  {codes}"
