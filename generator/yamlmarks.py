"""Reads YAML into plain Python data while remembering where every key and value stands in the file.

PyYAML's YAML 1.1 resolver turns ``23:50`` into the number 1430, ``no`` into False and ``7.10`` into 7.1, each a
silent corruption of an operator's billing file. This reader resolves plain scalars conservatively instead:
``true``/``false`` are booleans, ``null``/``~``/empty are None, ``-?\\d+`` is an int, ``-?\\d+\\.\\d+`` is a
:class:`~decimal.Decimal` (prices stay exact, versions keep their trailing zero), and everything else, including
``yes``, ``no``, ``23:50`` and ``2026-11-30``, stays the text that was written. Quoted scalars are always text.
Duplicate keys, anchors/aliases and tags are refused (a billing file has no use for them and they hide mistakes).

Must not: validate meaning (that is ``config.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from generator.errors import ConfigProblem, Location

Path_ = tuple[str | int, ...]

_INT = re.compile(r"[-+]?\d+")
_DECIMAL = re.compile(r"[-+]?\d+\.\d+")


@dataclass(slots=True)
class Marks:
    """Where each key path sits: the key itself (for "unknown key") and its value (for "bad value")."""

    path: str
    keys: dict[Path_, Location] = field(default_factory=dict)
    values: dict[Path_, Location] = field(default_factory=dict)
    #: The value node's span as offsets into the file text, for pointing inside long strings.
    spans: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    text: str = ""

    def key(self, path: Path_) -> Location:
        """The best location for a complaint about ``path``: its key, else its value, else its nearest parent."""
        for i in range(len(path), -1, -1):
            sub = path[:i]
            if sub in self.keys:
                return self.keys[sub]
            if sub in self.values:
                return self.values[sub]
        return Location(self.path, 1, 1)

    def value(self, path: Path_) -> Location:
        for i in range(len(path), -1, -1):
            sub = path[:i]
            if sub in self.values:
                return self.values[sub]
        return self.key(path)

    def find_in_value(self, path: Path_, needle: str) -> Location:
        """The location of ``needle`` inside the text of the value at ``path`` (e.g. a bad ``{placeholder}``)."""
        span = self.spans.get(path)
        if span is not None:
            at = self.text.find(needle, span[0], span[1] + 1)
            if at >= 0:
                line = self.text.count("\n", 0, at) + 1
                column = at - (self.text.rfind("\n", 0, at) + 1) + 1
                return Location(self.path, line, column)
        return self.value(path)


class YamlError(Exception):
    def __init__(self, problem: ConfigProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _loc(path: str, mark: yaml.Mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def read(text: str, path: str) -> tuple[Any, Marks]:
    """Parses ``text`` (the content of ``path``) into dicts, lists and scalars, plus their :class:`Marks`."""
    marks = Marks(path, text=text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = _loc(path, mark) if mark else Location(path, 1, 1)
        raise YamlError(ConfigProblem(location, "", f"not valid YAML: {error.problem or error}")) from None
    if root is None:
        return {}, marks
    marks.values[()] = _loc(path, root.start_mark)
    return _build(root, (), marks), marks


def _build(node: yaml.Node, at: Path_, marks: Marks) -> Any:
    marks.values[at] = _loc(marks.path, node.start_mark)
    marks.spans[at] = (node.start_mark.index, node.end_mark.index)
    if getattr(node, "anchor", None):
        raise YamlError(ConfigProblem(marks.values[at], _dotted(at), "anchors and aliases are not supported here"))
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(
                    ConfigProblem(_loc(marks.path, key_node.start_mark), _dotted(at), "keys must be plain text")
                )
            key = key_node.value
            child = (*at, key)
            if key in out:
                first = marks.keys[child]
                raise YamlError(
                    ConfigProblem(
                        _loc(marks.path, key_node.start_mark),
                        _dotted(child),
                        f"this key is given twice (first at line {first.line}); YAML would silently keep only the last",
                    )
                )
            marks.keys[child] = _loc(marks.path, key_node.start_mark)
            out[key] = _build(value_node, child, marks)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*at, i), marks) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    if not node.tag.startswith("tag:yaml.org,2002:") or node.tag == "tag:yaml.org,2002:binary":
        raise YamlError(ConfigProblem(marks.values[at], _dotted(at), f"YAML tags ({node.tag}) are not supported here"))
    if node.style is not None and node.style != "":  # quoted or block scalar: always text
        return node.value
    return resolve_plain(node.value)


def resolve_plain(raw: str) -> Any:
    if raw in ("", "~", "null", "Null", "NULL"):
        return None
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    if _INT.fullmatch(raw):
        return int(raw)
    if _DECIMAL.fullmatch(raw):
        return Decimal(raw)
    return raw


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted
