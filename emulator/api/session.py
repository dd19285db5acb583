"""One API connection as a state machine: login, then each command sentence → one router call → reply sentences.

The mapping (platform.md §5.2, [DOC] S12 Manual:API):

* ``/system/script/print`` → ``MenuCall(menu=("system", "script"), command="print")``, resolved against
  ``RouterPort.tree`` (an unknown menu traps ``no such command prefix``, an unknown command ``no such command``);
  ``getall`` (API-only) is ``print``;
* ``=name=value`` → ``args[name]``, parsed by the menu's declared type (``MenuNode.types``, see ``convert.py``);
  a word naming one of the command's flags sets the flag; ``.id``/``number``/``numbers`` fill the item selector
  (the command's first positional parameter);
* ``print`` is called with the flag ``as-value`` and the ``?`` queries compiled into ``where``; every row becomes
  ``!re`` (``.proplist`` keeps only the named properties), no row gives ``!empty`` on 7.18+; the ``ret`` of any other
  command (the new id of ``add``, the value of ``get``) comes back as ``!done =ret=``;
* :class:`~emulator.contract.RouterOSError` → ``!trap`` + ``!done``; ``/quit`` → ``!fatal``, connection closes.

Must not: do I/O (``server.py`` owns sockets), compare RouterOS versions (``RouterOSVersion`` gates), log passwords or
attribute values (a value may be a password: only attribute *names* are logged).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from emulator.api.convert import ConversionError, parse_item_ref, to_api, to_router
from emulator.api.faults import FaultState
from emulator.api.limits import LoginGuard
from emulator.api.logsink import ServerLog
from emulator.api.query import QueryError, compile_query
from emulator.api.sentences import (
    Request,
    RequestError,
    parse_request,
    reply_done,
    reply_empty,
    reply_fatal,
    reply_re,
    reply_trap,
)
from emulator.contract import MenuCall, MenuNode, RouterOSError, RouterPort, RunContext
from emulator.values import Array
from emulator.version import RouterOSVersion

_log = logging.getLogger("emulator.api")

#: Real RouterOS words for a failed login ([SEEN] BenMenking/routeros-api #52 wire trace, RouterOS 6.47.6).
LOGIN_FAILED = "invalid user name or password (6)"
#: print presentation switches a client may send; they change nothing in ``as-value`` rows, so they are accepted and
#: dropped when the menu does not declare them.
_PRINT_SWITCHES = frozenset({"detail", "terse", "brief", "without-paging", "as-value", "value-list", "show-ids"})
#: Menus User Manager provides (v6 ``/tool user-manager``, v7 ``/user-manager``; platform.md §1, §2).
_USER_MANAGER_MENUS = (("tool", "user-manager"), ("user-manager",))
_USER_MANAGER_PACKAGES = frozenset({b"user-manager", b"userman"})
#: A user name is logged as given (``%r``, so control bytes are escaped) up to this many characters.
_MAX_LOGGED_NAME = 64


@dataclass(frozen=True, slots=True)
class Credentials:
    """The API login the emulated router accepts; a new RouterOS has ``admin`` with an empty password."""

    user: str = "admin"
    password: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to send back, and whether to close the connection afterwards.

    ``cut`` is a fault: drop the connection abruptly (no reply, no ``!fatal``), as a failed link would.
    """

    replies: list[list[bytes]]
    close: bool = False
    cut: bool = False
    #: Seconds the server waits before sending ``replies`` (failed-login back-off); never slept on the router thread.
    delay: float = 0.0
    login_failed: bool = False
    locked_out: bool = False


