"""The command database the linter checks generated scripts against, per RouterOS version.

routeros-lsp ships the command tree of RouterOS 7.21.4 (a ``/console/inspect`` dump). It has neither User Manager
(an extra package) nor anything of RouterOS 6. This module derives the tree for a target version:

1. start from the bundled 7.21.4 tree;
2. add the User Manager menus the scripts use — ``/tool user-manager`` (v6) or ``/user-manager`` (v7), with the
   properties and commands listed in ``../shared/reference/platform.md`` §1 and §2 (sources S2, S3, S6, S7);
3. apply the flags of :class:`generator.dialects.Dialect` (``/tool e-mail`` ``address``/``server`` and
   ``start-tls``/``tls``, ``certificate-verification``, ``use-script-permissions``, v7-only global commands such as
   ``:onerror``), so that a parameter or command the target does not have is reported like any unknown name.

The node format is routeros-lsp's (``routeros_lsp/schema/schema.py``): ``c`` children, ``k`` command, ``a`` arguments,
``r`` required, ``u`` unnamed count, ``f`` flag, ``e`` values, ``x`` complete. Must not: run the checker.
"""

from __future__ import annotations

import copy
import gzip
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from generator.dialects import GLOBAL_COMMAND_GATES, Dialect, RouterOSVersion, for_version

Node = dict[str, Any]

_PRINT_FLAGS = ("as-value", "count-only", "detail", "brief", "terse", "without-paging", "value-list", "show-ids")


def _table(properties: tuple[str, ...], settable: tuple[str, ...], extra: dict[str, Node] | None = None) -> Node:
    """A menu of items with the generic commands (find, get, print, set, add, remove) of any RouterOS table."""
    values = {"t": " | ".join(properties), "e": list(properties)}
    props: dict[str, Node] = {name: {} for name in settable}
    commands: dict[str, Node] = {
        "find": {"k": 1, "a": {"where": {}}, "u": 99},
        "get": {"k": 1, "a": {"number": {}, "value-name": values, "as-string": {}}, "r": ["number"], "u": 2},
        "print": {
            "k": 1,
            "a": {**{f: {"f": 1} for f in _PRINT_FLAGS}, "where": {}, "proplist": values, "from": {}},
        },
        "set": {"k": 1, "a": {"numbers": {}, **props}, "r": ["numbers"], "u": 1},
        "add": {"k": 1, "a": {"copy-from": {}, **props}},
        "remove": {"k": 1, "a": {"numbers": {}}, "r": ["numbers"], "u": 1},
        "enable": {"k": 1, "a": {"numbers": {}}, "r": ["numbers"], "u": 1},
        "disable": {"k": 1, "a": {"numbers": {}}, "r": ["numbers"], "u": 1},
    }
    commands.update(extra or {})
    return {"c": commands}


def _numbers_command(**args: Node) -> Node:
    return {"k": 1, "a": {"numbers": {}, **args}, "r": ["numbers"], "u": 1}


# v6 /tool user-manager (platform.md §1.1-1.3: S6 wiki, S7 public API code)
_V6_USER = (
    "customer",
    "username",
    "password",
    "first-name",
    "last-name",
    "email",
    "phone",
    "location",
    "comment",
    "ip-address",
    "caller-id",
    "caller-id-bind-on-first-use",
    "shared-users",
    "wireless-psk",
    "wireless-enc-key",
    "wireless-enc-algo",
    "ipv6-dns",
    "disabled",
)
_V6_USER_READ = (
    "download-used",
    "upload-used",
    "uptime-used",
    "actual-profile",
    "last-seen",
    "active",
    "incomplete",
    "registration-date",
    "reg-key",
)
_V6_SESSION = (
    "customer",
    "user",
    "acct-session-id",
    "calling-station-id",
    "user-ip",
    "host-ip",
    "nas-port",
    "nas-port-id",
    "nas-port-type",
    "from-time",
    "till-time",
    "uptime",
    "download",
    "upload",
    "status",
    "terminate-cause",
    "active",
)
_V6_PROFILE = ("name", "owner", "name-for-users", "validity", "starts-at", "price", "override-shared-users")


def _um_v6() -> Node:
    return {
        "c": {
            "user": _table(
                _V6_USER + _V6_USER_READ,
                _V6_USER,
                {
                    "reset-counters": _numbers_command(),
                    "create-and-activate-profile": _numbers_command(customer={}, profile={}),
                    "clear-profiles": _numbers_command(),
                },
            ),
            "session": _table(_V6_SESSION, (), {"close-session": _numbers_command()}),
            "profile": _table(_V6_PROFILE, _V6_PROFILE),
            "customer": _table(
                ("login", "password", "permissions", "parent", "time-zone", "currency"),
                ("login", "password", "permissions", "parent", "time-zone", "currency"),
            ),
        }
    }


