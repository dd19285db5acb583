"""API sentences as data: a command sentence parsed into its parts, and the reply sentences a router sends.

Word shapes (platform.md §5.2, [DOC] S12 Manual:API):

* first word: the command, ``/system/script/print`` (the CLI path with ``/`` for spaces);
* ``=name=value`` attribute words (value may contain ``=``; ``=name`` without a second ``=`` is an empty value, which is
  how routeros-api sends ``''`` [SEEN] S14 ``sentence.py``);
* API attributes start with ``.``: ``.tag=N`` as a bare word, ``.id`` / ``.proplist`` as attributes ``=.id=*1``
  (bare ``.id=…`` / ``.proplist=…`` are accepted too);
* query words start with ``?`` and are kept in order for ``query.py``.

Replies: ``!re`` rows, ``!done`` (optionally ``=ret=``), ``!trap`` (``=category=``, ``=message=``; a ``!done``
follows), ``!empty`` (7.18+), ``!fatal`` whose message is a bare second word (librouteros docs "Api analysis":
``/quit`` → ``!fatal`` ``session terminated on request``). Every reply of a tagged command carries ``.tag=``.

Must not: execute anything or know about routers, values or versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


class RequestError(ValueError):
    """A sentence the server cannot accept as a command (the router answers ``!trap``)."""


@dataclass(frozen=True, slots=True)
class Request:
    command: bytes  # b"/system/script/print"
    attributes: dict[str, bytes] = field(default_factory=dict)  # name → raw value, ".id"/".proplist" included
    queries: tuple[bytes, ...] = ()  # raw query words, "?" stripped, in order
    tag: bytes | None = None

    @property
    def path(self) -> tuple[str, ...]:
        """``("system", "script", "print")``; the last element is the command name."""
        return tuple(part for part in self.command.decode("utf-8", "replace").split("/") if part)


def parse_request(words: list[bytes]) -> Request:
    """Split a non-empty sentence into command, attributes, queries and tag."""
    command, rest = words[0], words[1:]
    attributes: dict[str, bytes] = {}
    queries: list[bytes] = []
    tag: bytes | None = None
    for word in rest:
        if word.startswith(b"="):
            name, _, value = word[1:].partition(b"=")
            if not name:
                raise RequestError("empty attribute name")
            attributes[name.decode("utf-8", "replace")] = value
        elif word.startswith(b"?"):
            queries.append(word[1:])
        elif word.startswith(b".tag="):
            tag = word[5:]
        elif word.startswith((b".id=", b".proplist=")):
            name, _, value = word.partition(b"=")
            attributes[name.decode()] = value
        else:
            # Manual:API knows no other word shape; a router answers with a trap rather than guessing [I].
            raise RequestError(f"unknown word {word[:40]!r}")
    return Request(command, attributes, tuple(queries), tag)


def _tagged(words: list[bytes], tag: bytes | None) -> list[bytes]:
    return [*words, b".tag=" + tag] if tag is not None else words


def reply_re(row: Iterable[tuple[str, bytes]], tag: bytes | None = None) -> list[bytes]:
    return _tagged([b"!re", *(b"=" + name.encode() + b"=" + value for name, value in row)], tag)


def reply_done(tag: bytes | None = None, ret: bytes | None = None) -> list[bytes]:
    return _tagged([b"!done"] if ret is None else [b"!done", b"=ret=" + ret], tag)


def reply_empty(tag: bytes | None = None) -> list[bytes]:
    return _tagged([b"!empty"], tag)


def reply_trap(message: str, tag: bytes | None = None, category: int | None = None) -> list[list[bytes]]:
    """``!trap`` and the ``!done`` that always follows it ([DOC] S12; platform.md §5.2)."""
    words = [b"!trap"]
    if category is not None:
        words.append(b"=category=%d" % category)
    words.append(b"=message=" + message.encode("utf-8", "replace"))
    return [_tagged(words, tag), reply_done(tag)]


def reply_fatal(message: str) -> list[bytes]:
    """``!fatal`` carries its message as a bare word and is never tagged: it ends the connection, not a command."""
    return [b"!fatal", message.encode("utf-8", "replace")]