class _Trap(Exception):
    def __init__(self, message: str, category: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.category = category


class Session:
    def __init__(
        self,
        router: RouterPort,
        version: RouterOSVersion,
        credentials: Credentials,
        faults: FaultState,
        peer: str = "",
        *,
        guard: LoginGuard | None = None,
        address: str = "",
        log: ServerLog | logging.Logger | None = None,
    ) -> None:
        self.router = router
        self.version = version
        self.credentials = credentials
        self.faults = faults
        self.peer = peer
        self.guard = guard  # failed logins per peer address; None: no back-off (unit tests of the state machine)
        self.address = address or peer
        self.log: ServerLog | logging.Logger = log if log is not None else _log
        self.logged_in = False
        self.user = ""
        self._challenge: bytes | None = None

    def handle(self, words: list[bytes]) -> Outcome:
        if not words:
            return Outcome([])  # Manual:API: empty sentences are ignored
        try:
            request = parse_request(words)
        except RequestError as bad:
            return Outcome(reply_trap(str(bad)))
        command = request.command.decode("utf-8", "replace")
        if command == "/quit":
            return Outcome([reply_fatal("session terminated on request")], close=True)
        if command == "/login":
            return self._login(request)
        if not self.logged_in:
            # Refused but the connection stays open [I]; mock servers in public clients do the same.
            return Outcome(reply_trap("not logged in", request.tag))
        self.log.debug("API %s %s", command, sorted(request.attributes))
        if self.faults.should_cut(command):
            self.log.info("fault: cutting the connection at %s (%s)", command, self.faults.faults.cut_when)
            if self.faults.faults.cut_when == "after":
                self._execute(request)
            return Outcome([], close=True, cut=True)
        return Outcome(self._execute(request))

    # --- login ---------------------------------------------------------------------------------------------------

    def _login(self, request: Request) -> Outcome:
        attrs = request.attributes
        guard = self.guard
        if guard is not None and (left := guard.locked_for(self.address)):
            # Not even a correct password is looked at until the lockout ends (limits.LoginPolicy).
            self.log.info("API login from %s refused: locked out for %.0f s more", self.peer, left)
            message = f"too many failed logins from {self.address}, try again in {math.ceil(left)} s"
            return Outcome([reply_fatal(message)], close=True, locked_out=True)
        if not attrs:
            # Pre-6.43 challenge: hand out a challenge; whether its answer is accepted depends on the version.
            self._challenge = os.urandom(16)
            return Outcome([reply_done(request.tag, self._challenge.hex().encode())])
        name = attrs.get("name", b"").decode("utf-8", "replace")
        if "response" in attrs:
            ok = self.version.api_challenge_login and self._check_response(name, attrs["response"])
        else:
            ok = self._check_password(name, attrs.get("password", b""))
        shown = name if len(name) <= _MAX_LOGGED_NAME else name[:_MAX_LOGGED_NAME] + "…"
        if not ok:
            self.log.warning("API login failed for user %r from %s", shown, self.peer)
            delay = 0.0
            if guard is not None:
                delay = guard.failed(self.address)
                if left := guard.locked_for(self.address):
                    self.log.warning("API logins from %s locked out for %.0f s (too many failures)", self.address, left)
            return Outcome(reply_trap(LOGIN_FAILED, request.tag), delay=delay, login_failed=True)
        if guard is not None:
            guard.succeeded(self.address)
        self.logged_in, self.user = True, name
        self.log.info("API login by %r from %s", shown, self.peer)
        return Outcome([reply_done(request.tag)])

    def _check_password(self, name: str, password: bytes) -> bool:
        expected = self.credentials.password.encode()
        return name == self.credentials.user and hmac.compare_digest(password, expected)

    def _check_response(self, name: str, response: bytes) -> bool:
        """``00`` + hex md5(0x00 + password + challenge) ([DOC] S12 "Initial login", pre-6.43 method)."""
        if self._challenge is None:
            return False
        digest = hashlib.md5(b"\x00" + self.credentials.password.encode() + self._challenge).hexdigest()
        self._challenge = None
        return name == self.credentials.user and hmac.compare_digest(response, b"00" + digest.encode())

    # --- commands ------------------------------------------------------------------------------------------------

    def _execute(self, request: Request) -> list[list[bytes]]:
        tag = request.tag
        try:
            if request.command == b"/cancel":
                # Every command here finishes before the next sentence is read, so there is never a running
                # command to interrupt [I].
                return [reply_done(tag)]
            return self._call(request)
        except _Trap as trap:
            return reply_trap(trap.message, tag, trap.category)
        except RouterOSError as error:
            return reply_trap(str(error), tag, error.category)
        except QueryError as bad:
            return reply_trap(str(bad), tag)
        except Exception as bug:  # the emulator's own bug must not kill the connection; say so plainly
            self.log.exception("emulated router failed on %s", request.command.decode("utf-8", "replace"))
            return reply_trap(f"failure: emulator error: {bug}", tag, 4)

    def _call(self, request: Request) -> list[list[bytes]]:
        path = request.path
        # Root commands such as ``/import`` are one word (``/import =file-name=x``); any other single word is a menu.
        if not path or (len(path) == 1 and path[0] not in self.router.tree.commands):
            raise _Trap("no such command prefix", 0)
        menu, verb = path[:-1], path[-1]
        node = self._menu(menu)
        if verb == "getall":  # API-only alias of print (Manual:API)
            verb = "print"
        spec = node.commands.get(verb)
        if spec is None:
            raise _Trap("no such command", 0)
        args: dict[str, Any] = {}
        flags: set[str] = set()
        selector = next((p for p in spec.positional[:1] if p in ("numbers", "number")), None)
        for name, text in request.attributes.items():
            if name == ".proplist":
                continue
            if name in (".id", "number", "numbers") and selector is not None:
                args[selector] = parse_item_ref(text)
            elif name in spec.flags:
                if text.lower() not in (b"no", b"false"):  # API sends a flag as "=once=" (empty value)
                    flags.add(name)
            elif name in spec.params or name in spec.positional:
                try:
                    args[name] = to_router(text, node.types.get(name))
                except ConversionError as bad:
                    raise _Trap(f"invalid value for argument {name}", 1) from bad
            elif verb == "print" and name in _PRINT_SWITCHES:
                continue
            else:
                raise _Trap(f"unknown parameter {name}", 0)
        if verb == "print":
            return self._print(request, menu, spec.where, args, flags)
        if request.queries:
            raise _Trap("queries are allowed only with print", 5)
        result = self.router.call(MenuCall(menu, verb, args, frozenset(flags)), RunContext(api=True))
        ret = to_api(result) if result is not None else None
        if verb == "get" and ret is not None:
            value_name = to_api(args.get("value-name")) or b""
            ret = self._reported("/".join(menu), value_name.decode("utf-8", "replace"), ret)
        return [reply_done(request.tag, ret)]

    def _menu(self, menu: tuple[str, ...]) -> MenuNode:
        if self.faults.faults.without_user_manager and any(menu[: len(um)] == um for um in _USER_MANAGER_MENUS):
            raise _Trap("no such command prefix", 0)
        node = self.router.tree
        for name in menu:
            child = node.children.get(name)
            if child is None:
                raise _Trap("no such command prefix", 0)
            node = child
        return node

    def _print(
        self, request: Request, menu: tuple[str, ...], takes_where: bool, args: dict[str, Any], flags: set[str]
    ) -> list[list[bytes]]:
        where = compile_query(request.queries)
        # A menu whose print takes no ``where`` (a singleton such as /system/resource) still answers API queries:
        # the rows it returns are filtered here.
        call = MenuCall(menu, "print", args, frozenset(flags | {"as-value"}), where if takes_where else None)
        result = self.router.call(call, RunContext(api=True))
        tag = request.tag
        if isinstance(result, int) and not isinstance(result, bool):  # count-only
            return [reply_done(tag, str(result).encode())]
        rows = list(self._rows(menu, result))
        if where is not None and not takes_where:
            rows = [row for row in rows if where({k.decode("utf-8", "replace"): v for k, v in row.keyed.items()})]
        proplist = _proplist(request.attributes.get(".proplist"))
        menu_name = "/".join(menu)
        replies = [reply_re(self._row_words(menu_name, row, proplist), tag) for row in rows]
        if not replies and self.version.api_empty_reply:
            replies.append(reply_empty(tag))  # 7.18+ (platform.md §0.1, [SEEN] socialwifi PR #103)
        replies.append(reply_done(tag))
        return replies

    def _rows(self, menu: tuple[str, ...], result: Any) -> Iterator[Array]:
        if not isinstance(result, Array):
            return
        rows = [item for item in result.items if isinstance(item, Array)] if result.items else [result]
        for row in rows:
            if not row.keyed:
                continue
            if (
                self.faults.faults.without_user_manager
                and menu == ("system", "package")
                and row.keyed.get(b"name") in _USER_MANAGER_PACKAGES
            ):
                continue
            yield row

    def _row_words(self, menu: str, row: Array, proplist: list[str] | None) -> Iterator[tuple[str, bytes]]:
        """``.id`` first, then the router's property order; nil/nothing values are left out, as absent ones are."""
        keys = sorted(row.keyed, key=lambda key: key != b".id")
        for key in keys:
            name = key.decode("utf-8", "replace")
            if proplist is not None and name not in proplist:
                continue
            text = to_api(row.keyed[key])
            if text is None:
                continue
            yield name, self._reported(menu, name, text)

    def _reported(self, menu: str, prop: str, text: bytes) -> bytes:
        """The value as the faults make the router report it (read-back mismatch, pretended version)."""
        faults = self.faults.faults
        misread = faults.misread_for("/" + menu, prop)
        if misread is not None:
            return misread
        if faults.reported_version and prop == "version":
            bare = faults.reported_version.split()[0]
            if menu == "system/resource":
                return (faults.reported_version if " " in faults.reported_version else f"{bare} (stable)").encode()
            if menu == "system/package":  # every package of a router carries the system's version
                return bare.encode()
        return text


def _proplist(text: bytes | None) -> list[str] | None:
    if text is None:
        return None
    return [name.strip() for name in text.decode("utf-8", "replace").split(",") if name.strip()]