# v7 /user-manager (platform.md §2: S1 help page, S2 CLI reference, S3 inspect dumps 7.9-7.24)
_V7_USER = ("name", "password", "otp-secret", "group", "shared-users", "caller-id", "attributes", "comment", "disabled")
_V7_SESSION = (
    "user",
    "acct-session-id",
    "acct-multi-session-id",
    "active",
    "started",
    "ended",
    "uptime",
    "download",
    "upload",
    "last-accounting-packet",
    "status",
    "terminate-cause",
    "calling-station-id",
    "user-address",
    "nas-ip-address",
    "nas-identifier",
    "nas-port-id",
    "nas-port-type",
)
_V7_PROFILE = ("name", "name-for-users", "validity", "starts-when", "price", "override-shared-users", "comment")
_V7_LIMITATION = (
    "name",
    "download-limit",
    "upload-limit",
    "transfer-limit",
    "uptime-limit",
    "rate-limit-rx",
    "rate-limit-tx",
    "reset-counters-interval",
    "reset-counters-start-time",
    "comment",
)


def _um_v7() -> Node:
    monitor = {
        "k": 1,
        "a": {"numbers": {}, "once": {"f": 1}, "as-value": {"f": 1}, "interval": {}, "duration": {}},
        "r": ["numbers"],
        "u": 1,
    }
    menu = {
        "c": {
            "user": _table(_V7_USER, _V7_USER, {"monitor": monitor}),
            "session": _table(_V7_SESSION, (), {"close-session": _numbers_command()}),
            "profile": _table(_V7_PROFILE, _V7_PROFILE),
            "user-profile": _table(
                ("user", "profile", "state", "end-time"),
                ("user", "profile"),
                {"activate-user-profile": _numbers_command()},
            ),
            "limitation": _table(_V7_LIMITATION, _V7_LIMITATION),
            "set": {
                "k": 1,
                "a": {
                    "enabled": {"e": ["no", "yes"]},
                    "authentication-port": {},
                    "accounting-port": {},
                    "use-profiles": {"e": ["no", "yes"]},
                },
            },
            "get": {"k": 1, "a": {"value-name": {}}, "u": 1},
            "print": {"k": 1, "a": {"as-value": {"f": 1}}},
        }
    }
    return menu


@lru_cache(maxsize=1)
def _bundled() -> Node:
    raw = resources.files("routeros_lsp").joinpath("data/routeros-7.21.4.json.gz").read_bytes()
    data: Node = json.loads(gzip.decompress(raw).decode("utf-8"))
    return data


def _rename(args: dict[str, Any], old: str, new: str, node: Node | None = None) -> None:
    """Argument ``old`` becomes ``new`` (with ``node`` as its description, if given); nothing if ``old`` is absent."""
    if old in args:
        value = args.pop(old)
        args[new] = node if node is not None else value


@lru_cache(maxsize=16)
def _schema_json(version: RouterOSVersion) -> str:
    data = copy.deepcopy(_bundled())
    root = data["root"]["c"]
    dialect: Dialect = for_version(version)
    *parents, leaf = dialect.um_path
    menu = root
    for parent in parents:
        menu = menu[parent]["c"]
    menu[leaf] = _um_v7() if dialect.user_manager_v7 else _um_v6()

    email = root["tool"]["c"]["e-mail"]["c"]
    for command in ("set", "send"):
        args = email[command]["a"]
        # The setting is address= before 7.12; send takes server= (a per-message override) on every version
        # (7.9/7.11.3 command dumps; v6 scripts send server=[:resolve …]).
        if command == "set" and dialect.email_server_wants_ip:
            _rename(args, "server", dialect.email_server_param, {"t": "A.B.C.D (IP address)"})
        # The bundled 7.21.4 database says tls=no|yes|starttls; v6 says start-tls=no|yes|tls-only (E-mail manual).
        _rename(args, "tls", dialect.email_tls_param, {"e": list(dialect.email_tls_choices), "x": 1})
        if not dialect.has_email_certificate_verification:
            args.pop("certificate-verification", None)
    run = root["system"]["c"]["script"]["c"]["run"]["a"]
    if not dialect.has_use_script_permissions:
        run.pop("use-script-permissions", None)
    for name in GLOBAL_COMMAND_GATES:
        if not dialect.has_global_command(name):
            root.pop(name, None)
    data["version"] = f"{data['version']}+rosbill-{version}"
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def schema_for(version: RouterOSVersion) -> str:
    """The command database for ``version`` as routeros-lsp JSON text (cached; treat as read-only)."""
    return _schema_json(version)
