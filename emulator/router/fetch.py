"""``/tool fetch``: HTTP(S) requests as scripts send them, made for real, but only to loopback addresses.

What is modelled, with its source (docs/notify.md has the whole research):

* Parameters: ``url``, ``http-method`` (get post put delete; patch head from v7), ``http-data``,
  ``http-header-field`` (``Name: value,Name: value``), ``output`` (none file user; user-with-headers from v7),
  ``as-value``, ``check-certificate`` (no yes yes-without-crl), ``keep-result`` ([DOC] help.mikrotik.com Fetch;
  v6 manual page Manual:Tools/Fetch, help.mikrotik.com/docs/x/qQBuDQ). ``duration`` and ``idle-timeout`` exist where
  ``version.has_fetch_duration`` says (the v7 manual and the 7.21.4 command dump list them; the v6 page does not).
* ``output=user as-value`` returns ``{status=finished; data=<body>; downloaded=<KiB>; total=<KiB>; duration=<time>}``
  ([DOC] Fetch, "output"; routeros-scripting.md §4: "a map with data and status"). ``data`` is cut at 64 kB
  ([SEEN] routeros-scripting.md §11, SUP-132297).
* An HTTP status outside 2xx: ``Behaviour.fetch_http_error`` ``raises`` (default: the command fails with
  ``Fetch failed with status <code>``, routeros-scripting.md §4 [SEEN]) or ``returns`` (the map with
  ``status=failed``; [INF] the alternative). A refused connection or a timeout always fails the command
  (``Fetch failed: connection refused`` / ``timeout``; wording [INF]).
* Time: the request's real wall time is added to the router's clock (at least ``MIN_S``); it
  stops after ``duration`` (when given) or ``idle-timeout`` (10 s default, [DOC] 7.21.4 dump "seconds, default 10")
  without an answer; without either (v6) after ``V6_TIMEOUT_S`` ([INF]: nothing documents v6's limit).

Never kinder than RouterOS: a host that is not a loopback address is refused (:class:`EmulatorRefusal`: there is no
network in the emulator) unless a driver attached a :attr:`FetchService.receiver` (``rosbill simulate``), which then
answers every request in place of the network; HTTPS to loopback is refused (certificates are not modelled), as are
``mode=``/``upload``/FTP, ``dst-path`` and ``output=file`` (files from fetch are not modelled).

Must not: compare RouterOS versions (``emulator/version.py`` does), or reach beyond 127.0.0.0/8 and ::1.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from emulator.contract import CommandSpec, EmulatorRefusal, MenuCall, RouterOSError, RunContext, Value
from emulator.router.menu import Menu
from emulator.values import NOTHING, Array, Time, tostr

if TYPE_CHECKING:
    from emulator.router.router import Router

SECOND = 1_000_000_000
#: fetch writes (/tool fetch needs read, write, test in scripts [INF], like /tool e-mail send).
FETCH_POLICY = frozenset({"read", "write", "test"})
#: ``output=user`` keeps at most this much of the body ([SEEN] routeros-scripting.md §11).
DATA_LIMIT = 64 * 1024
#: The v7 default ``idle-timeout`` ([DOC] 7.21.4 command dump: "seconds, default 10").
IDLE_TIMEOUT_S = 10.0
#: v6 has no duration/idle-timeout parameter; how long it waits for a silent server is not documented ([INF]).
V6_TIMEOUT_S = 30.0
#: The least time a request takes on the router's clock ([INF]: a round trip; real loopback time is added on top).
MIN_S = 0.2
#: Bodies and URLs above these are refused: what RouterOS does with them is not modelled.
HTTP_DATA_LIMIT = 63_000
URL_LIMIT = 4096


@dataclass(slots=True)
class Request:
    """One request as the emulated router made it, and what came of it."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    data: bytes
    time: dt.datetime  # the router's local time when the request started
    status: int | None = None  # the HTTP status, None when no answer came
    error: str = ""  # the failure the script saw ("" when the command returned)
    answer: bytes = b""

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


#: A stand-in for the network (``rosbill simulate``): request → (HTTP status, body), or raises ``OSError``.
Receiver = Callable[[Request], tuple[int, bytes]]


