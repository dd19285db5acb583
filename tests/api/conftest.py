"""Fixtures for the API server tests: a fake router, a running server, a routeros-api client and a raw-word client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import routeros_api

from api.clients import RawClient, connect
from api.fakerouter import FakeRouter
from emulator.api import RunningServer, start_server


@pytest.fixture
def router() -> FakeRouter:
    return FakeRouter("7.16.2")


@pytest.fixture
def server(router: FakeRouter) -> Iterator[RunningServer]:
    with start_server(router, router.version) as running:
        yield running


@pytest.fixture
def api(server: RunningServer) -> Iterator[routeros_api.api.RouterOsApi]:
    pool = connect(server)
    try:
        yield pool.get_api()
    finally:
        pool.disconnect()


@pytest.fixture
def raw(server: RunningServer) -> Iterator[RawClient]:
    client = RawClient(server.host, server.port)
    try:
        yield client
    finally:
        client.close()
