"""The module_utils' router entry without Ansible: host variables over the config's entry, a router the config does
not list, the option named in every refusal, and the build digest that says what the build came from."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # ansible_collections/ as a namespace package, as Ansible imports it
from ansible_collections.rosbill.routeros.plugins.module_utils import rosbill as utils  # noqa: E402
from generator import build as build_stage  # noqa: E402


def params(**given: object) -> dict[str, object]:
    return {option: None for option in utils.CONNECTION_ARGS} | {"router": "core1"} | given


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    data = yaml.safe_load((ROOT / "config" / "billing.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "billing.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_host_variables_win_over_the_config_entry(config_path: Path) -> None:
    _, digest = build_stage.load(config_path)
    given = params(config=str(config_path), hostname="10.0.0.1", port=18729, fingerprint="AB:" * 31 + "AB")
    built_config, built_digest, router = utils.load_config(given)
    assert (router.host, router.port, router.tls, router.user) == ("10.0.0.1", 18729, True, "rosbill")
    assert str(router.version) == "7.16" and built_digest == digest  # same version: the file's own build
    assert built_config.routers == (router,)
    _, other_digest, older = utils.load_config(given | {"routeros_version": "7.9"})
    assert str(older.version) == "7.9" and other_digest != digest  # the build is not the file's alone


def test_a_router_the_config_does_not_list(config_path: Path) -> None:
    with pytest.raises(utils.ModuleProblem, match=r"not in .* routers:, so give hostname and routeros_version"):
        utils.load_config(params(config=str(config_path), router="edge9"))
    # config/billing.yaml's invoice format has no {router}: a second router would repeat its invoice numbers
    given = params(config=str(config_path), router="edge9", hostname="192.0.2.9", routeros_version="6.49.10")
    with pytest.raises(utils.ModuleProblem, match=r"billing.invoice.format: .*router edge9 is not in the config"):
        utils.load_config(given)
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    data["billing"]["invoice"]["format"] = "{router}-{number}"
    config_path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    config, _, router = utils.load_config(given)
    assert [r.name for r in config.routers] == ["core1", "edge9"] and str(router.version) == "6.49.10"


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("routeros_version", "8.1", "routeros_version: "),
        ("port", 70000, "port: "),
        ("fingerprint", "not-a-fingerprint", "fingerprint: "),
        ("router", "bad name!", "router: "),
    ],
)
def test_a_wrong_option_is_named(config_path: Path, option: str, value: object, says: str) -> None:
    given = params(config=str(config_path), hostname="192.0.2.9", routeros_version="7.16") | {option: value}
    if option == "router":
        given["routeros_version"] = "7.16"
    with pytest.raises(utils.ModuleProblem, match=says) as refused:
        utils.load_config(given)
    assert "Value error" not in str(refused.value)


def test_password_from_the_option_or_the_environment(config_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, router = utils.load_config(params(config=str(config_path)))
    for name in ("ROSBILL_PASSWORD", "ROSBILL_PASSWORD_CORE1"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(utils.ModuleProblem, match="set ROSBILL_PASSWORD_CORE1 or ROSBILL_PASSWORD"):
        utils.password(params(), router)
    monkeypatch.setenv("ROSBILL_PASSWORD", "general")
    monkeypatch.setenv("ROSBILL_PASSWORD_CORE1", "own")
    assert utils.password(params(), router).reveal() == "own"
    assert utils.password(params(password="given"), router).reveal() == "given"
    assert str(utils.password(params(password="given"), router)) == "***"
