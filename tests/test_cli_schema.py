"""``rosbill schema``: the JSON Schema of the config is generated from the models, the checked-in copy is current,
the shipped and test configs are valid against it, it refuses what the models refuse, and config/billing.yaml points
editors at it."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cli, schema
from generator.config import loads
from generator.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = [ROOT / "config" / "billing.yaml", ROOT / "tests" / "data" / "v6.yaml", ROOT / "tests" / "data" / "v7_9.yaml"]


def check(value: Any, node: dict[str, Any], root: dict[str, Any], at: str = "") -> list[str]:
    """The draft 2020-12 keywords the generated schema uses, checked (a small validator: no jsonschema dependency)."""
    if "$ref" in node:
        node = {**root["$defs"][node["$ref"].rsplit("/", 1)[1]], **{k: v for k, v in node.items() if k != "$ref"}}
    problems: list[str] = []
    if "anyOf" in node and all(check(value, option, root, at) for option in node["anyOf"]):
        problems.append(f"{at}: matches none of anyOf")
    if "oneOf" in node and sum(not check(value, option, root, at) for option in node["oneOf"]) != 1:
        problems.append(f"{at}: does not match exactly one of oneOf")
    kinds = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    wanted = node.get("type")
    if wanted is not None:
        ok = isinstance(value, kinds[wanted]) and not (wanted in ("integer", "number") and isinstance(value, bool))
        if not ok:
            return [*problems, f"{at}: not {wanted}"]
    if "enum" in node and value not in node["enum"]:
        problems.append(f"{at}: {value!r} not in {node['enum']}")
    if isinstance(value, str):
        if "pattern" in node and not re.search(node["pattern"], value):
            problems.append(f"{at}: {value!r} does not match {node['pattern']}")
        if len(value) < node.get("minLength", 0) or len(value) > node.get("maxLength", 10**9):
            problems.append(f"{at}: length of {value!r}")
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and (value < node.get("minimum", -(10**18)) or value > node.get("maximum", 10**18)):
        problems.append(f"{at}: {value} out of range")
    if isinstance(value, dict):
        props = node.get("properties", {})
        for key in node.get("required", []):
            if key not in value:
                problems.append(f"{at}: {key} is required")
        for key, item in value.items():
            if key in props:
                problems += check(item, props[key], root, f"{at}.{key}")
            elif node.get("additionalProperties") is False:
                problems.append(f"{at}: unknown key {key}")
            elif isinstance(node.get("additionalProperties"), dict):
                problems += check(item, node["additionalProperties"], root, f"{at}.{key}")
        if len(value) < node.get("minProperties", 0):
            problems.append(f"{at}: too few keys")
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            problems.append(f"{at}: too few items")
        for index, item in enumerate(value):
            problems += check(item, node.get("items", {}), root, f"{at}[{index}]")
    return problems


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_checked_in_schema_is_current():
    checked_in = (ROOT / schema.CHECKED_IN).read_text(encoding="utf-8")
    assert checked_in == schema.text(), "the config models changed: run `make schema` and commit the result"


def test_rosbill_schema_prints_it_and_writes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert cli.main(["schema"]) == 0
    assert capsys.readouterr().out == schema.text()
    target = tmp_path / "s.json"
    assert cli.main(["schema", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == schema.text()
    assert cli.main(["schema", "--output", str(tmp_path)]) == 2  # a folder is not replaced
    assert "not a regular file" in capsys.readouterr().err


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_the_shipped_and_test_configs_are_valid(path: Path):
    document = schema.schema()
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert check(load(path), document, document) == []


def test_the_schema_refuses_what_the_models_refuse():
    document = schema.schema()
    good = load(CONFIGS[0])
    broken = {
        "unknown top key": lambda d: d.update(bogus=1),
        "unknown router key": lambda d: d["routers"][0].update(pasword="x"),
        "version 6.40": lambda d: d["routers"][0].update(version="6.40"),
        "version 8.0": lambda d: d["routers"][0].update(version="8.0"),
        "cap 50 gigs": lambda d: next(iter(d["packages"].values())).update(cap="50 gigs"),
        "time 25:00": lambda d: d.setdefault("schedule", {}).update(time="25:00"),
        "port 0": lambda d: d["routers"][0].update(port=0),
        "router and routers": lambda d: d.update(router=d["routers"][0]),
        "no routers": lambda d: d.pop("routers"),
        "tls as text": lambda d: d.setdefault("smtp", {"server": "m.example.net"}).update(tls="maybe"),
    }
    for what, change in broken.items():
        data = copy.deepcopy(good)
        change(data)
        assert check(data, document, document), f"the schema takes {what}"
        with pytest.raises(ConfigError):  # and so does rosbill itself (the schema is never looser by these)
            loads(yaml.safe_dump(data))
    single = copy.deepcopy(good)
    single["router"] = single.pop("routers")[0]
    assert check(single, document, document) == []


def test_the_patterns_agree_with_the_models_on_examples():
    text = (CONFIGS[0]).read_text(encoding="utf-8")
    for version, ok in (
        ("6.43", True),
        ("6.49.10", True),
        ("7.9", True),
        ("7.16.2", True),
        ("6.42", False),
        ("7", False),
        ("v7.16", False),
        ("7.16.2.1", False),
    ):
        assert bool(re.search(schema.VERSION_PATTERN, version)) is ok, version
        changed = text.replace('version: "7.16"', f'version: "{version}"', 1)
        if ok:
            loads(changed)
        else:
            with pytest.raises(ConfigError):
                loads(changed)
    for cap, ok in (
        ("3000MB", True),
        ("1.5TB", True),
        ("500 MiB", True),
        ("unlimited", True),
        ("50 gigs", False),
        ("10", False),
    ):
        assert bool(re.search(schema.CAP_PATTERN, cap)) is ok, cap


def test_config_billing_yaml_points_editors_at_the_schema():
    first = (ROOT / "config" / "billing.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/billing.schema.json"
    assert (ROOT / "config" / first.split("=", 1)[1]).resolve() == (ROOT / schema.CHECKED_IN).resolve()
    json.loads((ROOT / schema.CHECKED_IN).read_text(encoding="utf-8"))
