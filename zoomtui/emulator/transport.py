"""In-process httpx transport: the emulator behind ``httpx.AsyncClient`` with no sockets.

Injected latency is an ``asyncio.sleep`` per request, so a hundred concurrent
requests with 100 ms latency take about 100 ms, not ten seconds; the sync
path (``httpx.Client``) sleeps with ``time.sleep``.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from zoomtui.emulator.handler import Emulator

API_URL = "http://emulator.local/v2"
OAUTH_URL = "http://emulator.local/oauth/token"


class EmulatorTransport(httpx.MockTransport):
    """A MockTransport whose handler is the emulator, with latency applied around it."""

    def __init__(self, emulator: Emulator) -> None:
        super().__init__(emulator.handle)
        self.emulator = emulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        latency = self.emulator.config.latency_ms
        if latency > 0:
            time.sleep(latency / 1000)
        return self.emulator.handle(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        latency = self.emulator.config.latency_ms
        if latency > 0:
            await asyncio.sleep(latency / 1000)
        return self.emulator.handle(request)
