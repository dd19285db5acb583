"""The command tree each emulated version publishes (the interpreter fails a script at load on a name it lacks)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import routeros_lsp

from emulator.contract import MenuNode
from emulator.router import Router
from emulator.version import RouterOSVersion


def tree(version: str) -> MenuNode:
    return Router(RouterOSVersion.parse(version)).tree


def node(root: MenuNode, path: str) -> MenuNode | None:
    current: MenuNode | None = root
    for part in path.split():
        current = current.children.get(part) if current else None
    return current


def test_v6_has_tool_user_manager_and_no_user_manager() -> None:
    root = tree("6.49.10")
    assert node(root, "tool user-manager user") is not None
    assert node(root, "user-manager") is None
    user = node(root, "tool user-manager user")
    assert user is not None
    assert {"reset-counters", "create-and-activate-profile"} <= set(user.commands)
    assert "username" in user.commands["add"].params and "name" not in user.commands["add"].params


def test_v7_has_user_manager_and_no_tool_user_manager() -> None:
    root = tree("7.16.2")
    assert node(root, "tool user-manager") is None
    user = node(root, "user-manager user")
    assert user is not None
    assert "monitor" in user.commands and "reset-counters" not in user.commands
    assert "email" not in user.commands["add"].params
    assert "set" in root.children["user-manager"].commands  # /user-manager set enabled=yes


@pytest.mark.parametrize(
    ("version", "server", "tls", "absent"),
    [
        ("6.49.10", "address", "start-tls", {"server", "tls", "vrf"}),
        ("7.11.3", "address", "tls", {"server", "start-tls"}),
        ("7.12.2", "server", "tls", {"address", "start-tls", "certificate-verification"}),
        ("7.21", "server", "tls", {"address", "start-tls"}),
    ],
)
def test_e_mail_settings_per_version(version: str, server: str, tls: str, absent: set[str]) -> None:
    email = node(tree(version), "tool e-mail")
    assert email is not None
    settable = email.commands["set"].params
    assert {server, tls, "port", "user", "password", "from"} <= settable
    assert not absent & settable
    send = email.commands["send"].params
    assert {"to", "cc", "subject", "body", "file", "from", "server", tls} <= send


def test_certificate_verification_from_7_21() -> None:
    assert "certificate-verification" in node(tree("7.21"), "tool e-mail").commands["send"].params  # type: ignore[union-attr]
    assert "certificate-verification" not in node(tree("7.20.8"), "tool e-mail").commands["set"].params  # type: ignore[union-attr]


@pytest.mark.parametrize(("version", "has"), [("7.14.3", False), ("7.15", True)])
def test_use_script_permissions_from_7_15(version: str, has: bool) -> None:
    run = node(tree(version), "system script").commands["run"]  # type: ignore[union-attr]
    assert ("use-script-permissions" in run.flags) is has


@pytest.mark.parametrize(("version", "has"), [("7.15.3", False), ("7.16", True)])
def test_import_dry_run_from_7_16(version: str, has: bool) -> None:
    assert ("dry-run" in tree(version).commands["import"].flags) is has


@pytest.mark.parametrize(("version", "has"), [("7.18.2", False), ("7.19", True)])
def test_monitor_proplist_from_7_19(version: str, has: bool) -> None:
    assert ("proplist" in node(tree(version), "user-manager user").commands["monitor"].params) is has  # type: ignore[union-attr]


@pytest.mark.parametrize(("version", "has"), [("7.21", False), ("7.24", True)])
def test_scheduler_days_from_7_24(version: str, has: bool) -> None:
    assert ("days" in node(tree(version), "system scheduler").commands["add"].params) is has  # type: ignore[union-attr]


def test_find_and_print_take_where_and_get_maps_its_unnamed_arguments() -> None:
    script = node(tree("7.16.2"), "system script")
    assert script is not None
    assert script.commands["find"].where and script.commands["print"].where
    assert script.commands["get"].positional == ("number", "value-name")
    assert script.commands["remove"].positional == ("numbers",)
    assert script.commands["add"].policy == frozenset({"write"})


def test_the_tree_publishes_typed_properties_for_the_api() -> None:
    scheduler = node(tree("7.16.2"), "system scheduler")
    assert scheduler is not None
    assert scheduler.types["interval"] == "time" and scheduler.types["disabled"] == "bool"
    assert "start-time" not in scheduler.types  # may be the word "startup"


def test_a_router_without_the_user_manager_package_has_no_user_manager_menus() -> None:
    router = Router(RouterOSVersion.parse("7.16.2"), user_manager=False)
    assert "user-manager" not in router.tree.children
    assert [r["name"] for r in router.rows("/system package")] == [b"routeros"]


def _real_tree() -> dict:
    data = Path(routeros_lsp.__file__).parent / "data" / "routeros-7.21.4.json.gz"
    return json.loads(gzip.open(data).read())["root"]


def _walk(ours: MenuNode, real: dict, path: str, problems: list[str]) -> None:
    children = real.get("c", {})
    print_args = children.get("print", {}).get("a", {})
    properties = set(print_args.get("proplist", {}).get("e", []))  # the menu's property names, where published
    for name, command in ours.commands.items():
        spec = children.get(name)
        if spec is None:
            problems.append(f"{path} {name}: no such command on 7.21.4")
            continue
        known = set(spec.get("a", []))
        if name == "find":  # find filters by property (`find name=x`)
            known |= properties or set(command.params)
        extra = (command.params | command.flags) - known
        if extra:
            problems.append(f"{path} {name}: {sorted(extra)} not arguments on 7.21.4")
    for name, child in ours.children.items():
        if name not in children:
            problems.append(f"{path} {name}: no such menu on 7.21.4")
            continue
        _walk(child, children[name], f"{path} {name}", problems)


def test_every_base_menu_command_and_argument_exists_on_a_real_7_21_4() -> None:
    """[DOC] S4: the routeros-lsp dump of 7.21.4 (base package; User Manager is an extra package, not in it)."""
    ours = tree("7.21.4")
    ours.children.pop("user-manager")
    problems: list[str] = []
    _walk(ours, _real_tree(), "", problems)
    assert problems == []
