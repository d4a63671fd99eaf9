"""In-process httpx transport: the emulator behind ``httpx.AsyncClient`` with no sockets.

Injected latency is an ``asyncio.sleep`` per request, so a hundred concurrent
requests with 100 ms latency take about 100 ms, not ten seconds; the sync
path (``httpx.Client``) sleeps with ``time.sleep``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx

API_URL = "http://emulator.local/v2"
OAUTH_URL = "http://emulator.local/oauth/token"


class EmulatorTransport(httpx.MockTransport):
    """A MockTransport around a handler (``Emulator.handle``), with latency applied around it.

    Takes the handler callable, as ``httpx.MockTransport(handler)`` does, so the
    transport knows nothing of the emulator; ``latency_ms`` is read per request
    because the emulator's configuration may change while a client is open.
    """

    def __init__(
        self,
        handler: Callable[[httpx.Request], httpx.Response],
        latency_ms: Callable[[], float] = lambda: 0,
    ) -> None:
        super().__init__(handler)
        self._handler = handler
        self._latency_ms = latency_ms

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        latency = self._latency_ms()
        if latency > 0:
            time.sleep(latency / 1000)
        return self._handler(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        latency = self._latency_ms()
        if latency > 0:
            await asyncio.sleep(latency / 1000)
        return self._handler(request)
