"""API query words → a ``where`` predicate over an item's properties.

Manual:API query semantics ([DOC] S12, platform.md §5.2), a stack machine run once per item:

* ``?name`` pushes whether the item has a value for ``name``; ``?-name`` whether it has none;
* ``?name=x`` (also ``?=name=x``) pushes ``value == x``; ``?<name=x`` / ``?>name=x`` push ``value < x`` / ``value > x``;
* ``?#ops`` runs operations left to right: ``!`` negates the top, ``&`` / ``|`` pop two and push their and / or,
  ``.`` pushes a copy of the top; digits are a stack index (top is 0): followed by another character they push a copy
  of that value (``.`` after an index does nothing more), at the end of the word they replace the whole stack by it;
* at the end all remaining values are and-ed; an empty stack selects every item.

Values compare by the row value's type (``convert.query_equal``), so ``?disabled=yes`` finds ``disabled=true``.

Must not: know menus or routers; evaluate anything but these words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from emulator.api.convert import has_value, query_compare, query_equal

Props = Mapping[str, Any]
Predicate = Callable[[Props], bool]
_Op = Callable[[list[bool], Props], None]


class QueryError(ValueError):
    """A query word the router cannot evaluate (bad stack operation, empty name)."""


def compile_query(words: Sequence[bytes]) -> Predicate | None:
    """A predicate for the query words of one command (``?`` already stripped), or None when there are none."""
    if not words:
        return None
    ops: list[_Op] = []
    depth = 0
    for word in words:
        if word.startswith(b"#"):
            stack_ops, depth = _stack_ops(word[1:], depth)
            ops.extend(stack_ops)
        else:
            ops.append(_test(word))
            depth += 1

    def predicate(props: Props) -> bool:
        stack: list[bool] = []
        for op in ops:
            op(stack, props)
        return all(stack)

    return predicate


def _test(word: bytes) -> _Op:
    if word.startswith(b"-"):
        name = _name(word[1:])
        return lambda stack, props: stack.append(not has_value(props.get(name)))
    if word.startswith((b"<", b">")):
        name_bytes, sep, text = word[1:].partition(b"=")
        if not sep:
            raise QueryError(f"query ?{word.decode('utf-8', 'replace')} needs a value")
        name = _name(name_bytes)
        want = -1 if word.startswith(b"<") else 1

        def compare(stack: list[bool], props: Props) -> None:
            value = props.get(name)
            stack.append(has_value(value) and query_compare(value, text) == want)

        return compare
    if word.startswith(b"="):
        word = word[1:]
    name_bytes, sep, text = word.partition(b"=")
    name = _name(name_bytes)
    if not sep:
        return lambda stack, props: stack.append(has_value(props.get(name)))

    def equal(stack: list[bool], props: Props) -> None:
        value = props.get(name)
        stack.append(has_value(value) and query_equal(value, text))

    return equal


def _name(raw: bytes) -> str:
    if not raw:
        raise QueryError("query word without a property name")
    return raw.decode("utf-8", "replace")


def _stack_ops(ops: bytes, depth: int) -> tuple[list[_Op], int]:
    """Compile ``?#`` operations, checking stack depth now so a bad query traps before any item is read."""
    compiled: list[_Op] = []
    i = 0
    while i < len(ops):
        char = ops[i : i + 1]
        if char.isdigit():
            j = i
            while j < len(ops) and ops[j : j + 1].isdigit():
                j += 1
            index = int(ops[i:j])
            if index >= depth:
                raise QueryError(f"stack index {index} out of range in ?#{ops.decode('utf-8', 'replace')}")
            if j == len(ops):
                compiled.append(_replace_all(index))
                depth = 1
            else:
                compiled.append(_copy(index))
                depth += 1
                if ops[j : j + 1] == b".":
                    j += 1  # "." right after an index is only a terminator
            i = j
            continue
        if char == b"!":
            _need(depth, 1, ops)
            compiled.append(_negate)
        elif char in (b"&", b"|"):
            _need(depth, 2, ops)
            compiled.append(_and if char == b"&" else _or)
            depth -= 1
        elif char == b".":
            _need(depth, 1, ops)
            compiled.append(_copy(0))
            depth += 1
        else:
            raise QueryError(f"unknown query operation {char.decode('utf-8', 'replace')!r}")
        i += 1
    return compiled, depth


def _need(depth: int, count: int, ops: bytes) -> None:
    if depth < count:
        raise QueryError(f"not enough values on the query stack for ?#{ops.decode('utf-8', 'replace')}")


def _copy(index: int) -> _Op:
    return lambda stack, props: stack.append(stack[-1 - index])


def _replace_all(index: int) -> _Op:
    def replace(stack: list[bool], props: Props) -> None:
        kept = stack[-1 - index]
        stack[:] = [kept]

    return replace


def _negate(stack: list[bool], props: Props) -> None:
    stack[-1] = not stack[-1]


def _and(stack: list[bool], props: Props) -> None:
    right = stack.pop()
    stack[-1] = stack[-1] and right


def _or(stack: list[bool], props: Props) -> None:
    right = stack.pop()
    stack[-1] = stack[-1] or right
