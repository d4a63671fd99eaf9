"""Fixtures for the Zoom client tests: fake time, a respx-mocked Zoom, a client factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import respx

from tests.helpers.zoomfakes import API, S2S, TOKEN_URL, FakeTime, token_json
from zoomtui.zoom import Credentials, RetryPolicy, ZoomClient


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def zoom() -> Iterator[respx.MockRouter]:
    """A mocked Zoom: every request must match a route; the token route is ready.

    Mocked at httpx's client (``using="httpx"``), whichever transport it holds:
    the client's lanes talk through zoomtui's own wire, not httpcore.
    """
    with respx.mock(assert_all_called=False, using="httpx") as router:
        router.post(TOKEN_URL, name="token").respond(json=token_json())
        yield router


@pytest.fixture
async def make_client(fake: FakeTime) -> AsyncIterator[Callable[..., ZoomClient]]:
    """Build clients on fake time with a fixed jitter (rng 0.5); closed after the test."""
    made: list[ZoomClient] = []

    def make(credentials: Credentials = S2S, **kwargs: Any) -> ZoomClient:
        kwargs.setdefault("api_url", API)
        kwargs.setdefault("clock", fake.clock)
        kwargs.setdefault("sleep", fake.sleep)
        kwargs.setdefault("monotonic", lambda: fake.clock().timestamp())
        kwargs.setdefault("retry", RetryPolicy(rng=lambda: 0.5))
        client = ZoomClient(credentials, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()
