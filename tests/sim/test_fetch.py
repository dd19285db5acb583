"""/tool fetch on the emulated router: real HTTP to a server on 127.0.0.1, the result map, failures, time, and what it
refuses (anything but loopback, TLS, files) (emulator/router/fetch.py, docs/notify.md)."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from emulator.contract import EmulatorRefusal
from emulator.interp import Interpreter
from emulator.router import Router
from emulator.router.behaviour import Behaviour
from emulator.version import RouterOSVersion

VERSIONS = ["6.49", "7.16"]


@dataclass
class Receiver:
    """A threaded HTTP server on loopback that records each request and answers as told."""

    port: int = 0
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    status: int = 200
    answer: bytes = b'{"ok":true}'
    delay: float = 0.0


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            data = self.rfile.read(length)
            state.requests.append((self.command, self.path, dict(self.headers), data))
            if state.delay:
                time.sleep(state.delay)
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            with contextlib.suppress(OSError):  # the router gave up waiting (the timeout test)
                self.wfile.write(state.answer)

        do_POST = do_GET = _serve

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def make(version: str, behaviour: Behaviour | None = None) -> Router:
    return Router(RouterOSVersion.parse(version), runner_factory=Interpreter, behaviour=behaviour or Behaviour())


def put(router: Router, source: str) -> list[bytes]:
    result = router.run(source)
    assert result.ok, result
    return result.output


@pytest.mark.parametrize("version", VERSIONS)
def test_a_post_reaches_the_server_with_its_headers_and_body_and_returns_the_map(version: str, receiver: Receiver):
    router = make(version)
    url = f"http://127.0.0.1:{receiver.port}/bot1:AB/sendMessage"
    out = put(router, f':local r [/tool fetch url="{url}" http-method=post '
                      'http-header-field="Content-Type: application/json,Authorization: Bearer t0k" '
                      'http-data="{\\"a\\":\\"\\C3\\A9\\"}" output=user as-value]\n'
                      ':put ($r->"status"); :put ($r->"data"); :put [:typeof ($r->"duration")]')  # fmt: skip
    ((method, path, headers, data),) = receiver.requests
    assert (method, path) == ("POST", "/bot1:AB/sendMessage")
    assert headers["Content-Type"] == "application/json" and headers["Authorization"] == "Bearer t0k"
    assert json.loads(data) == {"a": "é"}
    assert out == [b"finished", b'{"ok":true}', b"time"]
    assert router.fetch.requests[0].status == 200


@pytest.mark.parametrize("version", VERSIONS)
def test_an_http_error_status_raises_by_default_and_returns_status_failed_under_the_switch(
    version: str, receiver: Receiver
):
    receiver.status = 500
    url = f"http://127.0.0.1:{receiver.port}/x"
    script = (f':do {{ :local r [/tool fetch url="{url}" http-method=post http-data="x" output=user as-value]\n'
              ':put ("returned " . ($r->"status")) } on-error={ :put "raised" }')  # fmt: skip
    assert put(make(version), script) == [b"raised"]
    assert put(make(version, Behaviour(fetch_http_error="returns")), script) == [b"returned failed"]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_refused_connection_fails_the_command(version: str, receiver: Receiver):
    router = make(version)
    script = ':do { /tool fetch url="http://127.0.0.1:9/x" http-method=post output=user as-value } on-error={ :put e }'
    assert put(router, script) == [b"e"]
    assert router.fetch.requests[0].error == "Fetch failed: connection refused"


def test_v7_duration_stops_a_silent_server_and_the_router_clock_moves_by_it(receiver: Receiver):
    receiver.delay = 2.5
    router = make("7.16")
    before = router.clock.now
    url = f"http://127.0.0.1:{receiver.port}/slow"
    out = put(router, f':do {{ /tool fetch url="{url}" http-method=post output=user as-value duration=1s }} '
                      'on-error={ :put "timed out" }')  # fmt: skip
    assert out == [b"timed out"]
    assert router.fetch.requests[0].error == "Fetch failed: timeout"
    assert 1.0 <= (router.clock.now - before) / 1e9 < 2.5


def test_v6_has_no_duration_parameter():
    router = make("6.49")
    result = router.run(':do { /tool fetch url="http://127.0.0.1:9/" output=user as-value duration=1s } on-error={}')
    assert not result.ok  # an unknown parameter stops the script at load, as on RouterOS


@pytest.mark.parametrize(
    "url",
    ["https://api.telegram.org/bot1/sendMessage", "http://192.0.2.10/x", "http://example.net/x", "https://127.0.0.1/x"],
)
def test_anything_but_plain_http_to_loopback_is_refused_not_sent(url: str):
    router = make("7.16")
    with pytest.raises(EmulatorRefusal, match=r"not modelled|TLS"):
        router.run(f':do {{ /tool fetch url="{url}" output=user as-value }} on-error={{ :put caught }}')


def test_files_from_fetch_and_other_modes_are_refused():
    router = make("7.16")
    for args in ('url="http://127.0.0.1:9/" dst-path=x.txt', 'url="http://127.0.0.1:9/"', "mode=ftp address=1.2.3.4"):
        with pytest.raises(EmulatorRefusal):
            router.run(f":do {{ /tool fetch {args} }} on-error={{}}")


def test_a_receiver_answers_in_place_of_the_network_for_simulate():
    router = make("7.16")
    seen = []

    def answer(request):  # type: ignore[no-untyped-def]
        seen.append((request.url, request.data))
        return 200, b'{"ok":true}'

    router.fetch.receiver = answer
    out = put(router, ':put ([/tool fetch url="https://api.telegram.org/botX/sendMessage" http-method=post '
                      'http-data="hi" output=user as-value]->"status")')  # fmt: skip
    assert out == [b"finished"] and seen == [("https://api.telegram.org/botX/sendMessage", b"hi")]
