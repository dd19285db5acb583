"""Reads YAML into plain Python data while remembering where every key and value stands in the file.

PyYAML's YAML 1.1 resolver turns ``23:50`` into the number 1430, ``no`` into False and ``7.10`` into 7.1, each a
silent corruption of an operator's billing file. This reader resolves plain scalars conservatively instead:
``true``/``false`` are booleans, ``null``/``~``/empty are None, ``-?\\d+`` is an int, ``-?\\d+\\.\\d+`` is a
:class:`~decimal.Decimal` (prices stay exact, versions keep their trailing zero), and everything else, including
``yes``, ``no``, ``23:50`` and ``2026-11-30``, stays the text that was written. Quoted scalars are always text.
Duplicate keys, anchors/aliases, merge keys and tags are refused (a billing file has no use for them and they hide
mistakes; aliases also let a 700-byte file expand to gigabytes). Before PyYAML builds anything, the text is checked
for control characters and bidirectional-text controls (which could make a reviewed file read differently from what
it says) and the event stream for anchors, aliases, tags and nesting deeper than :data:`MAX_DEPTH`. Integers longer
than :data:`MAX_DIGITS` digits are a located error instead of Python's own limit.

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
#: Nesting deeper than this is refused (the billing file nests four levels; PyYAML recurses once per level).
MAX_DEPTH = 32
#: Longer numbers are refused (int64 has 19 digits; Python refuses to parse more than 4,300).
MAX_DIGITS = 30
#: C0 controls but TAB, LF and CR; DEL; C1 controls; bidirectional embeddings, overrides and isolates; BOM inside.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


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


def shown(value: object) -> str:
    """A value as a message shows it: in double quotes, on one line, every control, bidirectional or other unprintable
    character escaped (``\\n``, ``\\u202e``), so a message can neither break its line nor read backwards."""
    text = str(value)
    out = []
    for char in text:
        if char == '"' or char == "\\":
            out.append("\\" + char)
        elif char.isprintable() and not _FORBIDDEN.match(char):
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return '"' + "".join(out) + '"'


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _screen(text: str, path: str) -> None:
    """Refuses what PyYAML should never see: forbidden characters, anchors, aliases, tags, deep nesting."""
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        line, column = _position(text, bad.start())
        raise YamlError(
            ConfigProblem(
                Location(path, line, column),
                "",
                f"the character {shown(bad.group())} is not allowed in the file (control and bidirectional-text "
                "characters can hide what the file says); remove it",
            )
        )
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            mark = event.start_mark
            where = _loc(path, mark) if isinstance(mark, yaml.Mark) else Location(path, 1, 1)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlError(ConfigProblem(where, "", "anchors and aliases (& and *) are not supported here"))
            tag = getattr(event, "tag", None)
            implicit = getattr(event, "implicit", True)
            if tag is not None and (implicit is False or implicit == (False, False)):
                raise YamlError(ConfigProblem(where, "", f"YAML tags ({tag}) are not supported here"))
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(ConfigProblem(where, "", f"nesting deeper than {MAX_DEPTH} levels"))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        raise YamlError(_syntax(error, path)) from None
    except yaml.YAMLError as error:  # reader errors (bytes PyYAML cannot take) carry no mark
        raise YamlError(ConfigProblem(Location(path, 1, 1), "", f"not valid YAML: {shown(error)}")) from None


def _syntax(error: yaml.MarkedYAMLError, path: str) -> ConfigProblem:
    mark = error.problem_mark or error.context_mark
    location = _loc(path, mark) if mark else Location(path, 1, 1)
    return ConfigProblem(location, "", f"not valid YAML: {error.problem or error}")


def read(text: str, path: str) -> tuple[Any, Marks]:
    """Parses ``text`` (the content of ``path``) into dicts, lists and scalars, plus their :class:`Marks`."""
    marks = Marks(path, text=text)
    _screen(text, path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise YamlError(_syntax(error, path)) from None
    except yaml.YAMLError as error:
        raise YamlError(ConfigProblem(Location(path, 1, 1), "", f"not valid YAML: {shown(error)}")) from None
    if root is None:
        return {}, marks
    marks.values[()] = _loc(path, root.start_mark)
    return _build(root, (), marks), marks


def _build(node: yaml.Node, at: Path_, marks: Marks) -> Any:
    marks.values[at] = _loc(marks.path, node.start_mark)
    marks.spans[at] = (node.start_mark.index, node.end_mark.index)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(
                    ConfigProblem(_loc(marks.path, key_node.start_mark), _dotted(at), "keys must be plain text")
                )
            key = key_node.value
            if key == "<<" and key_node.style in (None, ""):
                where = _loc(marks.path, key_node.start_mark)
                raise YamlError(ConfigProblem(where, _dotted(at), "merge keys (<<) are not supported"))
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
    raw = node.value
    if _INT.fullmatch(raw) and len(raw.lstrip("+-")) > MAX_DIGITS:
        raise YamlError(ConfigProblem(marks.values[at], _dotted(at), f"a number of {len(raw)} digits is out of range"))
    return resolve_plain(raw)


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
