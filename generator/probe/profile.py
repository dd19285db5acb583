"""A router's profile: what ``rosbill probe --json FILE`` observed, kept next to the config as
``<router>.profile.json``, and the check that refuses a config the profile contradicts.

:func:`document` turns a probe report into the profile (plain JSON data); :func:`check` reads the profiles of a
config's routers (those that exist) and returns the warnings, or raises :class:`ConfigError` with every contradiction,
located at the config key (``file:line:col: key: …``, exit 2). Contradictions (docs/probe.md "Profiles"):

* the profile is of another router, or of a RouterOS whose version gates differ from the config's ``version:``
  (error, as deploy's preflight would refuse it later);
* ``billing.counter_reset: reset`` where the router's ``monitor`` totals do not follow its session rows (register
  row 1 differs): removing session rows would not zero the counters (error);
* a clock that was not trusted (row 20) or an API user lacking policy (row 28): warnings.

Must not: print, talk to routers, or import the probe's router side (``apply.py``): ``build`` imports this module.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.config import MAX_BYTES, Config, RouterConfig
from generator.dialects import RouterOSVersion, VersionError
from generator.errors import ConfigError, ConfigProblem, Location
from generator.yamlmarks import Marks, YamlError, read, shown

FORMAT = "rosbill-probe-profile/1"
SUFFIX = ".profile.json"
_VERSION = re.compile(r"^\s*(\d+\.\d+(?:\.\d+)?)")


def path_for(config_path: str | Path, router: str) -> Path:
    """Where a router's profile is looked for: next to the config, ``<router>.profile.json``."""
    return Path(config_path).parent / f"{router}{SUFFIX}"


def document(
    router: str,
    version_text: str,
    observations: Sequence[Any],
    fields: Mapping[str, Mapping[str, str]],
    *,
    probed_at: dt.datetime,
) -> dict[str, Any]:
    """The profile of one probe (``observations``: :class:`~generator.probe.observe.Observation`)."""
    return {
        "format": FORMAT,
        "router": router,
        "routeros": version_text,
        "probed_at": probed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "observations": [
            {
                "row": o.row,
                "assumption": o.assumption,
                "expected": o.expected,
                "observed": o.observed,
                "verdict": o.verdict,
            }
            for o in observations
        ],
        "fields": {name: dict(types) for name, types in fields.items()},
    }


def dumps(profile: Mapping[str, Any]) -> str:
    return json.dumps(profile, indent=2, ensure_ascii=False) + "\n"


def check(config: Config, config_path: str | Path) -> list[ConfigProblem]:
    """The warnings the routers' profiles give; :class:`ConfigError` listing every contradiction."""
    errors: list[ConfigProblem] = []
    warnings: list[ConfigProblem] = []
    marks: Marks | None = None
    for index, router in enumerate(config.routers):
        where = path_for(config_path, router.name)
        if not where.is_file():
            continue
        if marks is None:
            marks = _marks(config_path)
        profile = load(where)
        for problem in contradictions(config, router, index, profile, str(where), marks):
            (errors if problem.severity == "error" else warnings).append(problem)
    if errors:
        raise ConfigError(errors)
    return warnings


def load(path: Path) -> dict[str, Any]:
    """A profile file; :class:`ConfigError` located in it when it is not one."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ConfigError(
            [ConfigProblem(Location(name, 1, 1), "", f"cannot read the profile: {error.strerror}")]
        ) from None
    if len(data) > MAX_BYTES:
        raise ConfigError([ConfigProblem(Location(name, 1, 1), "", "over 1 MB; is it a rosbill probe profile?")])
    try:
        profile = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(
            [ConfigProblem(Location(name, 1, 1), "", "not UTF-8 text; write it with rosbill probe --json")]
        ) from None
    except json.JSONDecodeError as error:
        raise ConfigError(
            [
                ConfigProblem(
                    Location(name, error.lineno, error.colno),
                    "",
                    f"not valid JSON ({error.msg}); write it again with rosbill probe --json",
                )
            ]
        ) from None
    if not isinstance(profile, dict) or profile.get("format") != FORMAT:
        raise ConfigError(
            [ConfigProblem(Location(name, 1, 1), "format", f'not a rosbill probe profile (format must be "{FORMAT}")')]
        )
    observations = profile.get("observations")
    if not isinstance(observations, list) or not all(
        isinstance(o, dict) and isinstance(o.get("row"), int) and isinstance(o.get("verdict"), str)
        for o in observations
    ):
        raise ConfigError(
            [ConfigProblem(Location(name, 1, 1), "observations", "must be a list of {row, verdict, ...} entries")]
        )
    return profile


def verdict(profile: Mapping[str, Any], row: int) -> tuple[str, str] | None:
    """(verdict, observed) of a register row in the profile, or None when the profile does not have it."""
    for entry in profile.get("observations", []):
        if entry.get("row") == row:
            return str(entry.get("verdict", "")), str(entry.get("observed", ""))
    return None


def contradictions(
    config: Config, router: RouterConfig, index: int, profile: Mapping[str, Any], where: str, marks: Marks
) -> list[ConfigProblem]:
    """What the profile (of ``router``, the ``index``-th router of the config) says against the config."""
    base: tuple[str | int, ...] = ("router",) if ("router",) in marks.keys else ("routers", index)
    since = f"the probe of {router.name} ({where}, {profile.get('probed_at', 'undated')})"
    out: list[ConfigProblem] = []
    if profile.get("router") != router.name:
        out.append(
            ConfigProblem(
                Location(where, 1, 1),
                "router",
                f"a profile of router {shown(str(profile.get('router')))}, not {router.name}; "
                f"write {router.name}'s own with rosbill probe --router {router.name} --json {where}",
            )
        )
        return out
    found = _VERSION.match(str(profile.get("routeros", "")))
    try:
        running = RouterOSVersion.parse(found.group(1)) if found else None
    except VersionError:
        running = None
    if running is not None:
        from generator.deploy.preflight import gate_differences  # only when a profile exists (it loads the transport)

        differences = gate_differences(router.version, running)
        if differences:
            out.append(
                ConfigProblem(
                    marks.value((*base, "version")),
                    f"{_key(base)}.version",
                    f"{since} found RouterOS {profile.get('routeros')}, which differs from version: "
                    f'"{router.version}" in {"; ".join(differences)}; set version: "{running}"',
                )
            )
    totals = verdict(profile, 1)
    if totals is not None and totals[0] == "differs" and config.billing.counter_reset == "reset":
        out.append(
            ConfigProblem(
                marks.value(("billing", "counter_reset")),
                "billing.counter_reset",
                f"counter_reset: reset zeroes the counters by removing session rows, but {since} found monitor "
                f"totals that do not follow the session rows (docs/assumptions.md row 1: {totals[1]}); use "
                "counter_reset: baseline",
            )
        )
    clock = verdict(profile, 20)
    if clock is not None and clock[0] == "differs":
        out.append(
            ConfigProblem(
                marks.value(base),
                _key(base),
                f"{since}: the clock was not trusted ({clock[1]}); nothing is billed or warned "
                "until the clock is set and NTP has synchronised",
                severity="warning",
            )
        )
    policy = verdict(profile, 28)
    if policy is not None and policy[0] == "differs":
        out.append(
            ConfigProblem(
                marks.value((*base, "user")),
                f"{_key(base)}.user",
                f"{since}: the API user's policy is short ({policy[1]}); deploy will refuse it",
                severity="warning",
            )
        )
    return out


def _key(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


def _marks(config_path: str | Path) -> Marks:
    """The config's marks (it loaded a moment ago, so it parses)."""
    name = str(config_path)
    try:
        text = Path(config_path).read_text(encoding="utf-8")
        return read(text, name)[1]
    except (OSError, UnicodeDecodeError, YamlError):
        return Marks(name)
