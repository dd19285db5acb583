"""Preflight against a scripted fake target: what real routers have and the emulated one does not (device-mode, user
groups), and the version gates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from generator.deploy.preflight import PreflightRefused, check, gate_differences, parse_version
from generator.deploy.transport import Refused, Row, Target
from generator.dialects import RouterOSVersion

V716 = RouterOSVersion.parse("7.16")


class FakeTarget(Target):
    """Answers ``print`` from a table of menus; a menu that is absent traps ``no such command prefix``."""

    def __init__(self, menus: dict[str, list[Row]]) -> None:
        super().__init__("fake")
        self.menus = menus

    def print(
        self, menu: str, proplist: Sequence[str] | None = None, query: Mapping[str, bytes] | None = None
    ) -> list[Row]:
        self.commands.append(menu + "/print")
        if menu not in self.menus:
            raise Refused(self.label, menu + "/print", "no such command prefix")
        rows = self.menus[menu]
        return [r for r in rows if all(r.get(k) == v for k, v in (query or {}).items())]

    def command(self, menu: str, command: str, args: Mapping[str, bytes]) -> Row:
        raise AssertionError("preflight must not write")


def router(version: bytes = b"7.16.2 (stable)", **menus: list[Row]) -> FakeTarget:
    base: dict[str, list[Row]] = {
        "/system/resource": [{"version": version}],
        "/system/package": [
            {"name": b"routeros", "disabled": b"false"},
            {"name": b"user-manager", "disabled": b"false"},
        ],
        "/user-manager": [{"enabled": b"true"}],
    }
    base.update(menus)
    return FakeTarget(base)


def test_a_router_that_has_everything_passes_and_only_reads() -> None:
    target = router(
        **{
            "/system/device-mode": [{"mode": b"advanced", "scheduler": b"yes", "email": b"yes"}],
            "/user": [{"name": b"rosbill", "group": b"deploy"}],
            "/user/group": [{"name": b"deploy", "policy": b"read,write,test,api,!ftp,sensitive"}],
        }
    )
    facts = check(target, V716, "rosbill")
    assert str(facts.version) == "7.16.2" and target.writes == 0


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ({"mode": b"home"}, "device-mode does not allow scheduler"),
        ({"mode": b"advanced", "scheduler": b"no"}, "device-mode does not allow scheduler"),
        ({"mode": b"advanced", "email": b"no"}, "device-mode does not allow email"),
        ({"mode": b"advanced", "flagged": b"yes"}, "flagged"),
    ],
)
def test_device_mode_that_locks_the_scheduler_or_e_mail_is_refused(mode: Row, message: str) -> None:
    with pytest.raises(PreflightRefused, match=message):
        check(router(**{"/system/device-mode": [mode]}), V716, "rosbill")


def test_a_deploy_user_whose_group_lacks_a_policy_is_refused() -> None:
    target = router(**{"/user": [{"name": b"rosbill", "group": b"read"}],
                       "/user/group": [{"name": b"read", "policy": b"local,read,test,api,!write"}]})  # fmt: skip
    with pytest.raises(PreflightRefused, match="lacks the policy write"):
        check(target, V716, "rosbill")


def test_a_disabled_user_manager_package_is_refused() -> None:
    target = router()
    target.menus["/system/package"][1]["disabled"] = b"true"
    with pytest.raises(PreflightRefused, match="package is disabled"):
        check(target, V716, "rosbill")


def test_v6_needs_the_package_but_has_no_user_manager_settings_menu() -> None:
    target = router(b"6.49.10 (long-term)")
    del target.menus["/user-manager"]
    assert str(check(target, RouterOSVersion.parse("6.49.10"), "rosbill").version) == "6.49.10"


@pytest.mark.parametrize(
    ("text", "version"), [("7.16.2 (stable)", "7.16.2"), ("6.49.10 (long-term)", "6.49.10"), ("7.17beta2", "7.17")]
)
def test_router_version_texts_are_read(text: str, version: str) -> None:
    assert str(parse_version(text)) == version


def test_versions_rosbill_does_not_support_are_refused() -> None:
    with pytest.raises(PreflightRefused, match=r"older than 6\.43"):
        parse_version("6.40.1 (bugfix)")
    with pytest.raises(PreflightRefused, match="cannot read"):
        parse_version("")


def test_gates_are_compared_not_version_numbers() -> None:
    assert gate_differences(V716, RouterOSVersion.parse("7.16.2")) == []
    assert gate_differences(V716, RouterOSVersion.parse("7.17")) == []  # no gate between 7.16 and 7.17
    assert gate_differences(V716, RouterOSVersion.parse("7.18")) == []  # api_empty_reply is about the wire only
    assert any(d.startswith("has_monitor_proplist") for d in gate_differences(V716, RouterOSVersion.parse("7.19")))
    assert any(d.startswith("user_manager_v7") for d in gate_differences(RouterOSVersion.parse("6.49"), V716))