@dataclass(slots=True)
class _Answer:
    status: int | None
    body: bytes
    error: str
    seconds: float


class FetchService(Menu):
    """The ``/tool fetch`` command and the record of every request (:attr:`requests`)."""

    def __init__(self, router: Router) -> None:
        super().__init__(("tool",))
        self.router = router
        self.requests: list[Request] = []
        #: When set, every request goes to it instead of the network (no loopback check: nothing leaves the process).
        self.receiver: Receiver | None = None
        version = router.version
        methods = {"get", "post", "put", "delete"} | ({"patch", "head"} if version.has_fetch_duration else set())
        self.methods = frozenset(methods)
        params = {"url", "http-method", "http-data", "http-header-field", "output", "check-certificate",
                  "keep-result", "mode", "dst-path", "address", "host", "port", "user", "password", "src-path",
                  "upload", "ascii", "src-address"}  # fmt: skip
        if version.has_fetch_duration:
            params |= {"duration", "idle-timeout", "http-max-redirect-count"}
        self.command(
            CommandSpec("fetch", params=frozenset(params), flags=frozenset({"as-value"}), policy=FETCH_POLICY),
            self._fetch,
        )

    # --- driver API --------------------------------------------------------------------------------------------------

    def delivered(self) -> list[Request]:
        return [r for r in self.requests if r.status is not None and 200 <= r.status < 300]

    # --- the command -------------------------------------------------------------------------------------------------

    def _fetch(self, call: MenuCall, ctx: RunContext) -> Value:
        args = {k: tostr(v) for k, v in call.args.items()}
        for unmodelled in ("mode", "dst-path", "address", "host", "port", "user", "password", "src-path", "upload",
                           "ascii", "src-address"):  # fmt: skip
            if unmodelled in args:
                raise EmulatorRefusal(f"emulator refuses: /tool fetch {unmodelled}= is not modelled (only url= HTTP)")
        output = args.get("output", b"file").decode("latin-1")
        if output not in ("user", "none"):
            raise EmulatorRefusal(f"emulator refuses: /tool fetch output={output} is not modelled (files from fetch)")
        if args.get("keep-result", b"yes") not in (b"yes", b"no"):
            raise RouterOSError("invalid value for argument keep-result")
        method = args.get("http-method", b"get").decode("latin-1")
        if method not in self.methods:
            raise RouterOSError(f"invalid value for argument http-method: {method}")
        check = args.get("check-certificate", b"no").decode("latin-1")
        if check not in ("no", "yes", "yes-without-crl"):
            raise RouterOSError("invalid value for argument check-certificate")
        url = args.get("url", b"")
        if not url:
            raise RouterOSError("failure: url or address required")  # [INF] wording
        data = args.get("http-data", b"")
        if len(data) > HTTP_DATA_LIMIT or len(url) > URL_LIMIT:
            raise EmulatorRefusal("emulator refuses: an http-data or url this long is not modelled")
        if any(b < 0x21 or b > 0x7E for b in url):
            raise EmulatorRefusal(
                "emulator refuses: a url= with spaces, control characters or non-ASCII bytes (how RouterOS sends "
                "them is not modelled; percent-encode them)"
            )
        headers = self._headers(args.get("http-header-field", b""))
        limit = self._time_limit(args)
        request = Request(method.upper(), url.decode("ascii"), headers, data, self.router.clock.local())
        self.requests.append(request)
        answer = self._answer(request, limit, check)
        self.router.clock.advance_to(self.router.clock.now + int(answer.seconds * SECOND))
        request.status = answer.status
        request.answer = answer.body
        if answer.error:
            request.error = answer.error
            self.router.logs.write(("fetch", "error"), f"fetch: {answer.error}")  # [INF] topics and wording
            raise RouterOSError(answer.error)
        failed = answer.status is not None and not 200 <= answer.status < 300
        if failed:
            if self.router.behaviour.fetch_http_error == "raises":
                request.error = f"Fetch failed with status {answer.status}"
                self.router.logs.write(("fetch", "error"), request.error)
                raise RouterOSError(request.error)
            request.error = f"status {answer.status} (returned)"
        if "as-value" not in call.flags:
            ctx.output.append(b"status: " + (b"failed" if failed else b"finished"))
            return NOTHING
        body = answer.body[:DATA_LIMIT] if output == "user" else b""
        size = len(answer.body) // 1024
        result: dict[str, Value] = {"status": b"failed" if failed else b"finished", "downloaded": size,
                                    "total": size, "duration": Time(int(answer.seconds * SECOND))}  # fmt: skip
        if output == "user":
            result["data"] = body
        return Array.mapping(result)

    @staticmethod
    def _headers(text: bytes) -> tuple[tuple[str, str], ...]:
        """``Name: value,Name: value`` ([DOC] Fetch: http-header-field "h1:fff,h2:yyy")."""
        out = []
        for part in text.decode("latin-1").split(","):
            if not part.strip():
                continue
            if ":" not in part:
                raise RouterOSError(f"invalid http-header-field: {part}")  # [INF] wording
            name, value = part.split(":", 1)
            if any(ord(c) < 0x20 or ord(c) == 0x7F for c in part):
                raise EmulatorRefusal("emulator refuses: control characters in http-header-field are not modelled")
            out.append((name.strip(), value.strip()))
        return tuple(out)

    def _time_limit(self, args: dict[str, bytes]) -> float:
        if not self.router.version.has_fetch_duration:
            return V6_TIMEOUT_S
        limit = IDLE_TIMEOUT_S
        for name in ("idle-timeout", "duration"):
            if name in args:
                seconds = _seconds(args[name])
                if seconds is None:
                    raise RouterOSError(f"invalid value for argument {name}")
                limit = min(limit, seconds) if name == "duration" else seconds
        return max(limit, 0.001)

    def _answer(self, request: Request, limit: float, check: str) -> _Answer:
        minimum = MIN_S
        if self.receiver is not None:
            try:
                status, body = self.receiver(request)
            except OSError as error:
                return _Answer(None, b"", f"Fetch failed: {error.strerror or error}", max(minimum, 0.0))
            return _Answer(status, body, "", minimum)
        parts = urllib.parse.urlsplit(request.url)
        host = parts.hostname or ""
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is None or not address.is_loopback:
            raise EmulatorRefusal(
                f"emulator refuses: /tool fetch to {host or request.url!r}: not modelled, there is no network in the "
                "emulator (only loopback addresses such as 127.0.0.1 are reached; `rosbill simulate` attaches a "
                "recording receiver)"
            )
        if parts.scheme != "http":
            raise EmulatorRefusal(f"emulator refuses: /tool fetch over {parts.scheme}: TLS is not modelled")
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        started = time.monotonic()
        connection = http.client.HTTPConnection(host, parts.port or 80, timeout=limit)
        try:
            connection.putrequest(request.method, path, skip_accept_encoding=True)
            for name, value in request.headers:
                connection.putheader(name, value)
            connection.putheader("User-Agent", "Mikrotik/emulated Fetch")  # [SEEN] fetch's agent starts "Mikrotik"
            connection.putheader("Content-Length", str(len(request.data)))
            connection.endheaders(request.data)
            response = connection.getresponse()
            body = response.read(DATA_LIMIT + 1)
            status = response.status
        except TimeoutError:
            return _Answer(None, b"", "Fetch failed: timeout", max(limit, minimum))
        except ConnectionRefusedError:
            return _Answer(None, b"", "Fetch failed: connection refused", max(time.monotonic() - started, minimum))
        except (OSError, http.client.HTTPException) as error:
            reason = "timeout" if isinstance(error, socket.timeout) else "connection failed"
            return _Answer(None, b"", f"Fetch failed: {reason}", max(time.monotonic() - started, minimum))
        finally:
            connection.close()
        return _Answer(status, body, "", max(time.monotonic() - started, minimum))


def _seconds(value: bytes) -> float | None:
    text = value.decode("latin-1").strip()
    if text == "none":
        return 10**9
    total = 0.0
    number = ""
    units = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
    if text.isdigit():
        return float(text)
    for char in text:
        if char.isdigit():
            number += char
        elif char in units and number:
            total += int(number) * units[char]
            number = ""
        else:
            return None
    return None if number else total
