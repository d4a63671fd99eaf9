"""Several small httpx connection pools used as one, so a wide pool stays cheap per request.

httpcore walks every connection of a pool on each request it queues or
finishes, and for each idle one counts the whole pool again, so its cost grows
with the square of the pool size: at 35 connections held back by a rate
limit it took about two thirds of the client's CPU. Splitting the in-flight
budget over lanes of at most ``LANE_SIZE`` connections keeps that walk short
while every lane keeps httpx's own TLS, timeout and keep-alive behaviour.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import httpx

LANE_SIZE = 8


class Lanes:
    """``request()`` on the httpx client with the fewest requests in flight."""

    def __init__(self, make: Callable[[int], httpx.AsyncClient], total: int) -> None:
        count = max(1, math.ceil(total / LANE_SIZE))
        size = math.ceil(total / count)
        self.clients = [make(size) for _ in range(count)]
        self._busy = [0] * count

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        busy = self._busy
        lane = busy.index(min(busy))
        busy[lane] += 1
        try:
            return await self.clients[lane].request(method, url, **kwargs)
        finally:
            busy[lane] -= 1

    async def aclose(self) -> None:
        for client in self.clients:
            await client.aclose()
